// Host tests of the VMM over riscv64's real arch/paging.h (Sv48): the
// common cases plus the exact PTE bits (V, R, W, X, U, G, A, D, PPN).
// TEST_SOURCES: kernel/mm/vmm.c
// TEST_CFLAGS: -Ikernel/arch/riscv64/include
#include "vmm_cases.h"

#define RV_PPN(pa) (((pa) >> 12) << RV_PTE_PPN_SHIFT)

static void test_riscv_pte_bits(void **state)
{
    int level;
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, VMM_READ), E_OK);
    Pte e = raw_leaf(root, KVA, &level);
    assert_int_equal(e, RV_PPN(FRAMEA) | RV_PTE_V | RV_PTE_R | RV_PTE_A | RV_PTE_D);
    assert_int_equal(
        vmm_map_page(root, KVA + PG, FRAMEA, RW | VMM_EXEC | VMM_USER | VMM_GLOBAL | VMM_NOCACHE),
        E_OK);
    e = raw_leaf(root, KVA + PG, &level);
    assert_int_equal(e, RV_PPN(FRAMEA) | RV_PTE_V | RV_PTE_R | RV_PTE_W | RV_PTE_X | RV_PTE_U |
                            RV_PTE_G | RV_PTE_A | RV_PTE_D);
    unsigned flags;
    uint64_t pa;
    assert_int_equal(vmm_translate(root, KVA + PG, &pa, &flags), E_OK);
    /* No Svpbmt: NOCACHE is not recorded in the PTE. */
    assert_int_equal(flags, VMM_FLAGS_ALL & ~VMM_NOCACHE);
    /* Pointers to tables are V alone. */
    Pte top = raw_root_entry(KVA);
    assert_int_equal(top & 0x3FF, RV_PTE_V);
    assert_int_equal(vmm_map(root, KVA + GIB, 3 * GIB, MM_SIZE_1G, RW), E_OK);
    e = raw_leaf(root, KVA + GIB, &level);
    assert_int_equal(level, 2);
    assert_int_equal(e, RV_PPN(3 * GIB) | RV_PTE_V | RV_PTE_R | RV_PTE_W | RV_PTE_A | RV_PTE_D);
}

static void test_riscv_canonical(void **state)
{
    assert_true(arch_va_canonical(0x00007FFFFFFFFFFFull));
    assert_true(arch_va_canonical(0xFFFF800000000000ull));
    assert_false(arch_va_canonical(0x0000800000000000ull));
    assert_false(arch_va_canonical(0x8000000000000000ull));
    assert_int_equal(arch_paging_max_leaf_level(), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        VMM_COMMON_TESTS,
        cmocka_unit_test_setup_teardown(test_riscv_pte_bits, vmm_setup, vmm_teardown),
        cmocka_unit_test_setup_teardown(test_riscv_canonical, vmm_setup, vmm_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
