/*
 * arch_percpu_install: the GS base that makes this_cpu() work on x86_64.
 */
#include <arch/cpu.h>
#include <percpu.h>

void arch_percpu_install(PerCpu *cpu)
{
    cpu->self = cpu;
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)cpu);
}
