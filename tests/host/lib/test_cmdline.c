// Host tests for the kernel command-line parser.
// TEST_SOURCES: kernel/lib/cmdline.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include <anos/bootinfo.h>
#include <cmdline.h>

static void test_words_are_matched_whole(void **state)
{
    cmdline_init("  selftest\tqemu_exit  fault=pagefault ");
    assert_true(cmdline_has("selftest"));
    assert_true(cmdline_has("qemu_exit"));
    assert_false(cmdline_has("self"));
    assert_false(cmdline_has("selftests"));
    assert_false(cmdline_has("fault"));
    assert_true(cmdline_has("fault=pagefault"));
}

static void test_values(void **state)
{
    char buf[16];
    cmdline_init("a=1 fault=pagefault empty= x");
    assert_true(cmdline_value("fault", buf, sizeof(buf)));
    assert_string_equal(buf, "pagefault");
    assert_true(cmdline_value("a", buf, sizeof(buf)));
    assert_string_equal(buf, "1");
    assert_true(cmdline_value("empty", buf, sizeof(buf)));
    assert_string_equal(buf, "");
    assert_false(cmdline_value("x", buf, sizeof(buf)));
    assert_false(cmdline_value("faul", buf, sizeof(buf)));
    assert_false(cmdline_value("missing", buf, sizeof(buf)));
}

static void test_value_truncated_to_buffer(void **state)
{
    char buf[4];
    cmdline_init("key=abcdefgh");
    assert_true(cmdline_value("key", buf, sizeof(buf)));
    assert_string_equal(buf, "abc");
    assert_true(cmdline_value("key", buf, 0));
}

static void test_null_and_empty_lines(void **state)
{
    cmdline_init(NULL);
    assert_string_equal(cmdline_get(), "");
    assert_false(cmdline_has("x"));
    cmdline_init("");
    assert_false(cmdline_has(""));
}

static void test_overlong_line_truncated(void **state)
{
    char line[BOOTINFO_CMDLINE_MAX * 2];
    memset(line, 'a', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    cmdline_init(line);
    assert_int_equal(strlen(cmdline_get()), BOOTINFO_CMDLINE_MAX - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_are_matched_whole),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_value_truncated_to_buffer),
        cmocka_unit_test(test_null_and_empty_lines),
        cmocka_unit_test(test_overlong_line_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
