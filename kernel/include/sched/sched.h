/*
 * The scheduler: per-CPU prioritised round robin, preemptive on the per-CPU
 * one-shot timer, with a sleep queue. See docs/Scheduler.md.
 */
#ifndef ANOS_KERNEL_SCHED_SCHED_H
#define ANOS_KERNEL_SCHED_SCHED_H

#include <anos/errors.h>
#include <percpu.h>
#include <sched/thread.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stdint.h>

/* A NORMAL/HIGH/IDLE thread's time slice. */
#define SCHED_SLICE_NS 10000000ull

/* Installs the boot CPU's PerCpu (index 0) so that this_cpu() works: call
 * right after mm_init, before arch_irq_init / arch_timer_init. */
void sched_percpu_early(void);

/*
 * Starts scheduling on the boot CPU. Call once, after mm_init,
 * arch_clock_init, arch_irq_init and arch_timer_init, interrupts off:
 * installs the boot CPU's PerCpu, adopts the running boot flow as the
 * thread "kmain" (NORMAL, SCHED_LEVEL_DEFAULT, on the boot stack), creates
 * the idle thread, arms the first tick and enables interrupts.
 * E_NOMEM: no memory for the run queue or threads.
 */
Error sched_init(void);

/*
 * The same for an application processor, on that CPU (index = its dense
 * CPU number, 1..MAX_CPUS-1; arch_id its LAPIC / hart id), interrupts off:
 * installs its PerCpu, makes its run queue, adopts the running flow (on the
 * AP's boot stack) as its idle thread, arms its first tick and becomes the
 * idle loop. Never returns. Called by smp_ap_entry, after the arch code
 * has installed the CPU's PerCpu (sched_cpu(index), filled in by
 * smp_start_all) and set up its interrupt controller and timer.
 */
_Noreturn void sched_cpu_start(uint32_t index, uint32_t arch_id);

/* The PerCpu of CPU index (online or not): its storage, for the SMP
 * bring-up to fill in before starting the CPU. */
PerCpu *sched_cpu(uint32_t index);

/* True once sched_init has run on this CPU. */
bool sched_started(void);

/* CPUs scheduling threads. */
uint32_t sched_cpu_count(void);

/* Puts the caller at the tail of its level and runs the most urgent ready
 * thread (which may be the caller). Thread context. */
void sched_yield(void);

/* sched_yield for a caller that knows interrupts are on (a syscall
 * handler): skips saving the flags, on the user-to-user yield path. */
void sched_yield_irqs_on(void);

/*
 * Blocks the caller until sched_wake. Must be called with interrupts off;
 * `held` (may be NULL) is a spinlock the caller holds, released only once
 * the caller is marked blocked under its run-queue lock, so a waker that
 * takes `held` cannot miss it (lock order: held, then run queue). Returns
 * with interrupts still off and `held` not held.
 */
void sched_block(Spinlock *held);

/*
 * sched_block for waits a kill must end (IPC): the caller blocks only if
 * its kill_pending is still clear under its run-queue lock (so a kill's
 * sched_kill_wake, which takes that lock after setting kill_pending, is
 * never missed), and sched_kill_wake may wake it. Returns false, without
 * blocking, when a kill is pending; either way `held` is released and
 * interrupts stay off. A woken caller must check that what it waited for
 * happened: a kill or a stray wake-up may end the wait first.
 */
bool sched_block_killable(Spinlock *held);

/*
 * The IPC hand-over: the caller blocks (killable) and `to`, a BLOCKED
 * thread of this CPU, runs in its place at once, with the rest of the
 * caller's slice and without a trip through the run queue. Refused
 * (false, nothing changed, `held` still held) when `to` is not BLOCKED on
 * this CPU, a preemption is due, or the caller is being killed; the caller
 * then wakes `to` and blocks the usual way. On success returns, with
 * interrupts off and `held` released, when the caller is woken.
 */
bool sched_handoff(Spinlock *held, Thread *to);

/*
 * Priority inheritance over IPC. sched_inherit: t (a server taking from's
 * call) runs at least at from's effective priority, requeued if it is
 * ready. sched_uninherit: the calling thread is back to its base priority
 * (it replied); if that lets a ready thread beat it, a preemption is due.
 * Any context with t's run-queue lock not held (channel locks may be).
 */
void sched_inherit_locked_path(Thread *t, const Thread *from);
void sched_uninherit_locked_path(Thread *self);

static inline unsigned sched_priority_of(const Thread *t)
{
    return (unsigned)t->sched_class * SCHED_LEVELS + t->level;
}

static inline void sched_inherit(Thread *t, const Thread *from)
{
    /* Unlocked first look: from is the caller, blocked in its call, so its
     * priority is stable; t's can only change under the lock, checked
     * again there. Most calls come from a thread no more urgent. */
    if (sched_priority_of(from) < sched_priority_of(t)) {
        sched_inherit_locked_path(t, from);
    }
}

static inline void sched_uninherit(void)
{
    Thread *self = this_cpu()->current;
    if (self->sched_class != self->base_class || self->level != self->base_level) {
        sched_uninherit_locked_path(self);
    }
}

/* A kill's wake-up of t: ends its sleep (as sched_sleep_interrupt) or its
 * killable block. Any context. */
void sched_kill_wake(Thread *t);

/*
 * Makes a BLOCKED thread ready on its CPU; does nothing for a thread in any
 * other state. Any context. If t is more urgent than the current thread of
 * this CPU, that thread is preempted at the next opportunity (the end of
 * the interrupt, or sched_preempt_point).
 */
void sched_wake(Thread *t);

/* Yields if a wake-up asked to preempt the caller and it is allowed here
 * (thread context, interrupts on). */
void sched_preempt_point(void);

/* Sleeps at least ns nanoseconds of clock_ns() (0: yields). Thread context.
 * A thread with kill_pending set returns at once (see sched_sleep_interrupt). */
void sched_sleep_ns(uint64_t ns);

/* Ends t's sleep now if it is sleeping; if it is not, its next sleep
 * returns at once (Thread.sleep_cancel, both under t's run-queue lock, so
 * a wake-up just before the sleep is never lost). For kills (which also
 * set kill_pending first) and for wake-ups of timed waits (an interrupt
 * for SYS_IRQ_WAIT, whose waiter clears sleep_cancel around its wait).
 * Any context. */
void sched_sleep_interrupt(Thread *t);

#endif
