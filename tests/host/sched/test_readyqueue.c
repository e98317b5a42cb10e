// Host tests of the run queue's priority structure: every class and level,
// round robin within a level, strict class ordering, removal.
// TEST_SOURCES: kernel/sched/readyqueue.c kernel/sched/threadqueue.c
// TEST_CFLAGS: -Itests/host/fake
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <sched/readyqueue.h>

bool fake_irq_enabled;

static Thread *make(SchedClass cls, unsigned level)
{
    Thread *t = calloc(1, sizeof(Thread));
    t->sched_class = (uint8_t)cls;
    t->level = (uint8_t)level;
    return t;
}

static void test_empty(void **state)
{
    ReadyQueue *q = malloc(sizeof(ReadyQueue));
    readyq_init(q);
    assert_null(readyq_pop(q));
    assert_int_equal(readyq_best(q), SCHED_PRIORITIES);
    assert_int_equal(q->count, 0);
    free(q);
}

/* One thread at every (class, level), pushed in reverse: they come out from
 * REALTIME 0 to IDLE 254, each exactly once. */
static void test_every_class_and_level(void **state)
{
    ReadyQueue *q = malloc(sizeof(ReadyQueue));
    readyq_init(q);
    Thread *all[SCHED_PRIORITIES];
    for (int p = SCHED_PRIORITIES - 1; p >= 0; p--) {
        all[p] = make((SchedClass)(p / SCHED_LEVELS), (unsigned)(p % SCHED_LEVELS));
        readyq_push(q, all[p]);
    }
    assert_int_equal(q->count, SCHED_PRIORITIES);
    for (int p = 0; p < SCHED_PRIORITIES; p++) {
        assert_int_equal(readyq_best(q), p);
        Thread *t = readyq_pop(q);
        assert_ptr_equal(t, all[p]);
        free(t);
    }
    assert_null(readyq_pop(q));
    assert_int_equal(q->summary, 0);
    free(q);
}

/* Round robin: threads at one level come out in push order, and a thread
 * pushed back after running goes behind the others. */
static void test_round_robin_within_level(void **state)
{
    ReadyQueue *q = malloc(sizeof(ReadyQueue));
    readyq_init(q);
    Thread *t[3];
    for (int i = 0; i < 3; i++) {
        t[i] = make(SCHED_CLASS_NORMAL, 7);
        readyq_push(q, t[i]);
    }
    int expect[] = {0, 1, 2, 0, 1, 2, 0, 1, 2};
    for (int i = 0; i < 9; i++) {
        Thread *run = readyq_pop(q);
        assert_ptr_equal(run, t[expect[i]]);
        readyq_push(q, run); /* its slice ended */
    }
    for (int i = 0; i < 3; i++) {
        free(readyq_pop(q));
    }
    free(q);
}

/* A more urgent class always wins, even at its least urgent level; the less
 * urgent thread runs only once nothing more urgent is ready (starvation as
 * designed). */
static void test_class_beats_level(void **state)
{
    ReadyQueue *q = malloc(sizeof(ReadyQueue));
    readyq_init(q);
    Thread *idle0 = make(SCHED_CLASS_IDLE, 0);
    Thread *normal0 = make(SCHED_CLASS_NORMAL, 0);
    Thread *high254 = make(SCHED_CLASS_HIGH, 254);
    Thread *rt254 = make(SCHED_CLASS_REALTIME, 254);
    readyq_push(q, idle0);
    readyq_push(q, normal0);
    readyq_push(q, high254);
    readyq_push(q, rt254);
    /* The RT thread runs and is requeued forever: nobody else gets in. */
    for (int i = 0; i < 5; i++) {
        Thread *run = readyq_pop(q);
        assert_ptr_equal(run, rt254);
        readyq_push(q, run);
    }
    assert_ptr_equal(readyq_pop(q), rt254);
    assert_ptr_equal(readyq_pop(q), high254);
    assert_ptr_equal(readyq_pop(q), normal0);
    assert_ptr_equal(readyq_pop(q), idle0);
    assert_null(readyq_pop(q));
    free(idle0);
    free(normal0);
    free(high254);
    free(rt254);
    free(q);
}

static void test_remove(void **state)
{
    ReadyQueue *q = malloc(sizeof(ReadyQueue));
    readyq_init(q);
    Thread *a = make(SCHED_CLASS_HIGH, 3);
    Thread *b = make(SCHED_CLASS_HIGH, 3);
    Thread *c = make(SCHED_CLASS_NORMAL, 200);
    Thread *stray = make(SCHED_CLASS_HIGH, 3);
    readyq_push(q, a);
    readyq_push(q, b);
    readyq_push(q, c);
    assert_false(readyq_remove(q, stray));
    assert_true(readyq_remove(q, a));
    assert_false(readyq_remove(q, a));
    assert_int_equal(q->count, 2);
    assert_true(readyq_remove(q, b)); /* level 3 now empty: its bit clears */
    assert_int_equal(readyq_best(q), SCHED_CLASS_NORMAL * SCHED_LEVELS + 200);
    assert_ptr_equal(readyq_pop(q), c);
    assert_int_equal(q->summary, 0);
    free(a);
    free(b);
    free(c);
    free(stray);
    free(q);
}

/* Levels that share a bitmap word, and neighbours across a word boundary. */
static void test_word_boundaries(void **state)
{
    ReadyQueue *q = malloc(sizeof(ReadyQueue));
    readyq_init(q);
    Thread *t64 = make(SCHED_CLASS_REALTIME, 64);
    Thread *t63 = make(SCHED_CLASS_REALTIME, 63);
    Thread *t255 = make(SCHED_CLASS_HIGH, 0); /* priority 255 */
    readyq_push(q, t255);
    readyq_push(q, t64);
    readyq_push(q, t63);
    assert_ptr_equal(readyq_pop(q), t63);
    assert_ptr_equal(readyq_pop(q), t64);
    assert_ptr_equal(readyq_pop(q), t255);
    free(t63);
    free(t64);
    free(t255);
    free(q);
}

/* readyq_yield must agree with push-then-pop in every case: nothing as
 * urgent (t runs on, not queued), same level (rotation), more urgent level
 * (t queued, the better one runs). */
static void test_yield_matches_push_pop(void **state)
{
    ReadyQueue *q = malloc(sizeof(ReadyQueue));
    readyq_init(q);
    Thread *t = make(SCHED_CLASS_NORMAL, 10);
    Thread *low = make(SCHED_CLASS_NORMAL, 20);
    readyq_push(q, low);

    assert_ptr_equal(readyq_yield(q, t), t); /* only a less urgent one waits */
    assert_int_equal(q->count, 1);
    assert_int_equal(readyq_best(q), readyq_priority(low));

    Thread *peer = make(SCHED_CLASS_NORMAL, 10);
    readyq_push(q, peer);
    uint64_t summary = q->summary;
    assert_ptr_equal(readyq_yield(q, t), peer); /* rotation within the level */
    assert_int_equal(q->count, 2);
    assert_int_equal(q->summary, summary);
    assert_ptr_equal(readyq_yield(q, peer), t); /* and back */
    assert_int_equal(q->count, 2);

    Thread *urgent = make(SCHED_CLASS_HIGH, 200);
    readyq_push(q, urgent);
    assert_ptr_equal(readyq_yield(q, t), urgent); /* a better class runs */
    assert_int_equal(q->count, 3);                /* t, peer, low queued */
    assert_ptr_equal(readyq_pop(q), peer);
    assert_ptr_equal(readyq_pop(q), t);
    assert_ptr_equal(readyq_pop(q), low);
    assert_null(readyq_pop(q));
    assert_int_equal(q->summary, 0);
    free(t);
    free(low);
    free(peer);
    free(urgent);
    free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_every_class_and_level),
        cmocka_unit_test(test_round_robin_within_level),
        cmocka_unit_test(test_class_beats_level),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_word_boundaries),
        cmocka_unit_test(test_yield_matches_push_pop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
