/*
 * x86_64 per-CPU register: IA32_GS_BASE holds this CPU's PerCpu, whose first
 * field points at itself, so one `mov %gs:0` finds it. Included by percpu.h
 * after the PerCpu typedef: do not include percpu.h here.
 */
#ifndef ANOS_ARCH_PERCPU_H
#define ANOS_ARCH_PERCPU_H

/* volatile: a thread that migrates must not reuse another CPU's pointer. */
static inline PerCpu *arch_percpu_get(void)
{
    PerCpu *cpu;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(cpu));
    return cpu;
}

/* Points this CPU's GS base at cpu and sets cpu->self. Once per CPU, early,
 * before anything calls this_cpu(). KERNEL_GS_BASE is left for swapgs
 * (user mode). */
void arch_percpu_install(PerCpu *cpu);

#endif
