// Host tests of the initial stack image and of the user-pointer range
// check: the layout <anos/startup.h> promises, alignment, overflow and
// every class of bad pointer.
// TEST_SOURCES: kernel/proc/user_stack.c kernel/lib/string.c
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <proc/uaccess.h>
#include <proc/user_stack.h>

#define CAP 8192
#define TOP 0x7FFFFFF00000ull

static _Alignas(16) uint8_t buf[CAP];

/* The word at user address va, read through buf. */
static uint64_t word_at(uint64_t va)
{
    uint64_t w;
    memcpy(&w, buf + CAP - (TOP - va), sizeof(w));
    return w;
}

static const char *str_at(uint64_t va)
{
    return (const char *)buf + CAP - (TOP - va);
}

static void test_layout(void **state)
{
    const char *argv[] = {"bin/prog", "-v", "x"};
    const char *envp[] = {"A=1", "LONGER_NAME=value"};
    AnosStartHandle hs[] = {{.handle = 0x10005, .tag = ANOS_START_RAMFS},
                            {.handle = 7, .tag = 0x100}};
    UserStackArgs a = {argv, 3, envp, 2, hs, 2};
    uint64_t sp;
    memset(buf, 0xAA, sizeof(buf));
    assert_int_equal(user_stack_build(&a, TOP, buf, CAP, &sp), E_OK);
    assert_int_equal(sp % 16, 0);
    assert_true(sp < TOP);
    uint64_t p = sp;
    assert_int_equal(word_at(p), 3);
    p += 8;
    for (int i = 0; i < 3; i++, p += 8) {
        uint64_t s = word_at(p);
        assert_true(s > p && s < TOP);
        assert_string_equal(str_at(s), argv[i]);
    }
    assert_int_equal(word_at(p), 0);
    p += 8;
    for (int i = 0; i < 2; i++, p += 8) {
        assert_string_equal(str_at(word_at(p)), envp[i]);
    }
    assert_int_equal(word_at(p), 0);
    p += 8;
    assert_int_equal(word_at(p), 2);
    p += 8;
    assert_int_equal(word_at(p), 0x10005);
    assert_int_equal(word_at(p + 8), ANOS_START_RAMFS);
    assert_int_equal(word_at(p + 16), 7);
    assert_int_equal(word_at(p + 24), 0x100);
    /* Nothing below sp was written. */
    assert_int_equal(buf[CAP - (TOP - sp) - 1], 0xAA);
}

static void test_empty(void **state)
{
    UserStackArgs a = {0};
    uint64_t sp;
    assert_int_equal(user_stack_build(&a, TOP, buf, CAP, &sp), E_OK);
    assert_int_equal(sp % 16, 0);
    assert_int_equal(word_at(sp), 0);      /* argc */
    assert_int_equal(word_at(sp + 8), 0);  /* argv end */
    assert_int_equal(word_at(sp + 16), 0); /* envp end */
    assert_int_equal(word_at(sp + 24), 0); /* no handles */
}

static void test_too_big_and_bad_args(void **state)
{
    static char big[CAP];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    const char *argv[] = {big};
    UserStackArgs a = {argv, 1, NULL, 0, NULL, 0};
    uint64_t sp;
    assert_int_equal(user_stack_build(&a, TOP, buf, CAP, &sp), E_RANGE);
    UserStackArgs nulls = {NULL, 1, NULL, 0, NULL, 0};
    assert_int_equal(user_stack_build(&nulls, TOP, buf, CAP, &sp), E_INVAL);
    const char *holes[] = {"a", NULL};
    UserStackArgs hole = {holes, 2, NULL, 0, NULL, 0};
    assert_int_equal(user_stack_build(&hole, TOP, buf, CAP, &sp), E_INVAL);
    UserStackArgs no_handles = {NULL, 0, NULL, 0, NULL, 3};
    assert_int_equal(user_stack_build(&no_handles, TOP, buf, CAP, &sp), E_INVAL);
    UserStackArgs ok = {0};
    assert_int_equal(user_stack_build(&ok, TOP + 8, buf, CAP, &sp), E_INVAL);
}

static void test_user_range_check(void **state)
{
    assert_int_equal(user_range_check(ANOS_USER_MIN, 8, 8), E_OK);
    assert_int_equal(user_range_check(0x400000, 0, 1), E_OK);
    assert_int_equal(user_range_check(0, 8, 1), E_FAULT);                     /* null */
    assert_int_equal(user_range_check(ANOS_USER_MIN - 1, 1, 1), E_FAULT);     /* low pages */
    assert_int_equal(user_range_check(0xFFFF800000001000ull, 8, 8), E_FAULT); /* kernel */
    assert_int_equal(user_range_check(0xFFFFFFFF80200000ull, 8, 8), E_FAULT);
    assert_int_equal(user_range_check(ANOS_USER_TOP, 1, 1), E_FAULT);
    assert_int_equal(user_range_check(ANOS_USER_TOP - 8, 16, 1), E_FAULT); /* past the top */
    assert_int_equal(user_range_check(0x400000, UINT64_MAX, 1), E_FAULT);  /* wraps */
    assert_int_equal(user_range_check(0x400000, UINT64_MAX - 0x3FFFFF, 1), E_FAULT);
    assert_int_equal(user_range_check(0x400004, 8, 8), E_ALIGN);
    assert_int_equal(user_range_check(0x400008, 8, 8), E_OK);
    assert_int_equal(user_range_check(ANOS_USER_TOP - 8, 8, 8), E_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_too_big_and_bad_args),
        cmocka_unit_test(test_user_range_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
