/*
 * The scheduler core: per-CPU run queues, the switch decision, yield,
 * block/wake and the boot CPU's start (sched_init).
 */
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/ipi.h>
#include <arch/timer.h>
#include <clock.h>
#include <klog.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <panic.h>
#include <proc/switch.h>
#include <sched/kstack.h>

#include "sched_internal.h"

/* Timer deadlines closer than this to now are pushed out to it, so a
 * deadline in the past cannot turn into back-to-back interrupts. */
#define SCHED_MIN_REARM_NS 2000ull

/* PerCpu of every CPU; cpus[i].runqueue != NULL once CPU i is online
 * (written once by that CPU before it schedules, read by any). */
static PerCpu cpus[MAX_CPUS];
static uint32_t cpus_online;

PerCpu *sched_cpu(uint32_t index)
{
    return &cpus[index];
}

bool sched_cpu_online(uint32_t index)
{
    return index < MAX_CPUS && __atomic_load_n(&cpus[index].runqueue, __ATOMIC_ACQUIRE) != NULL;
}

uint32_t sched_cpu_count(void)
{
    return __atomic_load_n(&cpus_online, __ATOMIC_RELAXED);
}

bool sched_started(void)
{
    return sched_cpu_count() > 0 && this_cpu()->runqueue != NULL;
}

void sched_update_load_locked(RunQueue *rq)
{
    PerCpu *cpu = rq->cpu;
    uint32_t load = rq->ready.count + (cpu->current != cpu->idle ? 1 : 0);
    __atomic_store_n(&rq->load, load, __ATOMIC_RELAXED);
}

void sched_enqueue_locked(RunQueue *rq, Thread *t)
{
    PerCpu *cpu = rq->cpu;
    readyq_push(&rq->ready, t);
    if (cpu->current == cpu->idle || sched_more_urgent(t, cpu->current)) {
        cpu->preempt_pending = 1;
        /* Another CPU acts on it at its next interrupt: make that now, not
         * at its next tick (an idle CPU may be asleep in wfi/hlt). */
        if (cpu != this_cpu()) {
            arch_ipi_send(cpu->arch_id, IPI_RESCHEDULE);
        }
    }
    sched_update_load_locked(rq);
}

void sched_rearm_locked(RunQueue *rq, uint64_t now)
{
    PerCpu *cpu = rq->cpu;
    /* The slice tick also runs on idle CPUs: a safety net should a
     * reschedule IPI ever be lost. Tickless idle is a later goal. */
    uint64_t deadline = rq->slice_end_ns;
    uint64_t sleeper = sleepq_next_deadline(&rq->sleepers);
    if (sleeper != 0 && sleeper < deadline) {
        deadline = sleeper;
    }
    if (deadline < now + SCHED_MIN_REARM_NS) {
        deadline = now + SCHED_MIN_REARM_NS;
    }
    /* An earlier deadline already armed stays: when it fires, irq_timer
     * re-arms for what is due then. This keeps the timer (an MMIO write or
     * an SBI call) off the common yield and switch path. */
    uint64_t armed = cpu->next_deadline_ns;
    if (armed == 0 || deadline < armed) {
        arch_timer_arm(deadline);
        cpu->next_deadline_ns = deadline;
    }
}

/* In the thread just switched to: the previous one is off its stack now,
 * so a joiner may free that stack. */
static void sched_finish_switch(RunQueue *rq)
{
    if (rq->prev != NULL) {
        __atomic_store_n(&rq->prev->on_cpu, false, __ATOMIC_RELEASE);
        rq->prev = NULL;
    }
}

/* The switch itself, once the slice and load are settled: next becomes
 * the CPU's thread and, if it is not the caller, the stacks change. */
static inline __attribute__((always_inline)) void
sched_switch_now_locked(RunQueue *rq, PerCpu *cpu, Thread *prev, Thread *next)
{
    next->state = THREAD_RUNNING;
    cpu->current = next;
    cpu->preempt_pending = 0;
    if (next == prev) {
        return;
    }
    next->on_cpu = true;
    rq->prev = prev;
    if (prev->process != NULL || next->process != NULL) {
        proc_switch(cpu, prev, next);
    }
    arch_context_switch(&prev->saved_sp, next->saved_sp);
    /* Switched back in, on the same CPU (threads never migrate). */
    sched_finish_switch(rq);
}

/* Makes next (popped from the ready queue, or the idle thread, or the
 * current thread itself) run on this CPU with a fresh slice. Run-queue
 * lock held, interrupts off. */
static void sched_switch_to_locked(RunQueue *rq, Thread *next)
{
    PerCpu *cpu = rq->cpu;
    /* REALTIME threads have no slice, so switching to one needs neither the
     * clock nor the timer: whatever is armed (a sleeper, an old slice end)
     * fires and irq_timer re-arms for what is due then. */
    if (next->sched_class != SCHED_CLASS_REALTIME) {
        /* Only the new slice end can need an earlier timer: the armed
         * deadline is already no later than the earliest sleeper (every
         * sleep and every tick re-arm with the sleep queue in view). */
        uint64_t slice_end = clock_ns() + SCHED_SLICE_NS;
        rq->slice_end_ns = slice_end;
        uint64_t armed = cpu->next_deadline_ns;
        if (armed == 0 || slice_end < armed) {
            arch_timer_arm(slice_end);
            cpu->next_deadline_ns = slice_end;
        }
    }
    Thread *prev = cpu->current;
    cpu->current = next; /* the load counts the running thread */
    sched_update_load_locked(rq);
    sched_switch_now_locked(rq, cpu, prev, next);
}

void sched_switch_locked(RunQueue *rq)
{
    Thread *next = readyq_pop(&rq->ready);
    sched_switch_to_locked(rq, next != NULL ? next : rq->cpu->idle);
}

void sched_thread_start(void)
{
    PerCpu *cpu = this_cpu();
    RunQueue *rq = cpu->runqueue;
    /* Entered from sched_switch_locked's arch_context_switch: finish its
     * work, release the run-queue lock it held and enable interrupts. */
    sched_finish_switch(rq);
    spin_unlock(&rq->lock);
    arch_irq_enable();
    Thread *self = cpu->current;
    self->entry(self->arg);
    thread_exit();
}

/* Requeues the current thread (unless it is the idle thread) and switches.
 * Interrupts off. A voluntary yield to a thread of the same class and
 * level (or to itself) hands over the rest of the current slice instead of
 * starting a new one: the load is unchanged and the armed timer still
 * covers the slice end, so neither the clock, the timer nor the load is
 * touched (the user-to-user yield path). A preemption always starts a
 * fresh slice, so an expired one never carries over into a storm of
 * ticks. */
static void sched_reschedule(bool voluntary)
{
    PerCpu *cpu = this_cpu();
    RunQueue *rq = cpu->runqueue;
    spin_lock(&rq->lock);
    Thread *self = cpu->current;
    if (self != cpu->idle) {
        self->state = THREAD_READY;
        Thread *next = readyq_yield(&rq->ready, self);
        if (voluntary && next->sched_class == self->sched_class && next->level == self->level) {
            sched_switch_now_locked(rq, cpu, self, next);
        } else {
            sched_switch_to_locked(rq, next);
        }
    } else {
        sched_switch_locked(rq);
    }
    spin_unlock(&rq->lock);
}

void sched_yield(void)
{
    unsigned long flags = arch_irq_save();
    sched_reschedule(true);
    arch_irq_restore(flags);
}

void sched_yield_irqs_on(void)
{
    arch_irq_disable();
    sched_reschedule(true);
    arch_irq_enable();
}

/* From irq_exit: the outermost interrupt is ending with a preemption due. */
void sched_preempt_from_irq(void)
{
    sched_reschedule(false);
}

void sched_preempt_point(void)
{
    PerCpu *cpu = this_cpu();
    if (cpu->preempt_pending && cpu->irq_nesting == 0 && arch_irq_enabled()) {
        sched_yield();
    }
}

void sched_block(Spinlock *held)
{
    PerCpu *cpu = this_cpu();
    RunQueue *rq = cpu->runqueue;
    Thread *self = cpu->current;
    if (self == cpu->idle) {
        panic("sched_block: the idle thread cannot block");
    }
    spin_lock(&rq->lock);
    self->state = THREAD_BLOCKED;
    if (held != NULL) {
        spin_unlock(held);
    }
    sched_switch_locked(rq);
    spin_unlock(&rq->lock);
}

bool sched_block_killable(Spinlock *held)
{
    PerCpu *cpu = this_cpu();
    RunQueue *rq = cpu->runqueue;
    Thread *self = cpu->current;
    spin_lock(&rq->lock);
    if (__atomic_load_n(&self->kill_pending, __ATOMIC_SEQ_CST)) {
        spin_unlock(held);
        spin_unlock(&rq->lock);
        return false;
    }
    self->state = THREAD_BLOCKED;
    self->killable = true;
    spin_unlock(held);
    sched_switch_locked(rq);
    spin_unlock(&rq->lock);
    return true;
}

bool sched_handoff(Spinlock *held, Thread *to)
{
    PerCpu *cpu = this_cpu();
    RunQueue *rq = cpu->runqueue;
    Thread *self = cpu->current;
    if (to->cpu != cpu->index) {
        return false;
    }
    spin_lock(&rq->lock);
    /* A due preemption means a more urgent thread is ready: the usual
     * path lets it run first. */
    if (to->state != THREAD_BLOCKED || cpu->preempt_pending ||
        __atomic_load_n(&self->kill_pending, __ATOMIC_SEQ_CST)) {
        spin_unlock(&rq->lock);
        return false;
    }
    self->state = THREAD_BLOCKED;
    self->killable = true;
    to->killable = false;
    spin_unlock(held);
    /* One running thread for another: the load stays, and the slice (its
     * end already armed) carries over, as in a same-level yield. */
    sched_switch_now_locked(rq, cpu, self, to);
    spin_unlock(&rq->lock);
    return true;
}

void sched_inherit_locked_path(Thread *t, const Thread *from)
{
    RunQueue *rq = cpus[t->cpu].runqueue;
    unsigned long flags = spin_lock_irqsave(&rq->lock);
    if (readyq_priority(from) < readyq_priority(t)) {
        bool queued = t->state == THREAD_READY && readyq_remove(&rq->ready, t);
        t->sched_class = from->sched_class;
        t->level = from->level;
        if (queued) {
            sched_enqueue_locked(rq, t);
        }
    }
    spin_unlock_irqrestore(&rq->lock, flags);
}

void sched_uninherit_locked_path(Thread *self)
{
    PerCpu *cpu = this_cpu();
    RunQueue *rq = cpu->runqueue;
    unsigned long flags = spin_lock_irqsave(&rq->lock);
    self->sched_class = self->base_class;
    self->level = self->base_level;
    if (readyq_best(&rq->ready) < readyq_priority(self)) {
        cpu->preempt_pending = 1;
    }
    spin_unlock_irqrestore(&rq->lock, flags);
}

/* t (BLOCKED) becomes ready. rq->lock held. */
static void sched_unblock_locked(RunQueue *rq, Thread *t)
{
    t->state = THREAD_READY;
    t->killable = false;
    sched_enqueue_locked(rq, t);
}

void sched_kill_wake(Thread *t)
{
    RunQueue *rq = cpus[t->cpu].runqueue;
    unsigned long flags = spin_lock_irqsave(&rq->lock);
    bool blocked = t->state == THREAD_BLOCKED && t->killable;
    if (blocked) {
        sched_unblock_locked(rq, t);
    }
    spin_unlock_irqrestore(&rq->lock, flags);
    if (!blocked) {
        sched_sleep_interrupt(t);
    }
}

void sched_wake(Thread *t)
{
    RunQueue *rq = cpus[t->cpu].runqueue;
    unsigned long flags = spin_lock_irqsave(&rq->lock);
    if (t->state == THREAD_BLOCKED) {
        sched_unblock_locked(rq, t);
    }
    spin_unlock_irqrestore(&rq->lock, flags);
}

/* The idle thread: sleeps until an interrupt; the interrupt's exit switches
 * to whatever it made ready. */
static void sched_idle_loop(void *arg)
{
    (void)arg;
    for (;;) {
        arch_wait_for_interrupt();
    }
}

void sched_percpu_early(void)
{
    cpus[0].index = 0;
    arch_percpu_install(&cpus[0]);
}

/* Run queue (and, with make_idle, an idle thread) of CPU index, on that CPU
 * with its PerCpu installed, interrupts off. The caller then adopts the
 * running flow as a thread. */
static Error sched_cpu_setup(uint32_t index, bool make_idle)
{
    PerCpu *cpu = &cpus[index];

    uint64_t pages = (sizeof(RunQueue) + MM_PAGE_SIZE - 1) / MM_PAGE_SIZE;
    uint64_t pa;
    unsigned long flags = kmem_lock(); /* other CPUs may be allocating */
    Error err = pmm_alloc_pages(&mm_pmm, pages, &pa);
    kmem_unlock(flags);
    if (err != E_OK) {
        return err;
    }
    RunQueue *rq = phys_to_virt(pa);
    spin_init(&rq->lock);
    rq->cpu = cpu;
    rq->prev = NULL;
    rq->slice_end_ns = 0;
    rq->load = 0;
    sleepq_init(&rq->sleepers);
    readyq_init(&rq->ready);

    if (make_idle) {
        err = thread_alloc(index, sched_idle_loop, NULL, SCHED_CLASS_IDLE, SCHED_LEVELS - 1, "idle",
                           &cpu->idle);
        if (err != E_OK) {
            return err;
        }
    }
    cpu->runqueue = rq;
    return E_OK;
}

/* Arms the first tick and publishes the CPU as online. */
static void sched_cpu_go(PerCpu *cpu)
{
    RunQueue *rq = cpu->runqueue;
    spin_lock(&rq->lock);
    uint64_t now = clock_ns();
    rq->slice_end_ns = now + SCHED_SLICE_NS;
    sched_update_load_locked(rq);
    sched_rearm_locked(rq, now);
    spin_unlock(&rq->lock);
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
}

Error sched_init(void)
{
    if (this_cpu() != &cpus[0]) {
        panic("sched_init: sched_percpu_early has not run");
    }
    Error err = sched_cpu_setup(0, true);
    if (err != E_OK) {
        return err;
    }
    PerCpu *cpu = &cpus[0];
    Thread *kmain;
    err = thread_adopt_boot(0, "kmain", &kmain);
    if (err != E_OK) {
        return err;
    }
    cpu->current = kmain;
    sched_cpu_go(cpu);
    LOG(KLOG_INFO, "sched", "CPU 0 scheduling, %llu ms slices, run queue %lu bytes",
        SCHED_SLICE_NS / 1000000, (unsigned long)sizeof(RunQueue));
    arch_irq_enable();
    return E_OK;
}

_Noreturn void sched_cpu_start(uint32_t index, uint32_t arch_id)
{
    if (index == 0 || index >= MAX_CPUS) {
        panic("sched_cpu_start: bad CPU index %u", index);
    }
    PerCpu *cpu = &cpus[index];
    cpu->index = index;
    cpu->arch_id = arch_id;
    arch_percpu_install(cpu);
    Error err = sched_cpu_setup(index, false);
    if (err != E_OK) {
        panic("sched_cpu_start: CPU %u: %s", index, error_name(err));
    }
    /* The AP's boot flow (on its own stack) becomes its idle thread. */
    Thread *boot;
    err = thread_adopt_boot(index, "idle", &boot);
    if (err != E_OK) {
        panic("sched_cpu_start: CPU %u: %s", index, error_name(err));
    }
    cpu->idle = boot;
    cpu->current = boot;
    sched_cpu_go(cpu);
    sched_idle_loop(NULL);
    __builtin_unreachable();
}
