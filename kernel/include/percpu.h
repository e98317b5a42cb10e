/*
 * Per-CPU state. Each CPU reaches its own PerCpu in one instruction through
 * the arch's per-CPU register (GS base on x86_64, tp on riscv64), installed by
 * arch_percpu_install(). Only the owning CPU writes its PerCpu, except where
 * a field says otherwise.
 */
#ifndef ANOS_KERNEL_PERCPU_H
#define ANOS_KERNEL_PERCPU_H

#include <stdint.h>

#define MAX_CPUS 64

struct Thread;
struct RunQueue;

typedef struct PerCpu {
    struct PerCpu *self;       /* offset 0: lets x86_64 load it with mov %gs:0 */
    uintptr_t arch_scratch[4]; /* offset 8: trap-entry scratch for the arch */
    /* The fields up to `current` are read by the syscall and trap entry code
     * at fixed offsets (asm_offsets.h): keep their order. */
    uintptr_t kernel_sp;            /* offset 40: stack top for entries from user mode */
    const uint64_t *syscall_rights; /* offset 48: the current process's rights words (never NULL
                                       after the first proc_switch) */
    struct Thread *current;         /* offset 56: the thread running on this CPU */
    uint32_t preempt_pending;       /* offset 64: set by the tick, acted on at interrupt exit */
    uint32_t index;                 /* dense CPU number, 0 = boot CPU */
    uint32_t arch_id;               /* LAPIC id (x86_64) or hart id (riscv64) */
    uint64_t active_root;           /* the page-table root loaded on this CPU (0: the boot one) */
    struct Thread *idle;            /* this CPU's idle thread */
    struct RunQueue *runqueue;      /* this CPU's run queue (sched) */
    uint64_t timer_interrupts;      /* count of timer interrupts taken */
    uint64_t next_deadline_ns;      /* the armed timer deadline, 0 = none */
    uint32_t irq_nesting;           /* > 0 while inside an interrupt handler */
} PerCpu;

/* The arch's register holds this CPU's PerCpu (see arch/percpu.h). */
#include <arch/percpu.h>

static inline PerCpu *this_cpu(void)
{
    return arch_percpu_get();
}

#endif
