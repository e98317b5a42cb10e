/*
 * The scheduler's side of interrupt handling (irq_hooks.h): the timer tick
 * wakes sleepers and ends time slices; the interrupt exit preempts.
 */
#include <clock.h>
#include <irq_hooks.h>

#include "sched_internal.h"

/* A tick this close before the slice end counts as the slice end: timers
 * that round a deadline down to their own resolution fire a little early,
 * and re-arming for the remaining nanoseconds would cost a second interrupt. */
#define IRQ_TICK_SLACK_NS 20000ull

/* Should the current thread give way at the end of this tick? */
static bool irq_slice_over(RunQueue *rq, uint64_t now)
{
    PerCpu *cpu = rq->cpu;
    Thread *cur = cpu->current;
    unsigned best = readyq_best(&rq->ready);
    if (best == SCHED_PRIORITIES) {
        return false;
    }
    if (cur == cpu->idle || best < readyq_priority(cur)) {
        return true;
    }
    /* Round robin: a used-up slice goes to the next thread of the same
     * priority. REALTIME threads are never sliced. */
    return now + IRQ_TICK_SLACK_NS >= rq->slice_end_ns &&
           cur->sched_class != SCHED_CLASS_REALTIME && best == readyq_priority(cur);
}

void irq_timer(void)
{
    PerCpu *cpu = this_cpu();
    RunQueue *rq = cpu->runqueue; /* the arch has counted the interrupt */
    if (rq == NULL) {
        return; /* a tick before sched_init: nothing to schedule */
    }
    spin_lock(&rq->lock);
    uint64_t now = clock_ns();
    cpu->next_deadline_ns = 0; /* the armed deadline has fired: re-arm below */
    sched_wake_sleepers_locked(rq, now);
    if (irq_slice_over(rq, now)) {
        cpu->preempt_pending = 1;
    } else if (now + IRQ_TICK_SLACK_NS >= rq->slice_end_ns) {
        rq->slice_end_ns = now + SCHED_SLICE_NS; /* nobody to share with */
    }
    sched_rearm_locked(rq, now);
    spin_unlock(&rq->lock);
}

void irq_exit(void)
{
    PerCpu *cpu = this_cpu();
    /* The arch has already taken this interrupt off irq_nesting: switch
     * only when leaving the outermost one, never from a nested handler. */
    if (cpu->irq_nesting == 0 && cpu->preempt_pending && cpu->runqueue != NULL) {
        sched_preempt_from_irq();
    }
}
