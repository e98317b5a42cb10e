/*
 * riscv64 per-CPU register: tp holds this hart's PerCpu whenever the kernel
 * runs, and sscratch holds it too so the trap entry can recover it whatever
 * tp held when the trap came. Included by percpu.h after PerCpu's typedef:
 * do not include percpu.h here.
 */
#ifndef ANOS_ARCH_PERCPU_H
#define ANOS_ARCH_PERCPU_H

#include <stdint.h>

/* PerCpu.arch_scratch slots the trap entry uses (trap_entry.S PC_* offsets). */
#define RISCV_SCRATCH_T0         0 /* interrupted t0, during entry only */
#define RISCV_SCRATCH_TRAP_STACK 1 /* top of the emergency trap stack */
#define RISCV_SCRATCH_TP         2 /* interrupted tp, during entry only */
#define RISCV_SCRATCH_T1         3 /* interrupted t1, during entry only */

static inline PerCpu *arch_percpu_get(void)
{
    PerCpu *cpu;
    __asm__("mv %0, tp" : "=r"(cpu));
    return cpu;
}

/*
 * Makes cpu this hart's PerCpu (tp and sscratch) and sets cpu->self. When
 * cpu has no emergency trap stack yet it inherits the one of the PerCpu it
 * replaces (the boot hart's static one), so a stack overflow is always
 * caught. Interrupts off; nothing may use this_cpu() across the call.
 */
void arch_percpu_install(PerCpu *cpu);

/*
 * Sets the top (16-byte aligned, exclusive) of the stack the trap entry
 * switches to when a trap's frame would land in the faulting page (a kernel
 * stack overflow). Give it a guard page below. Before the hart uses cpu.
 */
void arch_percpu_set_trap_stack(PerCpu *cpu, uintptr_t top);

#endif
