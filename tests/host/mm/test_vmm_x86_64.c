// Host tests of the VMM over x86_64's real arch/paging.h: the common cases
// plus the exact PTE bits (P, RW, US, PWT/PCD, PS, G, NX) it produces.
// TEST_SOURCES: kernel/mm/vmm.c
// TEST_CFLAGS: -Ikernel/arch/x86_64/include
#include "vmm_cases.h"

static void test_x86_pte_bits(void **state)
{
    int level;
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, VMM_READ), E_OK);
    Pte e = raw_leaf(root, KVA, &level);
    assert_int_equal(e, FRAMEA | X86_PTE_P | X86_PTE_NX);
    assert_int_equal(
        vmm_map_page(root, KVA + PG, FRAMEA, RW | VMM_EXEC | VMM_USER | VMM_GLOBAL | VMM_NOCACHE),
        E_OK);
    e = raw_leaf(root, KVA + PG, &level);
    assert_int_equal(e, FRAMEA | X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_G | X86_PTE_PCD |
                            X86_PTE_PWT);
    unsigned flags;
    uint64_t pa;
    assert_int_equal(vmm_translate(root, KVA + PG, &pa, &flags), E_OK);
    assert_int_equal(flags, VMM_FLAGS_ALL);
    /* Intermediate entries allow everything: the leaf decides. */
    Pte top = raw_root_entry(KVA);
    assert_int_equal(top & 0xFFF, X86_PTE_P | X86_PTE_RW | X86_PTE_US);
    assert_int_equal(top & X86_PTE_NX, 0);
    /* Large leaves carry PS; the address mask ignores PAT (bit 12). */
    assert_int_equal(vmm_map(root, KVA + MM_SIZE_2M, 6 * MIB, MM_SIZE_2M, RW), E_OK);
    e = raw_leaf(root, KVA + MM_SIZE_2M, &level);
    assert_int_equal(level, 1);
    assert_int_equal(e, 6 * MIB | X86_PTE_P | X86_PTE_RW | X86_PTE_PS | X86_PTE_NX);
    assert_int_equal(arch_pte_addr(e | (1ull << 12), 1), 6 * MIB);
    assert_int_equal(arch_pte_addr(e, 0), 6 * MIB);
}

static void test_x86_canonical(void **state)
{
    assert_true(arch_va_canonical(0x00007FFFFFFFFFFFull));
    assert_true(arch_va_canonical(0xFFFF800000000000ull));
    assert_false(arch_va_canonical(0x0000800000000000ull));
    assert_false(arch_va_canonical(0xFFFF7FFFFFFFFFFFull));
    assert_int_equal(pt_index(0xFFFF800000000000ull, 3), 256);
    assert_int_equal(pt_index(0xFFFFFFFF80000000ull, 2), 510);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        VMM_COMMON_TESTS,
        cmocka_unit_test_setup_teardown(test_x86_pte_bits, vmm_setup, vmm_teardown),
        cmocka_unit_test_setup_teardown(test_x86_canonical, vmm_setup, vmm_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
