/*
 * Mutex state transitions (sched/mutex.h): ownership and FIFO hand-off,
 * without locks or blocking, so the logic is host-tested on its own.
 */
#include <sched/mutex.h>

bool mutex_core_acquire(Mutex *m, Thread *self, Error *err)
{
    *err = E_OK;
    if (m->owner == NULL) {
        m->owner = self;
        return true;
    }
    if (m->owner == self) {
        *err = E_BUSY;
        return false;
    }
    threadq_push(&m->waiters, self);
    return false;
}

bool mutex_core_try(Mutex *m, Thread *self)
{
    if (m->owner != NULL) {
        return false;
    }
    m->owner = self;
    return true;
}

Error mutex_core_release(Mutex *m, Thread *self, Thread **next)
{
    if (m->owner != self || self == NULL) {
        return E_PERM;
    }
    Thread *first = threadq_pop(&m->waiters);
    m->owner = first; /* direct hand-off: nobody can take it in between */
    *next = first;
    return E_OK;
}
