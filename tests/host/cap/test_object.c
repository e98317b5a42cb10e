// Host tests of kernel-object reference counting: initial count, ref and
// unref, destroy exactly once, and panics on underflow, revival and bad types.
// TEST_SOURCES: kernel/cap/object.c
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cap/object.h>
#include <panic.h>

/* panic() longjmps back to EXPECT_PANIC; anywhere else it fails the test. */
static jmp_buf panic_jmp;
static bool panic_expected;
static char panic_msg[256];

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
    va_end(ap);
    if (!panic_expected) {
        fail_msg("unexpected panic: %s", panic_msg);
        abort();
    }
    panic_expected = false;
    longjmp(panic_jmp, 1);
}

#define EXPECT_PANIC(stmt)                                                                         \
    do {                                                                                           \
        panic_msg[0] = '\0';                                                                       \
        panic_expected = true;                                                                     \
        if (setjmp(panic_jmp) == 0) {                                                              \
            stmt;                                                                                  \
            fail_msg("no panic from " #stmt);                                                      \
        }                                                                                          \
        assert_false(panic_expected);                                                              \
    } while (0)

typedef struct TestObj {
    KObject hdr;
    int destroyed;
} TestObj;

static KObject *last_destroyed;

static void test_obj_destroy(KObject *obj)
{
    ((TestObj *)obj)->destroyed++;
    last_destroyed = obj;
}

static void test_init_sets_type_and_one_reference(void **state)
{
    TestObj o = {0};
    kobject_init(&o.hdr, KOBJ_CHANNEL, test_obj_destroy);
    assert_int_equal(kobject_refcount(&o.hdr), 1);
    assert_int_equal(kobject_type(&o.hdr), KOBJ_CHANNEL);
    assert_true(kobject_is(&o.hdr, KOBJ_CHANNEL));
    assert_true(kobject_is(&o.hdr, KOBJ_ANY));
    assert_false(kobject_is(&o.hdr, KOBJ_MEMORY));
    assert_false(kobject_is(&o.hdr, KOBJ_TEST));
    assert_int_equal(o.destroyed, 0);
}

static void test_ref_unref_destroys_once_at_zero(void **state)
{
    TestObj o = {0};
    last_destroyed = NULL;
    kobject_init(&o.hdr, KOBJ_TEST, test_obj_destroy);
    kobject_ref(&o.hdr);
    kobject_ref(&o.hdr);
    assert_int_equal(kobject_refcount(&o.hdr), 3);
    kobject_unref(&o.hdr);
    kobject_unref(&o.hdr);
    assert_int_equal(o.destroyed, 0);
    assert_int_equal(kobject_refcount(&o.hdr), 1);
    kobject_unref(&o.hdr);
    assert_int_equal(o.destroyed, 1);
    assert_ptr_equal(last_destroyed, &o.hdr);
    assert_int_equal(kobject_refcount(&o.hdr), 0);
}

static void test_null_destroy_is_allowed(void **state)
{
    KObject o;
    kobject_init(&o, KOBJ_FIRMWARE_TABLE, NULL);
    kobject_unref(&o);
    assert_int_equal(kobject_refcount(&o), 0);
}

static void test_unref_underflow_panics(void **state)
{
    TestObj o = {0};
    kobject_init(&o.hdr, KOBJ_TEST, test_obj_destroy);
    kobject_unref(&o.hdr);
    assert_int_equal(o.destroyed, 1);
    EXPECT_PANIC(kobject_unref(&o.hdr));
    assert_non_null(strstr(panic_msg, "no references"));
    assert_int_equal(o.destroyed, 1); /* destroy is never called twice */
}

static void test_ref_of_dead_object_panics(void **state)
{
    TestObj o = {0};
    kobject_init(&o.hdr, KOBJ_TEST, test_obj_destroy);
    kobject_unref(&o.hdr);
    EXPECT_PANIC(kobject_ref(&o.hdr));
    assert_int_equal(o.destroyed, 1);
}

static void test_init_with_bad_type_panics(void **state)
{
    KObject o;
    EXPECT_PANIC(kobject_init(&o, KOBJ_ANY, NULL));
    EXPECT_PANIC(kobject_init(&o, KOBJ_TYPE_COUNT, NULL));
    EXPECT_PANIC(kobject_init(&o, (KObjectType)-1, NULL));
}

static void test_every_type_has_a_name(void **state)
{
    for (int t = KOBJ_ANY + 1; t < KOBJ_TYPE_COUNT; t++) {
        KObject o;
        kobject_init(&o, (KObjectType)t, NULL);
        assert_true(kobject_is(&o, (KObjectType)t));
        assert_string_not_equal(kobject_type_name((KObjectType)t), "?");
    }
    assert_string_equal(kobject_type_name(KOBJ_CHANNEL), "channel");
    assert_string_equal(kobject_type_name(KOBJ_TYPE_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_sets_type_and_one_reference),
        cmocka_unit_test(test_ref_unref_destroys_once_at_zero),
        cmocka_unit_test(test_null_destroy_is_allowed),
        cmocka_unit_test(test_unref_underflow_panics),
        cmocka_unit_test(test_ref_of_dead_object_panics),
        cmocka_unit_test(test_init_with_bad_type_panics),
        cmocka_unit_test(test_every_type_has_a_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
