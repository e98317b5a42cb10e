/*
 * Kernel mutexes (sched/mutex.h): the state transitions of mutex_core.c
 * under the mutex's spinlock, blocking through the scheduler.
 */
#include <arch/cpu.h>
#include <panic.h>
#include <sched/mutex.h>
#include <sched/sched.h>

void mutex_init(Mutex *m)
{
    spin_init(&m->lock);
    m->owner = NULL;
    threadq_init(&m->waiters);
}

void mutex_lock(Mutex *m)
{
    Thread *self = thread_current();
    unsigned long flags = spin_lock_irqsave(&m->lock);
    Error err;
    if (mutex_core_acquire(m, self, &err)) {
        spin_unlock_irqrestore(&m->lock, flags);
        return;
    }
    if (err != E_OK) {
        panic("mutex_lock: %s already owns mutex %p", self->name, (void *)m);
    }
    /* Queued as a waiter: mutex_unlock makes us the owner, then wakes us. */
    sched_block(&m->lock);
    arch_irq_restore(flags);
    if (__atomic_load_n(&m->owner, __ATOMIC_ACQUIRE) != self) {
        panic("mutex_lock: %s woken without the mutex", self->name);
    }
}

bool mutex_trylock(Mutex *m)
{
    unsigned long flags = spin_lock_irqsave(&m->lock);
    bool ok = mutex_core_try(m, thread_current());
    spin_unlock_irqrestore(&m->lock, flags);
    return ok;
}

void mutex_unlock(Mutex *m)
{
    Thread *self = thread_current();
    Thread *next;
    unsigned long flags = spin_lock_irqsave(&m->lock);
    if (mutex_core_release(m, self, &next) != E_OK) {
        panic("mutex_unlock: %s does not own mutex %p", self->name, (void *)m);
    }
    if (next != NULL) {
        sched_wake(next);
    }
    spin_unlock_irqrestore(&m->lock, flags);
    sched_preempt_point();
}
