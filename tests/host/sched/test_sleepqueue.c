// Host tests of the sleep queue with a fake clock: deadline order, ties in
// insertion order, wake-up exactly when the clock reaches a deadline.
// TEST_SOURCES: kernel/sched/sleepqueue.c
// TEST_CFLAGS: -Itests/host/fake
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sched/sleepqueue.h>

bool fake_irq_enabled;

static void test_empty(void **state)
{
    SleepQueue q;
    sleepq_init(&q);
    assert_null(sleepq_pop_expired(&q, UINT64_MAX));
    assert_int_equal(sleepq_next_deadline(&q), 0);
}

static void test_order_and_wakeup(void **state)
{
    SleepQueue q;
    sleepq_init(&q);
    Thread t[5] = {0};
    uint64_t deadlines[5] = {500, 100, 300, 100, 200}; /* t[1] and t[3] tie */
    for (int i = 0; i < 5; i++) {
        t[i].wake_ns = deadlines[i];
        sleepq_insert(&q, &t[i]);
    }
    assert_int_equal(q.count, 5);
    assert_int_equal(sleepq_next_deadline(&q), 100);

    /* The fake clock: nothing is due before its deadline. */
    assert_null(sleepq_pop_expired(&q, 99));
    assert_ptr_equal(sleepq_pop_expired(&q, 100), &t[1]); /* due at exactly 100 */
    assert_ptr_equal(sleepq_pop_expired(&q, 100), &t[3]); /* the tie, in order */
    assert_null(sleepq_pop_expired(&q, 199));
    assert_int_equal(sleepq_next_deadline(&q), 200);

    /* A late tick wakes everything overdue, earliest first. */
    assert_ptr_equal(sleepq_pop_expired(&q, 1000), &t[4]);
    assert_ptr_equal(sleepq_pop_expired(&q, 1000), &t[2]);
    assert_ptr_equal(sleepq_pop_expired(&q, 1000), &t[0]);
    assert_null(sleepq_pop_expired(&q, 1000));
    assert_int_equal(q.count, 0);
}

static void test_remove(void **state)
{
    SleepQueue q;
    sleepq_init(&q);
    Thread a = {.wake_ns = 10}, b = {.wake_ns = 20}, c = {.wake_ns = 30}, stray = {.wake_ns = 5};
    sleepq_insert(&q, &c);
    sleepq_insert(&q, &a);
    sleepq_insert(&q, &b);
    assert_false(sleepq_remove(&q, &stray));
    assert_true(sleepq_remove(&q, &a)); /* the head */
    assert_int_equal(sleepq_next_deadline(&q), 20);
    assert_true(sleepq_remove(&q, &c)); /* the tail */
    assert_false(sleepq_remove(&q, &c));
    assert_ptr_equal(sleepq_pop_expired(&q, 20), &b);
    assert_int_equal(q.count, 0);
}

/* Many sleepers with pseudo-random deadlines come out sorted. */
static void test_many_sorted(void **state)
{
    enum { N = 1000 };
    static Thread t[N];
    SleepQueue q;
    sleepq_init(&q);
    uint64_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        t[i].wake_ns = (x >> 40) % 5000 + 1;
        sleepq_insert(&q, &t[i]);
    }
    uint64_t last = 0;
    for (int i = 0; i < N; i++) {
        Thread *w = sleepq_pop_expired(&q, UINT64_MAX);
        assert_non_null(w);
        assert_true(w->wake_ns >= last);
        last = w->wake_ns;
    }
    assert_null(sleepq_pop_expired(&q, UINT64_MAX));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_order_and_wakeup),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_many_sorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
