// Host tests of mm_setup: the kernel's page tables built from a BootInfo
// over fake RAM (direct map per region type, image permissions, boot-table
// lookup of the image), the switch, the "mem:" summary and every error.
// TEST_SOURCES: kernel/mm/mm_init.c kernel/mm/pmm.c kernel/mm/vmm.c
// TEST_SOURCES: kernel/mm/fba.c kernel/mm/slab.c kernel/mm/selftest.c
// TEST_CFLAGS: -Itests/host/fake -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_ram.h"
#include <arch/paging.h>
#include <arch/tlb.h>
#include <kprintf.h>
#include <mm/mm.h>
#include <mm/selftest.h>
#include <mm/slab.h>
#include <mm/vmm.h>

FakeTlb fake_tlb;

/* mm_init (not tested here) reads these linker symbols; the C runtime
 * already defines __data_start. */
char __kernel_start[1], __text_start[1], __text_end[1], __rodata_start[1], __rodata_end[1];
char __kernel_end[1];

/* The fake interrupt flag (tests/host/fake/arch/cpu.h). */
bool fake_irq_enabled;
static char log_buf[8192];
static size_t log_len;

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);
    va_end(ap);
    if (n > 0)
        log_len +=
            (size_t)n < sizeof(log_buf) - log_len ? (size_t)n : sizeof(log_buf) - log_len - 1;
    return n;
}

#define KIB   1024ull
#define MIB   (1024ull * KIB)
#define GIB   (1024ull * MIB)
#define PG    MM_PAGE_SIZE
#define IMAGE 0xFFFFFFFF80200000ull
#define KPHYS (2 * MIB)

static BootInfo bi;
static MmKernelImage img;

static void add(uint64_t base, uint64_t length, uint32_t type)
{
    BootMemRegion *r = &bi.mem_regions[bi.mem_region_count++];
    r->base = base;
    r->length = length;
    r->type = type;
}

static int setup(void **state)
{
    fake_ram_init(16 * MIB);
    memset(&fake_tlb, 0, sizeof(fake_tlb));
    memset(&bi, 0, sizeof(bi));
    log_len = 0;
    log_buf[0] = 0;
    bi.direct_map_base = mm_direct_map_base;
    bi.kernel_phys_base = KPHYS;
    bi.kernel_phys_size = 64 * KIB;
    add(0x1000, 0x9E000, BOOT_MEM_USABLE);
    add(0x9F000, 0x61000, BOOT_MEM_RESERVED);
    add(1 * MIB, 1 * MIB, BOOT_MEM_USABLE);
    add(KPHYS, 64 * KIB, BOOT_MEM_KERNEL);
    add(KPHYS + 64 * KIB, 1 * MIB - 64 * KIB, BOOT_MEM_RECLAIMABLE);
    add(3 * MIB, 11 * MIB, BOOT_MEM_USABLE);
    add(14 * MIB, 64 * KIB, BOOT_MEM_ACPI_RECLAIM);
    add(14 * MIB + 64 * KIB, 64 * KIB, BOOT_MEM_ACPI_NVS);
    add(14 * MIB + 128 * KIB, 1 * MIB - 128 * KIB, BOOT_MEM_FIRMWARE);
    add(15 * MIB, PG, BOOT_MEM_BAD);
    add(15 * MIB + PG, 1 * MIB - PG, BOOT_MEM_USABLE);
    add(0xC0000000, 4 * MIB, BOOT_MEM_FRAMEBUFFER);
    add(0xFEC00000, 0x1400000 + 2 * MIB, BOOT_MEM_RESERVED); /* straddles 4 GiB */
    add(0x200000000, 1 * MIB, BOOT_MEM_RESERVED);
    img.start = IMAGE;
    img.text_start = IMAGE;
    img.text_end = IMAGE + 4 * PG;
    img.rodata_start = IMAGE + 4 * PG;
    img.rodata_end = IMAGE + 6 * PG;
    img.data_start = IMAGE + 6 * PG;
    img.end = IMAGE + 9 * PG + 0x123;
    return 0;
}

static int teardown(void **state)
{
    fake_ram_fini();
    return 0;
}

static void expect(uint64_t va, Error err, uint64_t pa, unsigned flags)
{
    uint64_t got_pa;
    unsigned got_flags;
    assert_int_equal(vmm_translate(mm_kernel_root(), va, &got_pa, &got_flags), err);
    if (err == E_OK) {
        assert_int_equal(got_pa, pa);
        assert_int_equal(got_flags, flags);
    }
}

#define DM(pa) (mm_direct_map_base + (pa))
#define CACHED (VMM_READ | VMM_WRITE | VMM_GLOBAL)
#define DEVICE (CACHED | VMM_NOCACHE)
#define TEXT   (VMM_READ | VMM_EXEC | VMM_GLOBAL)
#define RODATA (VMM_READ | VMM_GLOBAL)

static void test_builds_and_switches(void **state)
{
    assert_int_equal(mm_setup(&bi, &img, 1 * MIB), E_OK);
    assert_int_equal(fake_tlb.root, mm_kernel_root());
    assert_true(fake_tlb.flush_all >= 1);
    /* Direct map by region type. */
    expect(DM(0x5000), E_OK, 0x5000, CACHED);
    expect(DM(0x9F000), E_OK, 0x9F000, DEVICE);
    expect(DM(KPHYS + 8), E_OK, KPHYS + 8, CACHED);
    expect(DM(14 * MIB + 70 * KIB), E_OK, 14 * MIB + 70 * KIB, CACHED);
    expect(DM(15 * MIB), E_NOENT, 0, 0); /* bad RAM */
    expect(DM(15 * MIB + PG), E_OK, 15 * MIB + PG, CACHED);
    expect(DM(0x80000000), E_OK, 0x80000000, DEVICE); /* hole below 4 GiB */
    expect(DM(0xC0001000), E_OK, 0xC0001000, DEVICE);
    expect(DM(0xFFFFF000), E_OK, 0xFFFFF000, DEVICE);
    expect(DM(0x100000000), E_NOENT, 0, 0); /* reserved above 4 GiB */
    expect(DM(0x200000000), E_NOENT, 0, 0);
    /* The image, contiguous from kernel_phys_base without boot tables. */
    expect(IMAGE + 0x10, E_OK, KPHYS + 0x10, TEXT);
    expect(IMAGE + 5 * PG, E_OK, KPHYS + 5 * PG, RODATA);
    expect(IMAGE + 6 * PG, E_OK, KPHYS + 6 * PG, CACHED);
    expect(IMAGE + 9 * PG + 0x200, E_OK, KPHYS + 9 * PG + 0x200, CACHED);
    expect(IMAGE + 10 * PG, E_NOENT, 0, 0);
    /* Allocators ready; the summary accounts for every region. */
    assert_true(fba_free_count(&mm_fba) >= 16);
    void *p;
    assert_int_equal(slab_alloc(40, &p), E_OK);
    assert_int_equal(slab_free(p), E_OK);
    assert_non_null(strstr(log_buf, "memmap: 0000000000001000-000000000009efff usable"));
    const char *mem = strstr(log_buf, "mem: ");
    assert_non_null(mem);
    assert_non_null(strstr(mem, "usable 13308 KiB"));
    assert_non_null(strstr(mem, "low 632 KiB"));
    assert_non_null(strstr(mem, "kernel 64 KiB"));
    assert_non_null(strstr(mem, "reclaimable 960 KiB"));
    assert_non_null(strstr(mem, "acpi 128 KiB"));
    assert_non_null(strstr(mem, "firmware 896 KiB"));
    assert_non_null(strstr(mem, "framebuffer 4096 KiB"));
    assert_non_null(strstr(mem, "reserved 23940 KiB"));
    assert_non_null(strstr(mem, "bad 4 KiB"));
    PmmStats st;
    pmm_stats(&mm_pmm, &st);
    assert_int_equal(st.total_pages, 13308 / 4);
    /* Large pages keep the tables few: meta, tables, fba and nothing else. */
    assert_true(st.used_pages - st.meta_pages - (mm_fba.blocks + 1) < 32);
    /* The in-kernel self-tests that need no live mapping run here too
     * (vmm_selftest touches its scratch address, so only the boot runs it). */
    assert_true(pmm_selftest());
    assert_true(slab_selftest());
}

/* Boot tables built in reclaimable RAM, mapping the image pages in reverse
 * order (the x86 loader may scatter them); pages from 2 MiB + 64 KiB on. */
static uint64_t boot_next = KPHYS + 64 * KIB;

static Error boot_alloc(void *ctx, uint64_t *pa)
{
    *pa = boot_next;
    boot_next += PG;
    return E_OK;
}

static void boot_free(void *ctx, uint64_t pa)
{
}

static void build_boot_tables(int pages)
{
    boot_next = KPHYS + 64 * KIB;
    VmmTableAllocator a = {.alloc = boot_alloc, .free = boot_free};
    vmm_set_table_allocator(&a);
    uint64_t root;
    assert_int_equal(vmm_root_create(&root), E_OK);
    for (int i = 0; i < pages; i++)
        assert_int_equal(vmm_map_page(root, IMAGE + i * PG, KPHYS + (15 - i) * PG, TEXT), E_OK);
    fake_tlb.root = root;
}

static void test_image_pages_from_boot_tables(void **state)
{
    build_boot_tables(10);
    assert_int_equal(mm_setup(&bi, &img, 1 * MIB), E_OK);
    expect(IMAGE, E_OK, KPHYS + 15 * PG, TEXT);
    expect(IMAGE + 4 * PG + 4, E_OK, KPHYS + 11 * PG + 4, RODATA);
    expect(IMAGE + 9 * PG, E_OK, KPHYS + 6 * PG, CACHED);
}

static void test_boot_tables_missing_image_page(void **state)
{
    build_boot_tables(9);
    assert_int_equal(mm_setup(&bi, &img, 1 * MIB), E_CORRUPT);
    assert_non_null(strstr(log_buf, "do not map kernel page"));
}

static void test_refused_root(void **state)
{
    fake_tlb.refuse_root = true;
    assert_int_equal(mm_setup(&bi, &img, 1 * MIB), E_NOSYS);
}

static void test_bad_bootinfo_and_image(void **state)
{
    BootInfo saved = bi;
    MmKernelImage good = img;
    bi.direct_map_base += PG;
    assert_int_equal(mm_setup(&bi, &img, 0), E_INVAL);
    bi = saved;
    bi.mem_region_count = BOOTINFO_MAX_MEM_REGIONS + 1;
    assert_int_equal(mm_setup(&bi, &img, 0), E_INVAL);
    bi = saved;
    img.text_end += 8;
    assert_int_equal(mm_setup(&bi, &img, 0), E_INVAL);
    img = good;
    img.rodata_start = img.text_start - PG; /* out of order */
    assert_int_equal(mm_setup(&bi, &img, 0), E_INVAL);
    img = good;
    bi.kernel_phys_size = 8 * PG; /* smaller than the image */
    assert_int_equal(mm_setup(&bi, &img, 0), E_INVAL);
    bi = saved;
    bi.kernel_phys_base += 8;
    assert_int_equal(mm_setup(&bi, &img, 0), E_INVAL);
    bi = saved;
    for (uint32_t i = 0; i < bi.mem_region_count; i++) {
        if (bi.mem_regions[i].type == BOOT_MEM_USABLE)
            bi.mem_regions[i].type = BOOT_MEM_RESERVED;
    }
    assert_int_equal(mm_setup(&bi, &img, 0), E_NOMEM);
}

static void test_too_little_memory(void **state)
{
    /* Enough for the PMM and the page tables, not for the fba. */
    bi.mem_region_count = 0;
    add(1 * MIB, 24 * PG, BOOT_MEM_USABLE);
    add(KPHYS, 64 * KIB, BOOT_MEM_KERNEL);
    assert_int_equal(mm_setup(&bi, &img, 1 * MIB), E_NOMEM);
    /* Not even enough for the page tables. */
    bi.mem_region_count = 0;
    add(1 * MIB, 4 * PG, BOOT_MEM_USABLE);
    add(KPHYS, 64 * KIB, BOOT_MEM_KERNEL);
    assert_int_equal(mm_setup(&bi, &img, 1 * MIB), E_NOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_builds_and_switches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_pages_from_boot_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boot_tables_missing_image_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bootinfo_and_image, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_little_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
