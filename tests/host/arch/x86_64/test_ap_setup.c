// Host tests of the AP trampoline's pure parts (ap_setup.c): the choice of
// low pages from a memory map, the parameter block the trampoline reads,
// the temporary page tables and the CPU start order.
// TEST_SOURCES: kernel/arch/x86_64/ap_setup.c kernel/arch/x86_64/descriptors.c
// TEST_CFLAGS: -Ikernel/arch/x86_64 -Ikernel/arch/x86_64/include -Iinclude
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ap_setup.h"

#define KIB 1024ULL

static BootMemRegion region(uint64_t base, uint64_t length, uint32_t type)
{
    return (BootMemRegion){.base = base, .length = length, .type = type};
}

/* OVMF's q35 map: 0-640 KiB usable. Page 0 is never taken. */
static void test_area_find_ovmf(void **state)
{
    BootMemRegion map[] = {
        region(0, 640 * KIB, BOOT_MEM_USABLE),
        region(0x100000, 0x700000, BOOT_MEM_USABLE),
    };
    uint64_t pa = 0;
    assert_int_equal(ap_area_find(map, 2, &pa), E_OK);
    assert_int_equal(pa, 0x1000);
}

/* Unaligned or too short runs, other types, memory at or above 640 KiB
 * are skipped; the lowest fitting run wins whatever the map order. */
static void test_area_find_skips(void **state)
{
    BootMemRegion map[] = {
        region(0x50000, 0x20000, BOOT_MEM_USABLE), /* fits, but higher */
        region(0x2000, 0x3000, BOOT_MEM_USABLE),   /* 3 pages: too short */
        region(0x8000, 0x8000, BOOT_MEM_FIRMWARE), /* not usable */
        region(0x10800, 0x4000, BOOT_MEM_USABLE),  /* 0x11000..0x14800: 3.5 pages */
        region(0x20800, 0x5000, BOOT_MEM_USABLE),  /* 0x21000..0x25800: 4 pages */
        region(0x9E000, 0x10000, BOOT_MEM_USABLE), /* crosses 0xA0000: 2 pages below */
    };
    uint64_t pa = 0;
    assert_int_equal(ap_area_find(map, 6, &pa), E_OK);
    assert_int_equal(pa, 0x21000);
}

static void test_area_find_none(void **state)
{
    BootMemRegion map[] = {
        region(0, 0x1000, BOOT_MEM_USABLE),           /* page 0 only */
        region(0x9F000, 0x100000, BOOT_MEM_USABLE),   /* 1 page below 640 KiB */
        region(0x100000, 0x1000000, BOOT_MEM_USABLE), /* above 1 MiB */
    };
    uint64_t pa = 0x1234;
    assert_int_equal(ap_area_find(map, 3, &pa), E_NOMEM);
    assert_int_equal(pa, 0x1234);
    assert_int_equal(ap_area_find(map, 0, &pa), E_NOMEM);
}

static const ApTrampolineLayout layout = {.size = 0x90, .pm32_offset = 0x29, .lm64_offset = 0x63};

static ApStart good_start(void)
{
    return (ApStart){
        .area_phys = 0x8000,
        .kernel_cr3 = 0x123456000ULL, /* above 4 GiB is fine: loaded in long mode */
        .entry = 0xFFFFFFFF80201230ULL,
        .cpu = 0xFFFF800001234000ULL,
        .stack_top = 0xFFFF800002000000ULL,
    };
}

/* Every field at its fixed offset, with the absolute addresses the real-
 * mode and 32-bit code cannot compute for themselves. */
static void test_params_fill(void **state)
{
    ApParams p;
    memset(&p, 0xCC, sizeof(p));
    ApStart s = good_start();
    assert_int_equal(ap_params_fill(&p, &layout, &s), E_OK);
    const uint8_t *raw = (const uint8_t *)&p;
    uint16_t limit;
    uint32_t base, pm32, lm64, cr3;
    uint16_t sel32, sel64;
    memcpy(&limit, raw + 0x26, 2);
    memcpy(&base, raw + 0x28, 4);
    memcpy(&pm32, raw + 0x2C, 4);
    memcpy(&sel32, raw + 0x30, 2);
    memcpy(&lm64, raw + 0x34, 4);
    memcpy(&sel64, raw + 0x38, 2);
    memcpy(&cr3, raw + 0x3C, 4);
    assert_int_equal(limit, 4 * 8 - 1);
    assert_int_equal(base, 0x8000 + AP_PARAMS_OFFSET);
    assert_int_equal(pm32, 0x8029);
    assert_int_equal(sel32, AP_GDT_CODE32);
    assert_int_equal(lm64, 0x8063);
    assert_int_equal(sel64, AP_GDT_CODE64);
    assert_int_equal(cr3, 0x8000 + AP_PML4_OFFSET);
    assert_int_equal(p.kernel_cr3, s.kernel_cr3);
    assert_int_equal(p.entry, s.entry);
    assert_int_equal(p.cpu, s.cpu);
    assert_int_equal(p.stack_top, s.stack_top);
    assert_int_equal(p.reserved0[0] | p.reserved1 | p.reserved2, 0);
}

/* The temporary GDT: null, flat 32-bit code (D=1), flat data, 64-bit code
 * (L=1, D=0), the well-known encodings. */
static void test_params_gdt(void **state)
{
    ApParams p;
    ApStart s = good_start();
    assert_int_equal(ap_params_fill(&p, &layout, &s), E_OK);
    assert_int_equal(p.gdt[0], 0);
    assert_int_equal(p.gdt[AP_GDT_CODE32 / 8], 0x00CF9A000000FFFFULL);
    assert_int_equal(p.gdt[AP_GDT_DATA32 / 8], 0x00CF92000000FFFFULL);
    assert_int_equal(p.gdt[AP_GDT_CODE64 / 8], 0x00AF9A000000FFFFULL);
}

static void test_params_refused(void **state)
{
    ApParams p;
    ApStart s = good_start();
    s.stack_top += 8;
    assert_int_equal(ap_params_fill(&p, &layout, &s), E_INVAL);
    s = good_start();
    s.area_phys = 0x8800;
    assert_int_equal(ap_params_fill(&p, &layout, &s), E_INVAL);
    s.area_phys = 0x9E000; /* 4 pages would cross 640 KiB */
    assert_int_equal(ap_params_fill(&p, &layout, &s), E_INVAL);
    s.area_phys = 0;
    assert_int_equal(ap_params_fill(&p, &layout, &s), E_INVAL);
    s = good_start();
    s.cpu = 0;
    assert_int_equal(ap_params_fill(&p, &layout, &s), E_INVAL);
    s = good_start();
    ApTrampolineLayout big = {.size = AP_PARAMS_OFFSET + 1, .pm32_offset = 1, .lm64_offset = 2};
    assert_int_equal(ap_params_fill(&p, &big, &s), E_INVAL);
    ApTrampolineLayout outside = {.size = 0x40, .pm32_offset = 0x29, .lm64_offset = 0x63};
    assert_int_equal(ap_params_fill(&p, &outside, &s), E_INVAL);
}

/* Identity 2 MiB at 0 through slot 0, the kernel half shared, the user
 * half otherwise empty, no US bit (SMEP). */
static void test_low_tables(void **state)
{
    static uint64_t pml4[512], pdpt[512], pd[512], kernel[512];
    for (int i = 0; i < 512; i++) {
        kernel[i] = 0x1000ULL * (uint64_t)(i + 1) | 3;
        pml4[i] = pdpt[i] = pd[i] = ~0ULL;
    }
    ap_low_tables_build(pml4, pdpt, pd, 0x9000, 0xA000 - 0x1000, kernel);
    assert_int_equal(pml4[0], 0x9000 | 3);
    assert_int_equal(pdpt[0], 0x9000 | 3);
    assert_int_equal(pd[0], 0x83);
    for (int i = 1; i < 256; i++) {
        assert_int_equal(pml4[i], 0);
    }
    for (int i = 256; i < 512; i++) {
        assert_int_equal(pml4[i], kernel[i]);
    }
    for (int i = 1; i < 512; i++) {
        assert_int_equal(pdpt[i], 0);
        assert_int_equal(pd[i], 0);
    }
}

static void test_cpu_order(void **state)
{
    const uint32_t ids[] = {0, 1, 2, 3};
    /* Boot CPU first, then MADT order without it. */
    const uint32_t want[] = {2, 0, 1, 3};
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(ap_cpu_order(ids, 4, 2, i), want[i]);
    }
    assert_int_equal(ap_cpu_order(ids, 4, 2, 4), UINT32_MAX);
    assert_int_equal(ap_cpu_order(ids, 4, 0, 1), 1);
    /* A boot id the MADT does not list: no order at all. */
    assert_int_equal(ap_cpu_order(ids, 4, 9, 0), UINT32_MAX);
    assert_int_equal(ap_cpu_order(ids, 0, 0, 0), UINT32_MAX);
    const uint32_t one[] = {7};
    assert_int_equal(ap_cpu_order(one, 1, 7, 0), 7);
    assert_int_equal(ap_cpu_order(one, 1, 7, 1), UINT32_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_area_find_ovmf), cmocka_unit_test(test_area_find_skips),
        cmocka_unit_test(test_area_find_none), cmocka_unit_test(test_params_fill),
        cmocka_unit_test(test_params_gdt),     cmocka_unit_test(test_params_refused),
        cmocka_unit_test(test_low_tables),     cmocka_unit_test(test_cpu_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
