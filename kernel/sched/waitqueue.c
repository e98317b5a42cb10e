/*
 * FIFO wait queues (sched/waitqueue.h) over sched_block / sched_wake.
 */
#include <arch/cpu.h>
#include <sched/sched.h>
#include <sched/waitqueue.h>

void waitq_init(WaitQueue *wq)
{
    spin_init(&wq->lock);
    threadq_init(&wq->waiters);
}

void waitq_wait_unless(WaitQueue *wq, bool (*cond)(void *arg), void *arg)
{
    unsigned long flags = spin_lock_irqsave(&wq->lock);
    if (cond != NULL && cond(arg)) {
        spin_unlock_irqrestore(&wq->lock, flags);
        return;
    }
    threadq_push(&wq->waiters, thread_current());
    sched_block(&wq->lock); /* releases wq->lock once we are marked blocked */
    arch_irq_restore(flags);
}

void waitq_wait(WaitQueue *wq)
{
    waitq_wait_unless(wq, NULL, NULL);
}

bool waitq_wake_one(WaitQueue *wq)
{
    unsigned long flags = spin_lock_irqsave(&wq->lock);
    Thread *t = threadq_pop(&wq->waiters);
    if (t != NULL) {
        sched_wake(t);
    }
    spin_unlock_irqrestore(&wq->lock, flags);
    sched_preempt_point();
    return t != NULL;
}

unsigned waitq_wake_all(WaitQueue *wq)
{
    unsigned n = 0;
    unsigned long flags = spin_lock_irqsave(&wq->lock);
    Thread *t;
    while ((t = threadq_pop(&wq->waiters)) != NULL) {
        sched_wake(t);
        n++;
    }
    spin_unlock_irqrestore(&wq->lock, flags);
    sched_preempt_point();
    return n;
}
