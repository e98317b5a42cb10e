// Host tests for boot/uefi/cmdline.c: the first line of cmdline.txt, trimmed.
// TEST_SOURCES: boot/uefi/cmdline.c
// TEST_CFLAGS: -I.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "boot/uefi/cmdline.h"

static Error extract(const char *text, char *out, uint64_t size)
{
    return cmdline_extract(text, strlen(text), out, size);
}

static void test_first_line_trimmed(void **state)
{
    char out[64];
    assert_int_equal(extract("  log=debug  smp=2 \t\r\nsecond line\n", out, sizeof(out)), E_OK);
    assert_string_equal(out, "log=debug  smp=2");
    assert_int_equal(extract("no newline", out, sizeof(out)), E_OK);
    assert_string_equal(out, "no newline");
}

static void test_empty(void **state)
{
    char out[8] = "junk";
    assert_int_equal(cmdline_extract(NULL, 0, out, sizeof(out)), E_OK);
    assert_string_equal(out, "");
    assert_int_equal(extract("\n", out, sizeof(out)), E_OK);
    assert_string_equal(out, "");
    assert_int_equal(extract("   \r\n", out, sizeof(out)), E_OK);
    assert_string_equal(out, "");
}

static void test_bom(void **state)
{
    char out[16];
    assert_int_equal(extract("\xEF\xBB\xBF"
                             "a=b\n",
                             out, sizeof(out)),
                     E_OK);
    assert_string_equal(out, "a=b");
}

static void test_truncated(void **state)
{
    char out[5];
    assert_int_equal(extract("abcdefgh", out, sizeof(out)), E_RANGE);
    assert_string_equal(out, "abcd");
    assert_int_equal(extract("abcd", out, sizeof(out)), E_OK);
    assert_string_equal(out, "abcd");
}

static void test_bad_input(void **state)
{
    char out[16];
    assert_int_equal(cmdline_extract("a\0b", 3, out, sizeof(out)), E_INVAL);
    assert_int_equal(cmdline_extract("ab", 2, NULL, 4), E_INVAL);
    assert_int_equal(cmdline_extract("ab", 2, out, 0), E_INVAL);
    assert_int_equal(cmdline_extract(NULL, 2, out, sizeof(out)), E_INVAL);
    /* A NUL after the first line does not matter. */
    assert_int_equal(cmdline_extract("ab\n\0", 4, out, sizeof(out)), E_OK);
    assert_string_equal(out, "ab");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_line_trimmed),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("boot/uefi/cmdline", tests, NULL, NULL);
}
