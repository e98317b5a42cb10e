// Host tests for the pure parts of riscv64 hart start-up (smp_plan.c): the
// trampoline tables, the start block encoding and the CPU order over QEMU's blobs.
// TEST_SOURCES: kernel/arch/riscv64/smp_plan.c kernel/arch/riscv64/dt_platform.c
// TEST_SOURCES: kernel/lib/fdt.c kernel/lib/fdt_prop.c
// TEST_CFLAGS: -Ikernel/arch/riscv64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <test_fixture.h>

#include "../../../../kernel/arch/riscv64/dt_platform.h"
#include "../../../../kernel/arch/riscv64/smp_plan.h"

#define PTE_V 0x01ull
#define PTE_R 0x02ull
#define PTE_W 0x04ull
#define PTE_X 0x08ull
#define PTE_U 0x10ull
#define PTE_G 0x20ull
#define PTE_A 0x40ull

static uint64_t root[512], ident[512], kernel_root[512];

static int setup(void **state)
{
    for (int i = 0; i < 512; i++) {
        kernel_root[i] = 0x1000 + (uint64_t)i; /* both halves, to see what is copied */
        root[i] = ident[i] = 0xdeadbeef;
    }
    return 0;
}

static uint64_t ppn_of(uint64_t pte)
{
    return (pte >> 10) << 12;
}

/* QEMU virt: the image at 0x80200000, root slot 0, gigapage 2. */
static void test_trampoline_virt(void **state)
{
    uint64_t entry = 0x80201234, ident_pa = 0x80345000;
    assert_int_equal(riscv_smp_trampoline_build(root, ident, kernel_root, ident_pa, entry), E_OK);
    for (int i = 256; i < 512; i++) {
        assert_int_equal(root[i], kernel_root[i]);
    }
    assert_int_equal(root[0], ((ident_pa >> 12) << 10) | PTE_V); /* a pointer: V alone */
    for (int i = 1; i < 256; i++) {
        assert_int_equal(root[i], 0);
    }
    for (int i = 0; i < 512; i++) {
        if (i != 2) {
            assert_int_equal(ident[i], 0);
        }
    }
    assert_int_equal(ppn_of(ident[2]), 0x80000000ull);
    assert_int_equal(ident[2] & 0x3ff, PTE_V | PTE_R | PTE_X | PTE_A); /* not W, U or G */
    assert_int_equal(ident[2] & (PTE_W | PTE_U | PTE_G), 0);
}

/* An image above 512 GiB lands in another root slot and gigapage. */
static void test_trampoline_high_memory(void **state)
{
    uint64_t entry = (1ull << 39) + (3ull << 30) + 0x200000;
    assert_int_equal(riscv_smp_trampoline_build(root, ident, kernel_root, 0x5000, entry), E_OK);
    assert_int_equal(root[0], 0);
    assert_int_equal(root[1], ((0x5000ull >> 12) << 10) | PTE_V);
    assert_int_equal(ppn_of(ident[3]), (1ull << 39) + (3ull << 30));
    assert_int_equal(ident[2], 0);
}

/* Errors change nothing. */
static void test_trampoline_errors(void **state)
{
    assert_int_equal(riscv_smp_trampoline_build(root, ident, kernel_root, 0x5008, 0x80200000),
                     E_ALIGN);
    /* Slot 256 and up would shadow the kernel half. */
    assert_int_equal(riscv_smp_trampoline_build(root, ident, kernel_root, 0x5000, 1ull << 47),
                     E_RANGE);
    assert_int_equal(riscv_smp_trampoline_build(root, ident, kernel_root, 0x5000, 1ull << 48),
                     E_RANGE);
    for (int i = 0; i < 512; i++) {
        assert_int_equal(root[i], 0xdeadbeef);
        assert_int_equal(ident[i], 0xdeadbeef);
    }
}

static void test_satp_and_claim(void **state)
{
    assert_int_equal(riscv_satp_sv48(0x80345000), (9ull << 60) | 0x80345);
    assert_int_equal(riscv_smp_claim(5, SMP_STATE_WAITING), 0x500000001ull);
    assert_int_equal(riscv_smp_claim(0, SMP_STATE_IDLE), 0);
    /* One hart's WAITING is never another's, nor any other state of its own. */
    assert_true(riscv_smp_claim(1, SMP_STATE_WAITING) != riscv_smp_claim(2, SMP_STATE_WAITING));
    assert_true(riscv_smp_claim(1, SMP_STATE_WAITING) != riscv_smp_claim(1, SMP_STATE_ABANDONED));
    assert_int_equal(riscv_smp_claim(0xffffffffu, SMP_STATE_RUNNING) >> 32, 0xffffffffu);
}

/* smp_entry.S reads these offsets with the MMU off. */
static void test_block_layout(void **state)
{
    assert_int_equal(offsetof(RiscvSmpStart, claim), 0);
    assert_int_equal(offsetof(RiscvSmpStart, tramp_satp), 8);
    assert_int_equal(offsetof(RiscvSmpStart, kernel_satp), 16);
    assert_int_equal(offsetof(RiscvSmpStart, stack_top), 24);
    assert_int_equal(offsetof(RiscvSmpStart, percpu), 32);
    assert_int_equal(sizeof(RiscvSmpStart), SMP_START_SIZE);
}

static void test_order_basic(void **state)
{
    uint32_t ids[] = {0, 1, 2, 3}, out[8];
    assert_int_equal(riscv_smp_order(ids, 4, 2, out, 8), 4);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 0);
    assert_int_equal(out[2], 1);
    assert_int_equal(out[3], 3);
    assert_int_equal(riscv_smp_order(ids, 4, 0, out, 8), 4);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[3], 3);
}

/* The running hart counts even when the devicetree leaves it out. */
static void test_order_boot_not_listed(void **state)
{
    uint32_t ids[] = {1, 2}, out[8];
    assert_int_equal(riscv_smp_order(ids, 2, 7, out, 8), 3);
    assert_int_equal(out[0], 7);
    assert_int_equal(out[1], 1);
    assert_int_equal(out[2], 2);
    assert_int_equal(riscv_smp_order(NULL, 0, 7, out, 8), 1);
    assert_int_equal(out[0], 7);
}

static void test_order_limits(void **state)
{
    uint32_t ids[] = {0, 1, 2, 3}, out[4] = {99, 99, 99, 99};
    assert_int_equal(riscv_smp_order(ids, 4, 3, out, 2), 2);
    assert_int_equal(out[0], 3);
    assert_int_equal(out[1], 0);
    assert_int_equal(out[2], 99);
    assert_int_equal(riscv_smp_order(ids, 4, 3, out, 0), 0);
}

/* The order the kernel uses on QEMU's blobs: arch_smp_* = this over
 * riscv_dt_harts. */
static uint32_t order_from_blob(uint8_t *data, size_t size, uint32_t boot, uint32_t *out)
{
    Fdt fdt;
    RiscvHartList list;
    uint32_t ids[RISCV_MAX_HARTS];
    assert_int_equal(fdt_init(&fdt, data, size), E_OK);
    assert_int_equal(riscv_dt_harts(&fdt, &list), E_OK);
    for (uint32_t i = 0; i < list.count; i++) {
        ids[i] = list.harts[i].hart_id;
    }
    return riscv_smp_order(ids, list.count, boot, out, RISCV_MAX_HARTS);
}

static void check_blob(const char *name, uint32_t harts)
{
    size_t size;
    uint8_t *data = fixture_load(name, &size);
    uint32_t out[RISCV_MAX_HARTS];
    uint32_t boot = harts - 1; /* OpenSBI's lottery may pick any hart */
    assert_int_equal(order_from_blob(data, size, boot, out), harts);
    assert_int_equal(out[0], boot);
    for (uint32_t i = 1; i < harts; i++) {
        assert_int_equal(out[i], i - 1);
    }
    free(data);
}

static void test_order_virt_blobs(void **state)
{
    check_blob("dtb/virt-smp1-256M.dtb", 1);
    check_blob("dtb/virt-smp4-512M.dtb", 4);
    check_blob("dtb/virt-smp4-512M-opensbi.dtb", 4);
    check_blob("dtb/virt-smp16-2G.dtb", 16);
}

/* A hart without an Sv48 MMU (a monitor core) is not a CPU to start. */
static void test_order_excludes_no_mmu(void **state)
{
    size_t size;
    uint8_t *data = fixture_load("dtb/virt-smp4-512M.dtb", &size);
    size_t i = 0;
    while (i + 10 <= size && memcmp(data + i, "riscv,sv48", 10) != 0) {
        i++; /* the first one is cpu@0's mmu-type */
    }
    assert_true(i + 10 <= size);
    memcpy(data + i, "riscv,none", 10);
    uint32_t out[RISCV_MAX_HARTS];
    assert_int_equal(order_from_blob(data, size, 2, out), 3);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 1);
    assert_int_equal(out[2], 3);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_trampoline_virt, setup),
        cmocka_unit_test_setup(test_trampoline_high_memory, setup),
        cmocka_unit_test_setup(test_trampoline_errors, setup),
        cmocka_unit_test(test_satp_and_claim),
        cmocka_unit_test(test_block_layout),
        cmocka_unit_test(test_order_basic),
        cmocka_unit_test(test_order_boot_not_listed),
        cmocka_unit_test(test_order_limits),
        cmocka_unit_test(test_order_virt_blobs),
        cmocka_unit_test(test_order_excludes_no_mmu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
