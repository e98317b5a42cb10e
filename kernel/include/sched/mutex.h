/*
 * Kernel mutexes: sleeping locks with an owner and a FIFO of waiters. Unlock
 * hands the mutex directly to the first waiter (no barging), so waiters are
 * served strictly in arrival order.
 */
#ifndef ANOS_KERNEL_SCHED_MUTEX_H
#define ANOS_KERNEL_SCHED_MUTEX_H

#include <sched/threadqueue.h>
#include <spinlock.h>
#include <stdbool.h>

/* owner and waiters are protected by lock (taken with interrupts off). */
typedef struct Mutex {
    Spinlock lock;
    Thread *owner; /* NULL when free */
    ThreadQueue waiters;
} Mutex;

#define MUTEX_INIT {SPINLOCK_INIT, NULL, THREADQUEUE_INIT}

void mutex_init(Mutex *m);

/* Blocks until the caller owns m. Locking a mutex the caller already owns
 * is a panic (no recursion). Thread context only. */
void mutex_lock(Mutex *m);

/* Takes m only if it is free: true when the caller now owns it. */
bool mutex_trylock(Mutex *m);

/* Releases m, handing it to the first waiter if any. Panics if the caller
 * does not own m. */
void mutex_unlock(Mutex *m);

/*
 * The mutex's state transitions without locking or blocking (mutex_core.c),
 * for mutex.c and the host tests. All need m->lock held.
 */

/* Free: self becomes owner, returns true. Held: returns false and self is
 * queued as the last waiter. E_BUSY via *err when self already owns it. */
bool mutex_core_acquire(Mutex *m, Thread *self, Error *err);

/* Free: self becomes owner. Never queues. */
bool mutex_core_try(Mutex *m, Thread *self);

/* self gives up m: the first waiter (if any) becomes owner and is returned
 * in *next for the caller to wake; else m becomes free and *next is NULL.
 * E_PERM (nothing changed) when self is not the owner. */
Error mutex_core_release(Mutex *m, Thread *self, Thread **next);

#endif
