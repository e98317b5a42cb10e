/*
 * What the scheduler's files share and nothing else sees: the per-CPU run
 * queue and the helpers that need its lock held.
 */
#ifndef ANOS_KERNEL_SCHED_INTERNAL_H
#define ANOS_KERNEL_SCHED_INTERNAL_H

#include <percpu.h>
#include <sched/readyqueue.h>
#include <sched/sched.h>
#include <sched/sleepqueue.h>
#include <spinlock.h>

/*
 * One per CPU. `lock` protects everything here and the [rq] fields of the
 * CPU's threads; it is taken with interrupts off (irqsave, or inside an
 * interrupt). Held across arch_context_switch: the thread switched to
 * releases it. Lock order: wait-queue / mutex / join locks, then a run
 * queue; never two run queues at once.
 */
typedef struct RunQueue {
    Spinlock lock;
    PerCpu *cpu;
    Thread *prev;          /* the thread just switched away from (sched_finish_switch) */
    uint64_t slice_end_ns; /* when the current thread's slice ends */
    uint32_t load;         /* ready + running non-idle threads; read unlocked by others */
    SleepQueue sleepers;
    ReadyQueue ready;
} RunQueue;

/* Is CPU index scheduling? */
bool sched_cpu_online(uint32_t index);

/* Most urgent first: true when a is strictly more urgent than b. */
static inline bool sched_more_urgent(const Thread *a, const Thread *b)
{
    return readyq_priority(a) < readyq_priority(b);
}

/* Makes t (READY, on no queue) runnable on its CPU's queue, asking for a
 * preemption if it beats that CPU's current thread. rq->lock held. */
void sched_enqueue_locked(RunQueue *rq, Thread *t);

/*
 * Picks the most urgent ready thread (the idle thread when none) and
 * switches to it. The caller has already set cpu->current's state (and
 * queued it if it stays READY). rq->lock held, interrupts off; returns,
 * still holding it, when the caller is switched back in.
 */
void sched_switch_locked(RunQueue *rq);

/* Re-arms this CPU's timer for min(slice end, earliest sleeper). rq->lock
 * held, this CPU's queue. */
void sched_rearm_locked(RunQueue *rq, uint64_t now);

/* Moves expired sleepers to the ready queue. rq->lock held. */
void sched_wake_sleepers_locked(RunQueue *rq, uint64_t now);

/* Recomputes rq->load. rq->lock held. */
void sched_update_load_locked(RunQueue *rq);

/* irq_exit's preemption: requeue the current thread and switch.
 * Interrupts off, outside any handler. */
void sched_preempt_from_irq(void);

/* The entry of every new thread (thread.c builds its first frame with it). */
void sched_thread_start(void);

/* Thread objects and stacks for the scheduler (thread.c). */
Error thread_alloc(uint32_t cpu, ThreadEntry entry, void *arg, SchedClass cls, unsigned level,
                   const char *name, Thread **out);
Error thread_adopt_boot(uint32_t cpu, const char *name, Thread **out);

#endif
