// Host tests of the GDT/TSS/IDT encoders against the bit layouts in the Intel SDM
// (vol. 3A 3.4.5, 7.2.3, 6.14.1) and the selector order SYSCALL/SYSRET need.
// TEST_SOURCES: kernel/arch/x86_64/descriptors.c
// TEST_CFLAGS: -Ikernel/arch/x86_64 -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "descriptors.h"

static void test_flat_segments_match_known_values(void **state)
{
    uint64_t gdt[GDT_ENTRIES];
    static Tss tss;
    gdt_build(gdt, &tss);
    /* The well-known long-mode flat descriptors. */
    assert_int_equal(gdt[0], 0);
    assert_int_equal(gdt[GDT_KERNEL_CODE / 8], 0x00AF9A000000FFFFULL);
    assert_int_equal(gdt[GDT_KERNEL_DATA / 8], 0x00CF92000000FFFFULL);
    assert_int_equal(gdt[GDT_USER_DATA / 8], 0x00CFF2000000FFFFULL);
    assert_int_equal(gdt[GDT_USER_CODE / 8], 0x00AFFA000000FFFFULL);
}

static void test_sysret_selector_order(void **state)
{
    /* SYSCALL: SS = STAR.kernel + 8. SYSRET (64-bit): SS = base + 8,
     * CS = base + 16, with base = the kernel data selector. */
    assert_int_equal(GDT_KERNEL_CODE + 8, GDT_KERNEL_DATA);
    assert_int_equal(GDT_KERNEL_DATA + 8, GDT_USER_DATA);
    assert_int_equal(GDT_KERNEL_DATA + 16, GDT_USER_CODE);
    assert_int_equal(GDT_TSS / 8 + 2, GDT_ENTRIES);
}

static void test_segment_fields(void **state)
{
    uint64_t d = gdt_encode_segment(0x12345678, 0xABCDE, 0x9A, 0xA);
    assert_int_equal(d & 0xFFFF, 0xBCDE);             /* limit 15:0 */
    assert_int_equal((d >> 16) & 0xFFFFFF, 0x345678); /* base 23:0 */
    assert_int_equal((d >> 40) & 0xFF, 0x9A);         /* access */
    assert_int_equal((d >> 48) & 0xF, 0xA);           /* limit 19:16 */
    assert_int_equal((d >> 52) & 0xF, 0xA);           /* flags */
    assert_int_equal((d >> 56) & 0xFF, 0x12);         /* base 31:24 */
    /* Out-of-range limit and flags bits do not leak into other fields. */
    assert_int_equal(gdt_encode_segment(0, 0xFFFFFFFF, 0, 0xFF) >> 56, 0);
}

static void test_tss_descriptor(void **state)
{
    uint64_t d[2];
    gdt_encode_tss(0xFFFFFFFF80123456ULL, sizeof(Tss) - 1, d);
    assert_int_equal(d[0] & 0xFFFF, 103);
    assert_int_equal((d[0] >> 16) & 0xFFFFFF, 0x123456);
    assert_int_equal((d[0] >> 40) & 0xFF, 0x89); /* present, available 64-bit TSS */
    assert_int_equal((d[0] >> 52) & 0xF, 0);     /* byte granularity */
    assert_int_equal((d[0] >> 56) & 0xFF, 0x80);
    assert_int_equal(d[1], 0xFFFFFFFFULL);
}

static void test_tss_layout(void **state)
{
    assert_int_equal(sizeof(Tss), 104);
    assert_int_equal(offsetof(Tss, rsp), 4);
    assert_int_equal(offsetof(Tss, ist), 36);
    assert_int_equal(offsetof(Tss, iomap_base), 102);
}

static void test_gdt_build_places_tss(void **state)
{
    uint64_t gdt[GDT_ENTRIES];
    static Tss tss;
    gdt_build(gdt, &tss);
    uint64_t expected[2];
    gdt_encode_tss((uint64_t)(uintptr_t)&tss, sizeof(Tss) - 1, expected);
    assert_int_equal(gdt[GDT_TSS / 8], expected[0]);
    assert_int_equal(gdt[GDT_TSS / 8 + 1], expected[1]);
}

static void test_idt_gate(void **state)
{
    IdtGate g = idt_encode_gate(0xFFFFFFFF80201234ULL, GDT_KERNEL_CODE, 2, IDT_INTERRUPT_GATE);
    uint8_t raw[16];
    memcpy(raw, &g, sizeof(raw));
    uint64_t lo, hi;
    memcpy(&lo, raw, 8);
    memcpy(&hi, raw + 8, 8);
    assert_int_equal(lo & 0xFFFF, 0x1234);         /* offset 15:0 */
    assert_int_equal((lo >> 16) & 0xFFFF, 0x08);   /* selector */
    assert_int_equal((lo >> 32) & 0x7, 2);         /* IST */
    assert_int_equal((lo >> 40) & 0xFF, 0x8E);     /* P, DPL 0, interrupt gate */
    assert_int_equal((lo >> 48) & 0xFFFF, 0x8020); /* offset 31:16 */
    assert_int_equal(hi, 0xFFFFFFFFULL);           /* offset 63:32, reserved 0 */
    /* IST is 3 bits: larger values do not spill into the reserved bits. */
    g = idt_encode_gate(0, GDT_KERNEL_CODE, 0xFF, IDT_TRAP_GATE | IDT_DPL3);
    assert_int_equal(g.ist, 7);
    assert_int_equal(g.type_attr, 0xEF);
}

/* Each CPU's TSS: its own IST tops, nothing else, no I/O bitmap. */
static void test_tss_build(void **state)
{
    Tss tss;
    memset(&tss, 0xA5, sizeof(tss));
    const uint64_t tops[3] = {0xFFFFFFFF80401000ULL, 0xFFFFFFFF80406000ULL, 0xFFFFFFFF8040B000ULL};
    tss_build(&tss, tops, 3);
    assert_int_equal(tss.ist[0], tops[0]);
    assert_int_equal(tss.ist[1], tops[1]);
    assert_int_equal(tss.ist[2], tops[2]);
    for (int i = 3; i < 7; i++) {
        assert_int_equal(tss.ist[i], 0);
    }
    for (int i = 0; i < 3; i++) {
        assert_int_equal(tss.rsp[i], 0);
    }
    assert_int_equal(tss.iomap_base, sizeof(Tss));
    assert_int_equal(tss.reserved0, 0);
}

/* Two CPUs' GDTs: the same segments, each TSS descriptor pointing at that
 * CPU's own TSS (a shared one would be marked busy by the first ltr). */
static void test_per_cpu_gdts(void **state)
{
    static Tss tss[2];
    uint64_t gdt[2][GDT_ENTRIES];
    const uint64_t tops[2][3] = {{0x1000, 0x2000, 0x3000}, {0x11000, 0x12000, 0x13000}};
    for (int c = 0; c < 2; c++) {
        tss_build(&tss[c], tops[c], 3);
        gdt_build(gdt[c], &tss[c]);
    }
    for (int e = 0; e < GDT_TSS / 8; e++) {
        assert_int_equal(gdt[0][e], gdt[1][e]);
    }
    for (int c = 0; c < 2; c++) {
        uint64_t lo = gdt[c][GDT_TSS / 8], hi = gdt[c][GDT_TSS / 8 + 1];
        uint64_t base = ((lo >> 16) & 0xFFFFFF) | (((lo >> 56) & 0xFF) << 24) | (hi << 32);
        assert_int_equal(base, (uint64_t)(uintptr_t)&tss[c]);
        assert_int_equal((lo >> 40) & 0xFF, SEG_PRESENT | SEG_TSS_AVAIL);
        assert_int_equal(tss[c].ist[1], tops[c][1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat_segments_match_known_values),
        cmocka_unit_test(test_sysret_selector_order),
        cmocka_unit_test(test_segment_fields),
        cmocka_unit_test(test_tss_descriptor),
        cmocka_unit_test(test_tss_layout),
        cmocka_unit_test(test_gdt_build_places_tss),
        cmocka_unit_test(test_idt_gate),
        cmocka_unit_test(test_tss_build),
        cmocka_unit_test(test_per_cpu_gdts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
