// Host tests of the exception-table search the trap handlers use to find a
// faulting instruction's fixup (kernel/include/fault_probe.h).
// TEST_SOURCES:
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fault_probe.h>

/* Link order, not sorted: the linker concatenates objects' entries. */
static const ExTableEntry table[] = {
    {0xFFFFFFFF80201000, 0xFFFFFFFF80201010},
    {0xFFFFFFFF80200040, 0xFFFFFFFF80200050},
    {0xFFFFFFFF80203000, 0xFFFFFFFF80203008},
};
#define TABLE_END (table + sizeof(table) / sizeof(table[0]))

static void test_finds_every_entry(void **state)
{
    (void)state;
    assert_int_equal(ex_table_search(table, TABLE_END, 0xFFFFFFFF80201000), 0xFFFFFFFF80201010);
    assert_int_equal(ex_table_search(table, TABLE_END, 0xFFFFFFFF80200040), 0xFFFFFFFF80200050);
    assert_int_equal(ex_table_search(table, TABLE_END, 0xFFFFFFFF80203000), 0xFFFFFFFF80203008);
}

static void test_misses_unlisted_pcs(void **state)
{
    (void)state;
    /* Only the listed instruction itself: not the bytes after it, not its
     * fixup (a fault in the fixup is a real bug), not 0. */
    assert_int_equal(ex_table_search(table, TABLE_END, 0xFFFFFFFF80201001), 0);
    assert_int_equal(ex_table_search(table, TABLE_END, 0xFFFFFFFF80200FFF), 0);
    assert_int_equal(ex_table_search(table, TABLE_END, 0xFFFFFFFF80201010), 0);
    assert_int_equal(ex_table_search(table, TABLE_END, 0), 0);
    assert_int_equal(ex_table_search(table, TABLE_END, UINTPTR_MAX), 0);
}

static void test_respects_bounds(void **state)
{
    (void)state;
    /* An empty table (no probes linked) and a table cut short. */
    assert_int_equal(ex_table_search(table, table, 0xFFFFFFFF80201000), 0);
    assert_int_equal(ex_table_search(table, table + 2, 0xFFFFFFFF80203000), 0);
    assert_int_equal(ex_table_search(table + 1, TABLE_END, 0xFFFFFFFF80201000), 0);
}

static void test_entry_layout(void **state)
{
    (void)state;
    /* fault_probe.asm / fault_probe.S emit "dq insn, fixup" per entry. */
    assert_int_equal(sizeof(ExTableEntry), 16);
    assert_int_equal(offsetof(ExTableEntry, insn), 0);
    assert_int_equal(offsetof(ExTableEntry, fixup), 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finds_every_entry),
        cmocka_unit_test(test_misses_unlisted_pcs),
        cmocka_unit_test(test_respects_bounds),
        cmocka_unit_test(test_entry_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
