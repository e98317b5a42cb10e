/*
 * Timed sleep: threads wait on their CPU's deadline-ordered sleep queue and
 * are made ready by the timer interrupt once clock_ns() reaches the deadline.
 */
#include <arch/cpu.h>
#include <clock.h>

#include "sched_internal.h"

void sched_wake_sleepers_locked(RunQueue *rq, uint64_t now)
{
    Thread *t;
    while ((t = sleepq_pop_expired(&rq->sleepers, now)) != NULL) {
        t->state = THREAD_READY;
        sched_enqueue_locked(rq, t);
    }
}

void sched_sleep_ns(uint64_t ns)
{
    if (ns == 0) {
        sched_yield();
        return;
    }
    /* The deadline is taken before anything else, so the sleep is never
     * shorter than asked, however late the thread gets to block. */
    uint64_t deadline = clock_ns() + ns;
    unsigned long flags = arch_irq_save();
    PerCpu *cpu = this_cpu();
    RunQueue *rq = cpu->runqueue;
    spin_lock(&rq->lock);
    Thread *self = cpu->current;
    /* A thread whose process is being killed does not start a sleep:
     * sched_sleep_interrupt (which takes this lock) may already have run. */
    if (__atomic_load_n(&self->kill_pending, __ATOMIC_SEQ_CST) || self->sleep_cancel) {
        self->sleep_cancel = 0;
        spin_unlock(&rq->lock);
        arch_irq_restore(flags);
        return;
    }
    self->wake_ns = deadline;
    self->state = THREAD_SLEEPING;
    sleepq_insert(&rq->sleepers, self);
    sched_switch_locked(rq); /* re-arms the timer for the new earliest deadline */
    spin_unlock(&rq->lock);
    arch_irq_restore(flags);
}

void sched_sleep_interrupt(Thread *t)
{
    RunQueue *rq = sched_cpu(t->cpu)->runqueue;
    unsigned long flags = spin_lock_irqsave(&rq->lock);
    if (t->state == THREAD_SLEEPING && sleepq_remove(&rq->sleepers, t)) {
        t->state = THREAD_READY;
        sched_enqueue_locked(rq, t);
    } else {
        t->sleep_cancel = 1; /* not asleep yet: its next sleep ends at once */
    }
    spin_unlock_irqrestore(&rq->lock, flags);
}
