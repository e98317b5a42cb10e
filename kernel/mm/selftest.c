/* In-kernel self-tests of the PMM, VMM and slab allocator on the real
 * machine, after mm_init. Each restores every counter it touches. */
#include <kprintf.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <mm/selftest.h>
#include <mm/slab.h>
#include <mm/vmm.h>

/* An otherwise unused kernel-half address (root slot 509), see docs/MemoryMap.md. */
#define MM_SELFTEST_VA 0xFFFFFE8000000000ull

#define PMM_TEST_PAGES 64
#define PMM_TEST_RUN   16
#define SLAB_TEST_OBJS 300

static bool mm_fail(const char *test, const char *why)
{
    kprintf("%s selftest: %s\n", test, why);
    return false;
}

static uint64_t pmm_free_now(void)
{
    PmmStats st;
    pmm_stats(&mm_pmm, &st);
    return st.free_pages;
}

static bool pmm_selftest_pages(void)
{
    uint64_t pages[PMM_TEST_PAGES];
    for (int i = 0; i < PMM_TEST_PAGES; i++) {
        if (pmm_alloc_page(&mm_pmm, &pages[i]) != E_OK)
            return mm_fail("pmm", "single-page allocation failed");
        if (!pmm_owns(&mm_pmm, pages[i]))
            return mm_fail("pmm", "allocated a page outside usable RAM");
        /* Each page carries its own address: overlapping pages would clash. */
        *(volatile uint64_t *)phys_to_virt(pages[i]) = pages[i];
    }
    for (int i = 0; i < PMM_TEST_PAGES; i++) {
        if (*(volatile uint64_t *)phys_to_virt(pages[i]) != pages[i])
            return mm_fail("pmm", "two allocations share a page");
    }
    for (int i = PMM_TEST_PAGES - 1; i >= 0; i -= 2) {
        if (pmm_free_page(&mm_pmm, pages[i]) != E_OK)
            return mm_fail("pmm", "free of an allocated page refused");
    }
    if (pmm_free_page(&mm_pmm, pages[PMM_TEST_PAGES - 1]) != E_INVAL)
        return mm_fail("pmm", "double free not detected");
    for (int i = PMM_TEST_PAGES - 2; i >= 0; i -= 2) {
        if (pmm_free_page(&mm_pmm, pages[i]) != E_OK)
            return mm_fail("pmm", "free of an allocated page refused");
    }
    return true;
}

bool pmm_selftest(void)
{
    uint64_t before = pmm_free_now();
    if (!pmm_selftest_pages())
        return false;
    uint64_t run;
    if (pmm_alloc_pages(&mm_pmm, PMM_TEST_RUN, &run) != E_OK)
        return mm_fail("pmm", "contiguous run allocation failed");
    for (uint64_t i = 0; i < PMM_TEST_RUN; i++) {
        if (!pmm_owns(&mm_pmm, run + i * MM_PAGE_SIZE))
            return mm_fail("pmm", "contiguous run leaves usable RAM");
    }
    if (pmm_free_pages(&mm_pmm, run, PMM_TEST_RUN) != E_OK)
        return mm_fail("pmm", "contiguous run free refused");
    if (pmm_free_page(&mm_pmm, mm_kernel_root() + 1) != E_INVAL)
        return mm_fail("pmm", "misaligned free not refused");
    if (pmm_free_page(&mm_pmm, 0) != E_INVAL)
        return mm_fail("pmm", "free of page 0 not refused");
    if (pmm_free_now() != before)
        return mm_fail("pmm", "free page count not restored");
    return true;
}

bool vmm_selftest(void)
{
    uint64_t root = mm_kernel_root();
    uint64_t before = pmm_free_now();
    uint64_t pa, got;
    unsigned flags;
    if (pmm_alloc_page(&mm_pmm, &pa) != E_OK)
        return mm_fail("vmm", "no page to map");
    *(volatile uint64_t *)phys_to_virt(pa) = 0;
    if (vmm_map_page(root, MM_SELFTEST_VA, pa, VMM_READ | VMM_WRITE) != E_OK)
        return mm_fail("vmm", "map of the scratch page failed");
    /* Written through the new mapping, read back through the direct map. */
    *(volatile uint64_t *)MM_SELFTEST_VA = 0x5A5A0FF1CE;
    if (*(volatile uint64_t *)phys_to_virt(pa) != 0x5A5A0FF1CE)
        return mm_fail("vmm", "scratch mapping does not reach its page");
    if (vmm_translate(root, MM_SELFTEST_VA + 8, &got, &flags) != E_OK || got != pa + 8 ||
        !(flags & VMM_WRITE) || (flags & VMM_EXEC))
        return mm_fail("vmm", "translate disagrees with the mapping");
    if (vmm_map_page(root, MM_SELFTEST_VA, pa, VMM_READ) != E_EXIST)
        return mm_fail("vmm", "map over a mapping not refused");
    if (vmm_unmap_page(root, MM_SELFTEST_VA) != E_OK)
        return mm_fail("vmm", "unmap failed");
    if (vmm_translate(root, MM_SELFTEST_VA, &got, NULL) != E_NOENT)
        return mm_fail("vmm", "page still mapped after unmap");
    if (vmm_unmap_page(root, MM_SELFTEST_VA) != E_NOENT)
        return mm_fail("vmm", "unmap of nothing not refused");
    if (vmm_translate(root, (uint64_t)(uintptr_t)phys_to_virt(pa), &got, NULL) != E_OK || got != pa)
        return mm_fail("vmm", "direct map does not translate");
    pmm_free_page(&mm_pmm, pa);
    if (pmm_free_now() != before)
        return mm_fail("vmm", "page tables not freed after unmap");
    return true;
}

bool slab_selftest(void)
{
    static void *objs[SLAB_TEST_OBJS];
    size_t fba_before = fba_free_count(&mm_fba);
    size_t slabs_before = slab_pages_in_use();
    for (size_t size = SLAB_MIN_SIZE; size <= SLAB_MAX_SIZE; size *= 2) {
        size_t n = size >= 1024 ? 8 : SLAB_TEST_OBJS;
        for (size_t i = 0; i < n; i++) {
            if (slab_alloc(size, &objs[i]) != E_OK)
                return mm_fail("slab", "allocation failed");
            *(volatile size_t *)objs[i] = i;
        }
        for (size_t i = 0; i < n; i++) {
            if (*(volatile size_t *)objs[i] != i)
                return mm_fail("slab", "two objects overlap");
        }
        for (size_t i = 0; i < n; i++) {
            if (slab_free(objs[i]) != E_OK)
                return mm_fail("slab", "free of an object refused");
        }
        if (slab_free(objs[0]) != E_INVAL)
            return mm_fail("slab", "double free not detected");
    }
    void *obj;
    if (slab_alloc(100, &obj) != E_OK)
        return mm_fail("slab", "allocation failed");
    if (slab_free((char *)obj + 8) != E_INVAL || slab_free(&obj) != E_INVAL)
        return mm_fail("slab", "bad pointer not refused");
    if (slab_free(obj) != E_OK)
        return mm_fail("slab", "free of an object refused");
    if (fba_free_count(&mm_fba) != fba_before || slab_pages_in_use() != slabs_before)
        return mm_fail("slab", "empty slabs not returned");
    return true;
}
