// Host tests of a process's region set: placement, overlap refusal,
// bounds, removal, gap search and the protection rule page faults use.
// TEST_SOURCES: kernel/proc/vm_region.c
// TEST_CFLAGS: -Itests/host/fake
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <anos/syscall.h>
#include <proc/vm.h>

#define PG  4096ull
#define MIN 0x10000ull
#define TOP 0x7FFFFFFFF000ull
#define RW  (ANOS_PROT_READ | ANOS_PROT_WRITE)
#define RX  (ANOS_PROT_READ | ANOS_PROT_EXEC)

static Error add(VmRegionSet *s, uint64_t base, uint64_t size)
{
    return vm_region_add(s, base, size, VM_REGION_ANON, RW, MIN, TOP);
}

static void test_add_keeps_order_and_finds(void **state)
{
    VmRegionSet s = {0};
    assert_int_equal(add(&s, 0x300000, 2 * PG), E_OK);
    assert_int_equal(add(&s, 0x100000, PG), E_OK);
    assert_int_equal(add(&s, 0x200000, PG), E_OK);
    assert_int_equal(s.count, 3);
    assert_true(s.regions[0].base < s.regions[1].base);
    assert_true(s.regions[1].base < s.regions[2].base);
    assert_ptr_equal(vm_region_find(&s, 0x300000 + PG + 5), &s.regions[2]);
    assert_null(vm_region_find(&s, 0x300000 + 2 * PG));
    assert_null(vm_region_find(&s, 0x100000 - 1));
    assert_null(vm_region_find(&s, 0));
}

static void test_overlaps_refused(void **state)
{
    VmRegionSet s = {0};
    assert_int_equal(add(&s, 0x200000, 4 * PG), E_OK);
    assert_int_equal(add(&s, 0x200000, PG), E_EXIST);
    assert_int_equal(add(&s, 0x200000 + 3 * PG, 2 * PG), E_EXIST);
    assert_int_equal(add(&s, 0x200000 - PG, 2 * PG), E_EXIST);
    assert_int_equal(add(&s, 0x100000, 0x200000), E_EXIST); /* covers it entirely */
    assert_int_equal(add(&s, 0x200000 - PG, PG), E_OK);     /* adjacent below */
    assert_int_equal(add(&s, 0x200000 + 4 * PG, PG), E_OK); /* adjacent above */
    assert_int_equal(s.count, 3);
}

static void test_bounds_and_alignment(void **state)
{
    VmRegionSet s = {0};
    assert_int_equal(add(&s, 0x200001, PG), E_ALIGN);
    assert_int_equal(add(&s, 0x200000, PG + 1), E_ALIGN);
    assert_int_equal(add(&s, 0x200000, 0), E_RANGE);
    assert_int_equal(add(&s, 0, PG), E_RANGE);
    assert_int_equal(add(&s, MIN - PG, PG), E_RANGE);
    assert_int_equal(add(&s, TOP, PG), E_RANGE);
    assert_int_equal(add(&s, TOP - PG, 2 * PG), E_RANGE);
    assert_int_equal(add(&s, 0xFFFF800000000000ull, PG), E_RANGE);       /* kernel half */
    assert_int_equal(add(&s, TOP - PG, 0xFFFFFFFFFFFFF000ull), E_RANGE); /* wraps */
    assert_int_equal(add(&s, TOP - PG, PG), E_OK);
    assert_int_equal(add(&s, MIN, PG), E_OK);
}

static void test_full_set(void **state)
{
    VmRegionSet s = {0};
    for (int i = 0; i < VM_MAX_REGIONS; i++) {
        assert_int_equal(add(&s, 0x100000 + (uint64_t)i * 2 * PG, PG), E_OK);
    }
    assert_int_equal(add(&s, 0x40000000, PG), E_NOMEM);
}

static void test_remove_exact_only(void **state)
{
    VmRegionSet s = {0};
    assert_int_equal(add(&s, 0x100000, 2 * PG), E_OK);
    assert_int_equal(add(&s, 0x200000, PG), E_OK);
    VmRegion r;
    assert_int_equal(vm_region_remove(&s, 0x100000, PG, &r), E_NOENT);
    assert_int_equal(vm_region_remove(&s, 0x100000 + PG, PG, &r), E_NOENT);
    assert_int_equal(vm_region_remove(&s, 0x100000, 2 * PG, &r), E_OK);
    assert_int_equal(r.base, 0x100000);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.regions[0].base, 0x200000);
    assert_int_equal(vm_region_remove(&s, 0x100000, 2 * PG, NULL), E_NOENT);
}

static void test_gap_search(void **state)
{
    VmRegionSet s = {0};
    uint64_t base;
    assert_int_equal(vm_region_find_gap(&s, 0x100000, PG, TOP, &base), E_OK);
    assert_int_equal(base, 0x100000);
    assert_int_equal(add(&s, 0x100000, 2 * PG), E_OK);
    assert_int_equal(add(&s, 0x100000 + 3 * PG, PG), E_OK);
    /* One free page between them: a one-page request fits, two do not. */
    assert_int_equal(vm_region_find_gap(&s, 0x100000, PG, TOP, &base), E_OK);
    assert_int_equal(base, 0x100000 + 2 * PG);
    assert_int_equal(vm_region_find_gap(&s, 0x100000, 2 * PG, TOP, &base), E_OK);
    assert_int_equal(base, 0x100000 + 4 * PG);
    assert_int_equal(vm_region_find_gap(&s, TOP - PG, 2 * PG, TOP, &base), E_NOMEM);
    assert_int_equal(vm_region_find_gap(&s, 0x100000, 0, TOP, &base), E_INVAL);
    assert_int_equal(vm_region_find_gap(&s, 0x100001, PG, TOP, &base), E_INVAL);
}

static void test_prot_rule(void **state)
{
    assert_true(vm_prot_allows(ANOS_PROT_READ, USER_ACCESS_READ));
    assert_false(vm_prot_allows(ANOS_PROT_READ, USER_ACCESS_WRITE));
    assert_false(vm_prot_allows(ANOS_PROT_READ, USER_ACCESS_EXEC));
    assert_true(vm_prot_allows(RW, USER_ACCESS_WRITE));
    assert_false(vm_prot_allows(RW, USER_ACCESS_EXEC));
    assert_true(vm_prot_allows(RX, USER_ACCESS_EXEC));
    assert_false(vm_prot_allows(RX, USER_ACCESS_WRITE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_keeps_order_and_finds),
        cmocka_unit_test(test_overlaps_refused),
        cmocka_unit_test(test_bounds_and_alignment),
        cmocka_unit_test(test_full_set),
        cmocka_unit_test(test_remove_exact_only),
        cmocka_unit_test(test_gap_search),
        cmocka_unit_test(test_prot_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
