/*
 * Wait queues: threads block on them in FIFO order until another thread or
 * an interrupt handler wakes them. The blocking primitive that channels,
 * joins and mutexes build on.
 */
#ifndef ANOS_KERNEL_SCHED_WAITQUEUE_H
#define ANOS_KERNEL_SCHED_WAITQUEUE_H

#include <sched/threadqueue.h>
#include <spinlock.h>
#include <stdbool.h>

/* waiters is protected by lock (taken with interrupts off). */
typedef struct WaitQueue {
    Spinlock lock;
    ThreadQueue waiters;
} WaitQueue;

#define WAITQUEUE_INIT {SPINLOCK_INIT, THREADQUEUE_INIT}

void waitq_init(WaitQueue *wq);

/* Blocks the caller at the tail of wq until woken. Thread context. */
void waitq_wait(WaitQueue *wq);

/*
 * Blocks the caller on wq unless cond(arg) holds; cond is evaluated under
 * wq->lock, so a waker that changes the condition and then wakes wq under
 * the same lock is never missed. Returns when woken (the caller re-checks).
 */
void waitq_wait_unless(WaitQueue *wq, bool (*cond)(void *arg), void *arg);

/* Wakes the longest-waiting thread; false when nobody waits. Any context. */
bool waitq_wake_one(WaitQueue *wq);

/* Wakes every waiter in FIFO order; returns how many. Any context. */
unsigned waitq_wake_all(WaitQueue *wq);

#endif
