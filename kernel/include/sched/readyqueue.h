/*
 * The priority structure of a run queue: one FIFO per (class, level) and a
 * two-level bitmap of non-empty FIFOs, so the most urgent ready thread is
 * found in O(1). Pure data structure (no locks, no arch): host-tested.
 */
#ifndef ANOS_KERNEL_SCHED_READYQUEUE_H
#define ANOS_KERNEL_SCHED_READYQUEUE_H

#include <sched/threadqueue.h>
#include <stdint.h>

#define READYQ_WORDS ((SCHED_PRIORITIES + 63) / 64)

/*
 * Priority index p = class * SCHED_LEVELS + level: smaller is more urgent.
 * Bit p of `bits` is set exactly when fifo[p] is non-empty; bit w of
 * `summary` exactly when bits[w] != 0.
 */
typedef struct ReadyQueue {
    uint64_t summary;
    uint64_t bits[READYQ_WORDS];
    uint32_t count; /* threads on all FIFOs */
    ThreadQueue fifo[SCHED_PRIORITIES];
} ReadyQueue;

_Static_assert(READYQ_WORDS <= 64, "summary word covers every bitmap word");

static inline unsigned readyq_priority(const Thread *t)
{
    return (unsigned)t->sched_class * SCHED_LEVELS + t->level;
}

void readyq_init(ReadyQueue *q);

/* Appends t at the tail of its (class, level) FIFO. */
void readyq_push(ReadyQueue *q, Thread *t);

/* Removes and returns the most urgent thread (head of the most urgent
 * non-empty FIFO); NULL when empty. */
Thread *readyq_pop(ReadyQueue *q);

/* The priority index of the most urgent ready thread, or SCHED_PRIORITIES
 * when empty. */
unsigned readyq_best(const ReadyQueue *q);

/* Removes t from its FIFO; true when it was there. */
bool readyq_remove(ReadyQueue *q, Thread *t);

/*
 * The yield step in one go: what readyq_push(q, t) then readyq_pop(q) would
 * return, leaving q in the same state, but without touching the bitmaps when
 * t's level is also the most urgent (the common case: threads of one level
 * taking turns). Returns t itself when nothing else is as urgent; t is then
 * not queued.
 */
Thread *readyq_yield(ReadyQueue *q, Thread *t);

#endif
