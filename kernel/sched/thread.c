/*
 * Thread life cycle: creation (Thread object, stack, first frame), the
 * choice of CPU, exit and join (which reclaims the stack), priority change.
 */
#include <arch/context.h>
#include <arch/cpu.h>
#include <kstring.h>
#include <mm/slab.h>
#include <panic.h>
#include <sched/cpu_select.h>
#include <sched/kstack.h>

#include "sched_internal.h"

static uint32_t next_thread_id = 1;

static Error thread_new(uint32_t cpu, const char *name, Thread **out)
{
    void *mem;
    unsigned long flags = kmem_lock();
    Error err = slab_alloc(sizeof(Thread), &mem);
    kmem_unlock(flags);
    if (err != E_OK) {
        return err;
    }
    Thread *t = mem;
    memset(t, 0, sizeof(*t));
    t->cpu = cpu;
    t->id = __atomic_fetch_add(&next_thread_id, 1, __ATOMIC_RELAXED);
    spin_init(&t->join_lock);
    size_t i = 0;
    for (; name != NULL && name[i] != '\0' && i < THREAD_NAME_MAX - 1; i++) {
        t->name[i] = name[i];
    }
    t->name[i] = '\0';
    *out = t;
    return E_OK;
}

static void thread_free(Thread *t)
{
    unsigned long flags = kmem_lock();
    Error err = slab_free(t);
    kmem_unlock(flags);
    if (err != E_OK) {
        panic("thread_free: %s is not a slab object: %s", t->name, error_name(err));
    }
}

Error thread_alloc(uint32_t cpu, ThreadEntry entry, void *arg, SchedClass cls, unsigned level,
                   const char *name, Thread **out)
{
    Thread *t;
    Error err = thread_new(cpu, name, &t);
    if (err != E_OK) {
        return err;
    }
    err = kstack_alloc(&t->stack_base);
    if (err != E_OK) {
        thread_free(t);
        return err;
    }
    t->stack_size = KSTACK_SIZE;
    t->kstack_top = t->stack_base + KSTACK_SIZE;
    t->saved_sp = arch_context_prepare(t->kstack_top, sched_thread_start);
    t->entry = entry;
    t->arg = arg;
    t->sched_class = t->base_class = (uint8_t)cls;
    t->level = t->base_level = (uint8_t)level;
    t->state = THREAD_READY;
    *out = t;
    return E_OK;
}

void thread_set_stack_top(Thread *t, uintptr_t top)
{
    t->kstack_top = top;
    t->saved_sp = arch_context_prepare(top, sched_thread_start);
}

void thread_discard(Thread *t)
{
    Error err = kstack_free(t->stack_base);
    if (err != E_OK) {
        panic("thread_discard: %s has a bad stack %p", t->name, (void *)t->stack_base);
    }
    thread_free(t);
}

Error thread_adopt_boot(uint32_t cpu, const char *name, Thread **out)
{
    Thread *t;
    Error err = thread_new(cpu, name, &t);
    if (err != E_OK) {
        return err;
    }
    t->sched_class = t->base_class = SCHED_CLASS_NORMAL;
    t->level = t->base_level = SCHED_LEVEL_DEFAULT;
    t->state = THREAD_RUNNING;
    t->on_cpu = true;
    *out = t;
    return E_OK;
}

static bool thread_priority_valid(SchedClass cls, unsigned level)
{
    return (unsigned)cls < SCHED_CLASSES && level < SCHED_LEVELS;
}

Error thread_prepare(uint32_t cpu, ThreadEntry entry, void *arg, SchedClass cls, unsigned level,
                     const char *name, Thread **out)
{
    if (entry == NULL || out == NULL || !thread_priority_valid(cls, level) ||
        !sched_cpu_online(cpu)) {
        return E_INVAL;
    }
    return thread_alloc(cpu, entry, arg, cls, level, name, out);
}

void thread_start(Thread *t)
{
    RunQueue *rq = sched_cpu(t->cpu)->runqueue;
    unsigned long flags = spin_lock_irqsave(&rq->lock);
    sched_enqueue_locked(rq, t);
    spin_unlock_irqrestore(&rq->lock, flags);
    sched_preempt_point();
}

Error thread_create_on(uint32_t cpu, ThreadEntry entry, void *arg, SchedClass cls, unsigned level,
                       const char *name, Thread **out)
{
    Thread *t;
    Error err = thread_prepare(cpu, entry, arg, cls, level, name, &t);
    if (err != E_OK) {
        return err;
    }
    *out = t;
    thread_start(t);
    return E_OK;
}

uint32_t thread_pick_cpu(void)
{
    uint32_t loads[MAX_CPUS];
    bool online[MAX_CPUS];
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        online[i] = sched_cpu_online(i);
        loads[i] = online[i] ? __atomic_load_n(&sched_cpu(i)->runqueue->load, __ATOMIC_RELAXED) : 0;
    }
    uint32_t cpu;
    if (sched_select_cpu(loads, online, MAX_CPUS, this_cpu()->index, &cpu) != E_OK) {
        return this_cpu()->index;
    }
    return cpu;
}

Error thread_create(ThreadEntry entry, void *arg, SchedClass cls, unsigned level, const char *name,
                    Thread **out)
{
    return thread_create_on(thread_pick_cpu(), entry, arg, cls, level, name, out);
}

_Noreturn void thread_exit(void)
{
    arch_irq_save(); /* never restored: this thread does not come back */
    PerCpu *cpu = this_cpu();
    Thread *self = cpu->current;
    if (self == cpu->idle || self->stack_base == 0) {
        panic("thread_exit: %s cannot exit", self->name);
    }
    spin_lock(&self->join_lock);
    self->exited = true;
    if (self->joiner != NULL) {
        sched_wake(self->joiner);
    }
    RunQueue *rq = cpu->runqueue;
    spin_lock(&rq->lock);
    spin_unlock(&self->join_lock);
    self->state = THREAD_DEAD;
    sched_switch_locked(rq);
    panic("thread_exit: dead thread %s was switched back in", self->name);
}

Error thread_join(Thread *t)
{
    Thread *self = thread_current();
    if (t == NULL || t == self) {
        return E_INVAL;
    }
    unsigned long flags = spin_lock_irqsave(&t->join_lock);
    while (!t->exited) {
        t->joiner = self;
        sched_block(&t->join_lock); /* thread_exit wakes us under join_lock */
        spin_lock(&t->join_lock);
    }
    spin_unlock_irqrestore(&t->join_lock, flags);
    /* It may still be on its CPU between marking itself exited and the
     * switch away; its stack is free only once the switch is done. */
    while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE)) {
        arch_cpu_relax();
    }
    Error err = kstack_free(t->stack_base);
    if (err != E_OK) {
        panic("thread_join: %s has a bad stack %p", t->name, (void *)t->stack_base);
    }
    thread_free(t);
    return E_OK;
}

Error thread_set_priority(SchedClass cls, unsigned level)
{
    if (!thread_priority_valid(cls, level)) {
        return E_INVAL;
    }
    PerCpu *cpu = this_cpu();
    unsigned long flags = spin_lock_irqsave(&cpu->runqueue->lock);
    /* A boost inherited over IPC ends here too (the base changes). */
    cpu->current->sched_class = cpu->current->base_class = (uint8_t)cls;
    cpu->current->level = cpu->current->base_level = (uint8_t)level;
    spin_unlock_irqrestore(&cpu->runqueue->lock, flags);
    sched_yield();
    return E_OK;
}
