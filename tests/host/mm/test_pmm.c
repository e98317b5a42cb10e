// Host tests of the physical memory manager over fake RAM: allocation and
// free patterns, merging, exhaustion, contiguous runs, holes, bad frees.
// TEST_SOURCES: kernel/mm/pmm.c
// TEST_CFLAGS: -Itests/host/fake -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_ram.h"
#include <mm/pmm.h>

uintptr_t mm_direct_map_base;

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define PG  MM_PAGE_SIZE

/* The fake interrupt flag (tests/host/fake/arch/cpu.h). */
bool fake_irq_enabled;
static Pmm pmm;

static int setup(void **state)
{
    fake_ram_init(16 * MIB);
    return 0;
}

static int teardown(void **state)
{
    fake_ram_fini();
    return 0;
}

static BootMemRegion region(uint64_t base, uint64_t length, uint32_t type)
{
    BootMemRegion r = {.base = base, .length = length, .type = type};
    return r;
}

static void init_one(uint64_t base, uint64_t length, uint64_t low)
{
    BootMemRegion r = region(base, length, BOOT_MEM_USABLE);
    assert_int_equal(pmm_init(&pmm, &r, 1, low), E_OK);
}

static PmmStats stats(void)
{
    PmmStats st;
    pmm_stats(&pmm, &st);
    return st;
}

static void test_init_counts_and_meta(void **state)
{
    init_one(1 * MIB, 1 * MIB, 0);
    PmmStats st = stats();
    assert_int_equal(st.total_pages, 256);
    assert_int_equal(st.meta_pages, 1);
    assert_int_equal(st.free_pages, 255);
    assert_int_equal(st.used_pages, 1);
    /* The storage comes first in the region and can never be freed. */
    assert_int_equal(pmm.meta_base, 1 * MIB);
    assert_false(pmm_owns(&pmm, 1 * MIB));
    assert_int_equal(pmm_free_page(&pmm, 1 * MIB), E_INVAL);
}

/* Every call takes the PMM's lock with interrupts off and gives both back,
 * on success and on error alike. */
static void test_calls_release_lock_and_restore_interrupts(void **state)
{
    init_one(1 * MIB, 1 * MIB, 0);
    uint64_t pa;
    for (int enabled = 0; enabled < 2; enabled++) {
        fake_irq_enabled = enabled;
        assert_int_equal(pmm_alloc_page(&pmm, &pa), E_OK);
        assert_int_equal(pmm_free_page(&pmm, pa), E_OK);
        assert_int_equal(pmm_free_page(&pmm, pa), E_INVAL); /* double free */
        assert_int_equal(pmm_alloc_pages(&pmm, 4, &pa), E_OK);
        assert_int_equal(pmm_free_pages(&pmm, pa, 4), E_OK);
        assert_int_equal(pmm_alloc_pages(&pmm, 100000, &pa), E_NOMEM);
        assert_int_equal(fake_irq_enabled, enabled);
        assert_false(spin_is_locked(&pmm.lock));
    }
}

static void test_alloc_all_then_free_all(void **state)
{
    init_one(1 * MIB, 1 * MIB, 0);
    static uint64_t pages[256];
    uint64_t n = 0;
    uint64_t pa;
    while (pmm_alloc_page(&pmm, &pa) == E_OK) {
        assert_true(pa % PG == 0);
        assert_true(pa > pmm.meta_base && pa < 2 * MIB);
        for (uint64_t i = 0; i < n; i++)
            assert_true(pages[i] != pa);
        pages[n++] = pa;
    }
    assert_int_equal(n, 255);
    assert_int_equal(pmm_alloc_page(&pmm, &pa), E_NOMEM);
    assert_int_equal(stats().free_pages, 0);
    assert_int_equal(pmm.top, 0);
    for (uint64_t i = 0; i < n; i++)
        assert_int_equal(pmm_free_page(&pmm, pages[i]), E_OK);
    assert_int_equal(stats().free_pages, 255);
    /* Freed in allocation order: each one extends the top run. */
    assert_int_equal(pmm.top, 1);
}

static void test_free_merges_with_top_both_sides(void **state)
{
    init_one(1 * MIB, 64 * PG, 0);
    uint64_t a, b, c;
    assert_int_equal(pmm_alloc_page(&pmm, &a), E_OK);
    assert_int_equal(pmm_alloc_page(&pmm, &b), E_OK);
    assert_int_equal(pmm_alloc_page(&pmm, &c), E_OK);
    assert_int_equal(b, a + PG);
    assert_int_equal(c, b + PG);
    uint64_t top = pmm.top;
    assert_int_equal(pmm_free_page(&pmm, c), E_OK); /* below the top run: extends down */
    assert_int_equal(pmm.top, top);
    assert_int_equal(pmm_free_page(&pmm, a), E_OK); /* not adjacent: new entry */
    assert_int_equal(pmm.top, top + 1);
    assert_int_equal(pmm_free_page(&pmm, b), E_OK); /* just above the top run */
    assert_int_equal(pmm.top, top + 1);
    assert_int_equal(pmm.stack[pmm.top - 1].pages, 2);
    /* LIFO: the most recently freed run is handed out first. */
    uint64_t x;
    assert_int_equal(pmm_alloc_page(&pmm, &x), E_OK);
    assert_int_equal(x, a);
}

static void test_low_limit_and_page_zero(void **state)
{
    init_one(0, 2 * MIB, 1 * MIB);
    assert_int_equal(stats().total_pages, 256);
    assert_false(pmm_owns(&pmm, 0x80000));
    init_one(0, 1 * MIB, 0);
    assert_int_equal(stats().total_pages, 255); /* page 0 is never managed */
    assert_false(pmm_owns(&pmm, 0));
    assert_int_equal(pmm_free_page(&pmm, 0), E_INVAL);
}

static void test_map_with_holes_and_reserved(void **state)
{
    BootMemRegion map[] = {
        region(0x1000, 0x9E000, BOOT_MEM_USABLE),
        region(0x9F000, 0x61000, BOOT_MEM_RESERVED),
        region(1 * MIB, 2 * MIB, BOOT_MEM_USABLE),
        region(3 * MIB, 1 * MIB, BOOT_MEM_KERNEL),
        region(4 * MIB, 1 * MIB, BOOT_MEM_RECLAIMABLE),
        region(6 * MIB, 4 * MIB + 0x800, BOOT_MEM_USABLE), /* unaligned end: trimmed */
        region(12 * MIB, 1 * MIB, BOOT_MEM_BAD),
        region(13 * MIB, 1 * MIB, BOOT_MEM_USABLE),
    };
    assert_int_equal(pmm_init(&pmm, map, 8, 1 * MIB), E_OK);
    PmmStats st = stats();
    assert_int_equal(st.total_pages, 512 + 1024 + 256);
    uint64_t pa, n = 0;
    while (pmm_alloc_page(&pmm, &pa) == E_OK) {
        bool ok = (pa >= 1 * MIB && pa < 3 * MIB) || (pa >= 6 * MIB && pa < 10 * MIB) ||
                  (pa >= 13 * MIB && pa < 14 * MIB);
        assert_true(ok);
        assert_true(pa < pmm.meta_base || pa >= pmm.meta_base + pmm.meta_pages * PG);
        n++;
    }
    assert_int_equal(n, st.total_pages - st.meta_pages);
    /* Pages in holes and non-usable regions inside the span are refused. */
    assert_int_equal(pmm_free_page(&pmm, 3 * MIB), E_INVAL);
    assert_int_equal(pmm_free_page(&pmm, 11 * MIB), E_INVAL);
    assert_int_equal(pmm_free_page(&pmm, 12 * MIB), E_INVAL);
    assert_int_equal(pmm_free_page(&pmm, 0x2000), E_INVAL); /* below the low limit */
    assert_int_equal(pmm_free_page(&pmm, 64 * MIB), E_INVAL);
    assert_int_equal(pmm_free_page(&pmm, 6 * MIB), E_OK);
}

static void test_init_errors(void **state)
{
    BootMemRegion unsorted[] = {region(2 * MIB, MIB, BOOT_MEM_USABLE),
                                region(1 * MIB, MIB, BOOT_MEM_USABLE)};
    assert_int_equal(pmm_init(&pmm, unsorted, 2, 0), E_INVAL);
    BootMemRegion overlap[] = {region(1 * MIB, 2 * MIB, BOOT_MEM_USABLE),
                               region(2 * MIB, MIB, BOOT_MEM_RESERVED)};
    assert_int_equal(pmm_init(&pmm, overlap, 2, 0), E_INVAL);
    BootMemRegion wrap[] = {region(UINT64_MAX - PG, 4 * PG, BOOT_MEM_USABLE)};
    assert_int_equal(pmm_init(&pmm, wrap, 1, 0), E_INVAL);
    BootMemRegion none[] = {region(1 * MIB, MIB, BOOT_MEM_KERNEL),
                            region(2 * MIB, 0x800, BOOT_MEM_USABLE)};
    assert_int_equal(pmm_init(&pmm, none, 2, 0), E_NOMEM);
    assert_int_equal(pmm_init(&pmm, NULL, 0, 0), E_NOMEM);
    /* 300 one-page regions: the storage needs more than any one of them. */
    static BootMemRegion tiny[600];
    for (int i = 0; i < 600; i++)
        tiny[i] = region(1 * MIB + i * PG, PG, i % 2 ? BOOT_MEM_RESERVED : BOOT_MEM_USABLE);
    assert_int_equal(pmm_init(&pmm, tiny, 600, 0), E_NOMEM);
}

static void test_bad_and_double_frees(void **state)
{
    init_one(1 * MIB, 1 * MIB, 0);
    uint64_t pa;
    assert_int_equal(pmm_alloc_page(&pmm, &pa), E_OK);
    PmmStats before = stats();
    assert_int_equal(pmm_free_page(&pmm, pa + 8), E_INVAL);
    assert_int_equal(pmm_free_page(&pmm, UINT64_MAX & ~(PG - 1)), E_INVAL);
    assert_int_equal(pmm_free_page(&pmm, pa + PG), E_INVAL); /* still free */
    assert_int_equal(pmm_free_pages(&pmm, pa, 0), E_INVAL);
    assert_int_equal(pmm_free_pages(&pmm, pa, 2), E_INVAL); /* second page is free */
    assert_int_equal(pmm_free_pages(&pmm, pa, UINT64_MAX), E_INVAL);
    assert_int_equal(pmm_free_pages(&pmm, 2 * MIB - PG, 2), E_INVAL); /* runs off the span */
    PmmStats after = stats();
    assert_int_equal(after.free_pages, before.free_pages);
    assert_int_equal(pmm_free_page(&pmm, pa), E_OK);
    assert_int_equal(pmm_free_page(&pmm, pa), E_INVAL);
    assert_int_equal(stats().free_pages, before.free_pages + 1);
}

static void test_contiguous_runs(void **state)
{
    init_one(1 * MIB, 1 * MIB, 0);
    uint64_t pa, pb;
    assert_int_equal(pmm_alloc_pages(&pmm, 0, &pa), E_INVAL);
    assert_int_equal(pmm_alloc_pages(&pmm, 256, &pa), E_NOMEM);
    assert_int_equal(pmm_alloc_pages(&pmm, 1, &pa), E_OK);
    assert_int_equal(pmm_alloc_pages(&pmm, 16, &pb), E_OK);
    assert_true(pb % PG == 0 && pb >= pmm.meta_base + PG && pb + 16 * PG <= 2 * MIB);
    assert_true(pa < pb || pa >= pb + 16 * PG);
    assert_int_equal(stats().free_pages, 255 - 17);
    /* The whole rest in one run empties its stack entry. */
    uint64_t rest = stats().free_pages;
    uint64_t pc;
    assert_int_equal(pmm_alloc_pages(&pmm, rest, &pc), E_OK);
    assert_int_equal(stats().free_pages, 0);
    assert_int_equal(pmm.top, 0);
    assert_int_equal(pmm_free_pages(&pmm, pb, 16), E_OK);
    assert_int_equal(pmm_free_pages(&pmm, pb, 1), E_INVAL);
    assert_int_equal(pmm_free_pages(&pmm, pc, rest), E_OK);
    assert_int_equal(pmm_free_page(&pmm, pa), E_OK);
    assert_int_equal(stats().free_pages, 255);
}

static void test_fragmentation_and_rebuild(void **state)
{
    init_one(1 * MIB, 65 * PG, 0); /* 1 meta page + 64 */
    uint64_t pages[64];
    for (int i = 0; i < 64; i++)
        assert_int_equal(pmm_alloc_page(&pmm, &pages[i]), E_OK);
    /* Free every other page: no two free pages touch. */
    for (int i = 0; i < 64; i += 2)
        assert_int_equal(pmm_free_page(&pmm, pages[i]), E_OK);
    uint64_t pa;
    assert_int_equal(pmm_alloc_pages(&pmm, 2, &pa), E_NOMEM);
    /* Then the rest, in an order that never touches the top: the stack
     * fills up and is rebuilt from the bitmap. */
    for (int i = 1; i < 64; i += 2)
        assert_int_equal(pmm_free_page(&pmm, pages[i]), E_OK);
    assert_true(pmm.top <= pmm.capacity);
    assert_int_equal(stats().free_pages, 64);
    /* Adjacent entries merge for a contiguous request. */
    assert_int_equal(pmm_alloc_pages(&pmm, 64, &pa), E_OK);
    assert_int_equal(pa, pages[0] < pages[63] ? pages[0] : pages[63]);
    assert_int_equal(pmm_alloc_page(&pmm, &pa), E_NOMEM);
}

static void test_rebuild_on_full_stack(void **state)
{
    init_one(1 * MIB, 129 * PG, 0);
    uint64_t pages[128];
    for (int i = 0; i < 128; i++)
        assert_int_equal(pmm_alloc_page(&pmm, &pages[i]), E_OK);
    /* Even pages from the top down never touch the previous top entry. */
    for (int i = 126; i >= 0; i -= 4)
        assert_int_equal(pmm_free_page(&pmm, pages[i]), E_OK);
    for (int i = 124; i >= 0; i -= 4)
        assert_int_equal(pmm_free_page(&pmm, pages[i]), E_OK);
    for (int i = 1; i < 128; i += 2)
        assert_int_equal(pmm_free_page(&pmm, pages[i]), E_OK);
    assert_true(pmm.top <= pmm.capacity);
    for (int i = 0; i < 128; i++) {
        uint64_t pa;
        assert_int_equal(pmm_alloc_page(&pmm, &pa), E_OK);
        assert_true(pmm_owns(&pmm, pa));
    }
    uint64_t pa;
    assert_int_equal(pmm_alloc_page(&pmm, &pa), E_NOMEM);
}

static void test_adjacent_regions_merge(void **state)
{
    BootMemRegion map[] = {region(1 * MIB, MIB, BOOT_MEM_USABLE),
                           region(2 * MIB, MIB, BOOT_MEM_USABLE)};
    assert_int_equal(pmm_init(&pmm, map, 2, 0), E_OK);
    assert_int_equal(pmm.top, 1);
    uint64_t pa;
    assert_int_equal(pmm_alloc_pages(&pmm, 300, &pa), E_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_counts_and_meta, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_all_then_free_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calls_release_lock_and_restore_interrupts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_free_merges_with_top_both_sides, setup, teardown),
        cmocka_unit_test_setup_teardown(test_low_limit_and_page_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_with_holes_and_reserved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_and_double_frees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contiguous_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fragmentation_and_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_on_full_stack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_adjacent_regions_merge, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
