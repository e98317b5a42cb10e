/*
 * Sleeping threads ordered by wake deadline (Thread.wake_ns), linked through
 * Thread.sleep_next. Pure data structure: host-tested with a fake clock.
 */
#ifndef ANOS_KERNEL_SCHED_SLEEPQUEUE_H
#define ANOS_KERNEL_SCHED_SLEEPQUEUE_H

#include <sched/thread.h>
#include <stdint.h>

/* Sorted by wake_ns ascending; equal deadlines keep insertion order. */
typedef struct SleepQueue {
    Thread *head;
    uint32_t count;
} SleepQueue;

void sleepq_init(SleepQueue *q);

/* Inserts t by t->wake_ns (set by the caller). O(n). */
void sleepq_insert(SleepQueue *q, Thread *t);

/* Removes and returns the earliest thread whose deadline is <= now, or NULL
 * when none is due. Call in a loop to collect every expired sleeper. */
Thread *sleepq_pop_expired(SleepQueue *q, uint64_t now);

/* The earliest deadline, 0 when the queue is empty. */
uint64_t sleepq_next_deadline(const SleepQueue *q);

/* Removes t if present; true when it was. */
bool sleepq_remove(SleepQueue *q, Thread *t);

#endif
