/*
 * O(1) priority selection for run queues (sched/readyqueue.h).
 */
#include <sched/readyqueue.h>

void readyq_init(ReadyQueue *q)
{
    q->summary = 0;
    for (unsigned w = 0; w < READYQ_WORDS; w++) {
        q->bits[w] = 0;
    }
    q->count = 0;
    for (unsigned p = 0; p < SCHED_PRIORITIES; p++) {
        threadq_init(&q->fifo[p]);
    }
}

static void readyq_mark(ReadyQueue *q, unsigned p)
{
    q->bits[p / 64] |= 1ull << (p % 64);
    q->summary |= 1ull << (p / 64);
}

/* Called when fifo[p] became empty. */
static void readyq_unmark(ReadyQueue *q, unsigned p)
{
    q->bits[p / 64] &= ~(1ull << (p % 64));
    if (q->bits[p / 64] == 0) {
        q->summary &= ~(1ull << (p / 64));
    }
}

void readyq_push(ReadyQueue *q, Thread *t)
{
    unsigned p = readyq_priority(t);
    threadq_push(&q->fifo[p], t);
    readyq_mark(q, p);
    q->count++;
}

unsigned readyq_best(const ReadyQueue *q)
{
    if (q->summary == 0) {
        return SCHED_PRIORITIES;
    }
    unsigned w = (unsigned)__builtin_ctzll(q->summary);
    return w * 64 + (unsigned)__builtin_ctzll(q->bits[w]);
}

Thread *readyq_pop(ReadyQueue *q)
{
    unsigned p = readyq_best(q);
    if (p == SCHED_PRIORITIES) {
        return NULL;
    }
    Thread *t = threadq_pop(&q->fifo[p]);
    if (threadq_empty(&q->fifo[p])) {
        readyq_unmark(q, p);
    }
    q->count--;
    return t;
}

bool readyq_remove(ReadyQueue *q, Thread *t)
{
    unsigned p = readyq_priority(t);
    if (!threadq_remove(&q->fifo[p], t)) {
        return false;
    }
    if (threadq_empty(&q->fifo[p])) {
        readyq_unmark(q, p);
    }
    q->count--;
    return true;
}

Thread *readyq_yield(ReadyQueue *q, Thread *t)
{
    unsigned mine = readyq_priority(t);
    unsigned w = mine / 64;
    uint64_t below = (1ull << (mine % 64)) - 1;
    /* Is anything more urgent ready? Two mask tests, no bit scan (a loop
     * on a CPU without one, like riscv64 without Zbb). */
    if ((q->summary & ((1ull << w) - 1)) == 0 && (q->bits[w] & below) == 0) {
        if (threadq_empty(&q->fifo[mine])) {
            return t; /* nothing else at t's level or above: t runs on */
        }
        /* Rotate the level: its head runs, t goes to its tail. The level
         * stays non-empty and the count unchanged. */
        Thread *next = threadq_pop(&q->fifo[mine]);
        threadq_push(&q->fifo[mine], t);
        return next;
    }
    readyq_push(q, t);
    return readyq_pop(q);
}
