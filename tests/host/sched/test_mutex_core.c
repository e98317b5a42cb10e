// Host tests of the wait-queue FIFO and the mutex state transitions:
// ownership, FIFO hand-off without barging, errors, spinlock tickets.
// TEST_SOURCES: kernel/sched/mutex_core.c kernel/sched/threadqueue.c
// TEST_CFLAGS: -Itests/host/fake
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sched/mutex.h>
#include <spinlock.h>

bool fake_irq_enabled;

static void test_threadqueue_fifo(void **state)
{
    ThreadQueue q = THREADQUEUE_INIT;
    Thread t[4] = {0};
    assert_true(threadq_empty(&q));
    assert_null(threadq_pop(&q));
    for (int i = 0; i < 4; i++) {
        threadq_push(&q, &t[i]);
    }
    assert_true(threadq_remove(&q, &t[2]));  /* middle */
    assert_false(threadq_remove(&q, &t[2])); /* not there any more */
    assert_true(threadq_remove(&q, &t[3]));  /* tail: the tail pointer moves back */
    threadq_push(&q, &t[3]);
    assert_ptr_equal(threadq_pop(&q), &t[0]);
    assert_ptr_equal(threadq_pop(&q), &t[1]);
    assert_ptr_equal(threadq_pop(&q), &t[3]);
    assert_true(threadq_empty(&q));
}

static void test_acquire_free_and_held(void **state)
{
    Mutex m = MUTEX_INIT;
    Thread a = {0}, b = {0};
    Error err;
    assert_true(mutex_core_acquire(&m, &a, &err));
    assert_int_equal(err, E_OK);
    assert_ptr_equal(m.owner, &a);
    assert_false(mutex_core_acquire(&m, &b, &err)); /* b queues */
    assert_int_equal(err, E_OK);
    assert_ptr_equal(m.waiters.head, &b);
    assert_false(mutex_core_try(&m, &b)); /* trylock never queues */
    assert_ptr_equal(m.waiters.tail, &b);
}

static void test_recursive_acquire_refused(void **state)
{
    Mutex m = MUTEX_INIT;
    Thread a = {0};
    Error err;
    assert_true(mutex_core_acquire(&m, &a, &err));
    assert_false(mutex_core_acquire(&m, &a, &err));
    assert_int_equal(err, E_BUSY);
    assert_true(threadq_empty(&m.waiters)); /* not queued behind itself */
}

/* Unlock hands the mutex to the first waiter directly: a thread that tries
 * in between (barging) does not get it; waiters are served in FIFO order. */
static void test_handoff_fifo_no_barging(void **state)
{
    Mutex m = MUTEX_INIT;
    Thread owner = {0}, w[3] = {{0}}, barger = {0};
    Error err;
    Thread *next;
    assert_true(mutex_core_acquire(&m, &owner, &err));
    for (int i = 0; i < 3; i++) {
        assert_false(mutex_core_acquire(&m, &w[i], &err));
    }
    assert_int_equal(mutex_core_release(&m, &owner, &next), E_OK);
    assert_ptr_equal(next, &w[0]);
    assert_ptr_equal(m.owner, &w[0]); /* owned before w[0] even runs */
    assert_false(mutex_core_try(&m, &barger));
    assert_int_equal(mutex_core_release(&m, &w[0], &next), E_OK);
    assert_ptr_equal(next, &w[1]);
    assert_int_equal(mutex_core_release(&m, &w[1], &next), E_OK);
    assert_ptr_equal(next, &w[2]);
    assert_int_equal(mutex_core_release(&m, &w[2], &next), E_OK);
    assert_null(next);
    assert_null(m.owner);
    assert_true(mutex_core_try(&m, &barger)); /* free now */
}

static void test_release_not_owner(void **state)
{
    Mutex m = MUTEX_INIT;
    Thread a = {0}, b = {0};
    Error err;
    Thread *next = (Thread *)0x1;
    assert_int_equal(mutex_core_release(&m, &a, &next), E_PERM); /* free mutex */
    assert_true(mutex_core_acquire(&m, &a, &err));
    assert_false(mutex_core_acquire(&m, &b, &err));
    assert_int_equal(mutex_core_release(&m, &b, &next), E_PERM); /* a waiter, not the owner */
    assert_ptr_equal(m.owner, &a);
    assert_ptr_equal(m.waiters.head, &b); /* nothing changed */
    assert_int_equal(mutex_core_release(&m, NULL, &next), E_PERM);
}

static void test_spinlock_tickets(void **state)
{
    Spinlock l = SPINLOCK_INIT;
    fake_irq_enabled = true;
    assert_false(spin_is_locked(&l));
    assert_true(spin_trylock(&l));
    assert_true(spin_is_locked(&l));
    assert_false(spin_trylock(&l));
    spin_unlock(&l);
    assert_false(spin_is_locked(&l));
    unsigned long flags = spin_lock_irqsave(&l);
    assert_false(fake_irq_enabled); /* off while held */
    assert_true(spin_is_locked(&l));
    spin_unlock_irqrestore(&l, flags);
    assert_true(fake_irq_enabled); /* restored */
    /* Tickets wrap around without losing the lock. */
    l.next = l.serving = UINT32_MAX;
    spin_lock(&l);
    assert_int_equal(l.next, 0);
    spin_unlock(&l);
    assert_false(spin_is_locked(&l));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threadqueue_fifo),
        cmocka_unit_test(test_acquire_free_and_held),
        cmocka_unit_test(test_recursive_acquire_refused),
        cmocka_unit_test(test_handoff_fifo_no_barging),
        cmocka_unit_test(test_release_not_owner),
        cmocka_unit_test(test_spinlock_tickets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
