// Host tests of syscall-rights sets: membership, range errors, and the
// subset rule a new process's set must satisfy.
// TEST_SOURCES: kernel/cap/syscall_rights.c
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cap/syscall_rights.h>

static SyscallRights set_of(const uint32_t *nrs, int n)
{
    SyscallRights s = syscall_rights_none();
    for (int i = 0; i < n; i++) {
        assert_int_equal(syscall_rights_add(&s, nrs[i]), E_OK);
    }
    return s;
}

static void test_none_and_all(void **state)
{
    SyscallRights none = syscall_rights_none();
    SyscallRights all = syscall_rights_all();
    for (uint32_t nr = 0; nr < SYSCALL_RIGHTS_BITS; nr++) {
        assert_false(syscall_rights_allows(&none, nr));
        assert_true(syscall_rights_allows(&all, nr));
    }
}

static void test_numbers_out_of_range(void **state)
{
    SyscallRights all = syscall_rights_all();
    SyscallRights s = syscall_rights_none();
    assert_false(syscall_rights_allows(&all, SYSCALL_RIGHTS_BITS));
    assert_false(syscall_rights_allows(&all, UINT32_MAX));
    assert_int_equal(syscall_rights_add(&s, SYSCALL_RIGHTS_BITS), E_RANGE);
    assert_int_equal(syscall_rights_add(&s, UINT32_MAX), E_RANGE);
    assert_int_equal(syscall_rights_remove(&all, SYSCALL_RIGHTS_BITS), E_RANGE);
    assert_true(syscall_rights_equal(&s, &(SyscallRights){{0}}));
    SyscallRights all2 = syscall_rights_all();
    assert_true(syscall_rights_equal(&all, &all2));
}

static void test_add_remove_at_word_edges(void **state)
{
    const uint32_t edges[] = {0, 1, 63, 64, 65, 127};
    SyscallRights s = set_of(edges, 6);
    for (uint32_t nr = 0; nr < SYSCALL_RIGHTS_BITS; nr++) {
        bool in = nr == 0 || nr == 1 || nr == 63 || nr == 64 || nr == 65 || nr == 127;
        assert_int_equal(syscall_rights_allows(&s, nr), in);
    }
    assert_int_equal(syscall_rights_remove(&s, 64), E_OK);
    assert_false(syscall_rights_allows(&s, 64));
    assert_true(syscall_rights_allows(&s, 63));
    assert_true(syscall_rights_allows(&s, 65));
    assert_int_equal(syscall_rights_remove(&s, 64), E_OK); /* removing an absent bit is fine */
}

static void test_subset_rules(void **state)
{
    SyscallRights none = syscall_rights_none();
    SyscallRights all = syscall_rights_all();
    const uint32_t pa[] = {1, 5, 70};
    const uint32_t pb[] = {1, 70};
    const uint32_t pc[] = {1, 71};
    SyscallRights a = set_of(pa, 3), b = set_of(pb, 2), c = set_of(pc, 2);

    assert_true(syscall_rights_subset(&none, &none));
    assert_true(syscall_rights_subset(&none, &a));
    assert_true(syscall_rights_subset(&a, &a));
    assert_true(syscall_rights_subset(&a, &all));
    assert_true(syscall_rights_subset(&all, &all));
    assert_false(syscall_rights_subset(&all, &a));
    assert_true(syscall_rights_subset(&b, &a));
    assert_false(syscall_rights_subset(&a, &b));
    assert_false(syscall_rights_subset(&c, &a)); /* differs only in the second word */
    assert_false(syscall_rights_subset(&a, &none));
}

static void test_intersect(void **state)
{
    const uint32_t pa[] = {1, 5, 70, 127};
    const uint32_t pb[] = {5, 6, 127};
    const uint32_t pboth[] = {5, 127};
    SyscallRights a = set_of(pa, 4), b = set_of(pb, 3), both = set_of(pboth, 2);
    SyscallRights i = syscall_rights_intersect(&a, &b);
    assert_true(syscall_rights_equal(&i, &both));
    assert_true(syscall_rights_subset(&i, &a));
    assert_true(syscall_rights_subset(&i, &b));
    SyscallRights all = syscall_rights_all();
    SyscallRights ia = syscall_rights_intersect(&a, &all);
    assert_true(syscall_rights_equal(&ia, &a));
}

static void test_derive_grants_only_a_subset(void **state)
{
    SyscallRights system = syscall_rights_all();
    const uint32_t pdrv[] = {2, 3, 90};
    const uint32_t pmore[] = {2, 3, 4};
    SyscallRights drv_req = set_of(pdrv, 3), more = set_of(pmore, 3);
    SyscallRights drv, child;

    /* SYSTEM may give anything; the result is exactly what was asked. */
    assert_int_equal(syscall_rights_derive(&system, &drv_req, &drv), E_OK);
    assert_true(syscall_rights_equal(&drv, &drv_req));

    /* The driver cannot give its child what it lacks; *out is untouched. */
    SyscallRights before = syscall_rights_all();
    child = before;
    assert_int_equal(syscall_rights_derive(&drv, &more, &child), E_PERM);
    assert_true(syscall_rights_equal(&child, &before));
    assert_int_equal(syscall_rights_derive(&drv, &system, &child), E_PERM);

    /* But it can pass on all or none of its own. */
    assert_int_equal(syscall_rights_derive(&drv, &drv, &child), E_OK);
    assert_true(syscall_rights_equal(&child, &drv));
    SyscallRights none = syscall_rights_none();
    assert_int_equal(syscall_rights_derive(&drv, &none, &child), E_OK);
    assert_true(syscall_rights_equal(&child, &none));
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Down any chain of derivations every set is a subset of every ancestor. */
static void test_derivation_chains_only_shrink(void **state)
{
    for (int round = 0; round < 1000; round++) {
        SyscallRights chain[4];
        chain[0] = syscall_rights_all();
        for (int d = 1; d < 4; d++) {
            SyscallRights req;
            for (int w = 0; w < SYSCALL_RIGHTS_WORDS; w++) {
                req.words[w] = next_random();
            }
            Error err = syscall_rights_derive(&chain[d - 1], &req, &chain[d]);
            if (err == E_PERM) {
                assert_false(syscall_rights_subset(&req, &chain[d - 1]));
                req = syscall_rights_intersect(&req, &chain[d - 1]);
                assert_int_equal(syscall_rights_derive(&chain[d - 1], &req, &chain[d]), E_OK);
            }
            for (int a = 0; a < d; a++) {
                assert_true(syscall_rights_subset(&chain[d], &chain[a]));
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_none_and_all),
        cmocka_unit_test(test_numbers_out_of_range),
        cmocka_unit_test(test_add_remove_at_word_edges),
        cmocka_unit_test(test_subset_rules),
        cmocka_unit_test(test_intersect),
        cmocka_unit_test(test_derive_grants_only_a_subset),
        cmocka_unit_test(test_derivation_chains_only_shrink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
