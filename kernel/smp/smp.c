/*
 * Bringing up the other CPUs: one after another, each on its own kernel
 * stack with its own PerCpu, until every CPU the firmware lists is online or
 * has failed to start. Also where IPIs land in generic code.
 */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <kprintf.h>
#include <panic.h>
#include <sched/kstack.h>
#include <sched/sched.h>
#include <smp.h>
#include <smp_hooks.h>

#include "smp_internal.h"

/* online[i] is set once by CPU i itself (release), read anywhere (acquire). */
static uint32_t online[MAX_CPUS];
/* The same as a set (bit i: CPU i), for walks over the online CPUs. */
static uint64_t online_set;
static uint32_t online_count = 1; /* the boot CPU */
static uint32_t arch_ids[MAX_CPUS];

uint32_t smp_online_count(void)
{
    return __atomic_load_n(&online_count, __ATOMIC_ACQUIRE);
}

bool smp_cpu_online(uint32_t index)
{
    return index < MAX_CPUS && __atomic_load_n(&online[index], __ATOMIC_ACQUIRE);
}

uint64_t smp_online_cpus(void)
{
    return __atomic_load_n(&online_set, __ATOMIC_ACQUIRE);
}

PerCpu *smp_cpu(uint32_t index)
{
    return smp_cpu_online(index) ? sched_cpu(index) : NULL;
}

uint32_t smp_cpu_arch_id(uint32_t index)
{
    return index < MAX_CPUS ? arch_ids[index] : 0;
}

_Noreturn void smp_ap_entry(PerCpu *cpu)
{
    __atomic_store_n(&online[cpu->index], 1, __ATOMIC_RELEASE);
    __atomic_fetch_or(&online_set, 1ull << cpu->index, __ATOMIC_RELEASE);
    __atomic_fetch_add(&online_count, 1, __ATOMIC_ACQ_REL);
    sched_cpu_start(cpu->index, cpu->arch_id);
}

void irq_ipi(IpiKind kind)
{
    switch (kind) {
    case IPI_WORK: smp_run_remote_calls(); break;
    case IPI_RESCHEDULE: this_cpu()->preempt_pending = 1; break;
    case IPI_HALT: arch_halt_forever();
    default: break;
    }
}

static Error start_one(uint32_t index)
{
    uint32_t arch_id = arch_smp_cpu_arch_id(index);
    PerCpu *cpu = sched_cpu(index);
    cpu->index = index;
    cpu->arch_id = arch_id;
    arch_ids[index] = arch_id;

    uintptr_t stack_base;
    Error err = kstack_alloc(&stack_base);
    if (err != E_OK) {
        return err;
    }
    err = arch_smp_start_cpu(arch_id, cpu, stack_base + KSTACK_SIZE);
    if (err != E_OK) {
        /* The CPU never ran on the stack, so it can go back. */
        kstack_free(stack_base);
    }
    return err;
}

Error smp_start_all(void)
{
    uint32_t count = arch_smp_cpu_count();
    if (count > MAX_CPUS) {
        kprintf("smp: %u CPUs listed, using the first %d\n", count, MAX_CPUS);
        count = MAX_CPUS;
    }
    arch_ids[0] = this_cpu()->arch_id;
    __atomic_store_n(&online[0], 1, __ATOMIC_RELEASE);
    __atomic_fetch_or(&online_set, 1ull, __ATOMIC_RELEASE);
    smp_tlb_shootdown_init();
    smp_halt_init();

    uint64_t started = 0;
    for (uint32_t i = 1; i < count; i++) {
        Error err = start_one(i);
        if (err != E_OK) {
            kprintf("smp: CPU %u (id %u) did not start: %s\n", i, arch_smp_cpu_arch_id(i),
                    error_name(err));
            continue;
        }
        /* The arch returned once the CPU ran C; wait until its scheduler is
         * set up too, so nothing it allocates overlaps what runs next here. */
        while (!smp_cpu_online(i) || sched_cpu_count() < started + 2) {
            arch_cpu_relax();
        }
        started++;
    }
    kprintf("smp: %u CPUs online\n", smp_online_count());
    return started + 1 == count ? E_OK : E_BUSY;
}
