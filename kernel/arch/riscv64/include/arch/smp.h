/*
 * riscv64 side of SMP start-up: the harts the devicetree lists and starting
 * one through SBI HSM into smp_ap_entry (smp_hooks.h).
 */
#ifndef ANOS_ARCH_SMP_H
#define ANOS_ARCH_SMP_H

#include <anos/errors.h>
#include <percpu.h>
#include <stdint.h>

/*
 * The CPUs the kernel can run on: the devicetree's usable harts (enabled,
 * compatible "riscv", an MMU that does Sv48; a hart without S-mode or MMU,
 * such as a monitor core, is left out) with the boot hart counted even if
 * the devicetree leaves it out. After arch_irq_init; 0 before.
 */
uint32_t arch_smp_cpu_count(void);

/* The hart id of CPU i (0 <= i < arch_smp_cpu_count()): the boot hart
 * first, then the others in devicetree order. 0 for i out of range. */
uint32_t arch_smp_cpu_arch_id(uint32_t i);

/* This hart's id (this_cpu()->arch_id). */
static inline uint32_t arch_smp_this_arch_id(void)
{
    return this_cpu()->arch_id;
}

/*
 * Starts hart arch_id (SBI HSM hart_start) on the kernel's page tables with
 * sp = stack_top (16-byte aligned; the caller owns the stack) and cpu as its
 * PerCpu (arch_id stored in it), sets up its trap vector, emergency trap
 * stack (cpu's own if arch_percpu_set_trap_stack gave one, else one from a
 * static pool), interrupt enables (arch_irq_cpu_init) and timer
 * (arch_timer_cpu_init), then calls smp_ap_entry(cpu) there, interrupts off.
 * Returns E_OK once the hart runs C and will not touch the start state
 * again. Boot hart (or any one started hart), one call at a time, after
 * mm_init, arch_irq_init and arch_clock_init.
 * Errors: E_NOSYS no SBI HSM; E_INVAL not a usable hart, the calling hart,
 * NULL cpu or bad stack_top; E_BUSY the hart is already running (HSM not
 * "stopped") or another start is under way; E_AGAIN the hart did not reach
 * C within about a second (it is then told to stop should it come later;
 * the stack and cpu are not used); E_RANGE the kernel cannot be reached
 * through an identity page; others as sbi_hart_start.
 */
Error arch_smp_start_cpu(uint32_t arch_id, PerCpu *cpu, uintptr_t stack_top);

#endif
