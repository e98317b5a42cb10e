/*
 * Per-CPU descriptor tables inside the x86_64 layer: what smp.c needs from
 * cpu_init.c to set up an application processor.
 */
#ifndef ANOS_ARCH_X86_64_CPU_X86_H
#define ANOS_ARCH_X86_64_CPU_X86_H

#include <stdint.h>

#define CPU_IST_COUNT 3 /* NMI, double fault, machine check */

/* On an AP, interrupts off, before anything else in C: loads CPU index's
 * own GDT and TSS (with its IST stacks), the shared IDT and the same
 * EFER/CR0/CR4 bits and syscall MSRs as the boot CPU (arch_user_cpu_init). index 1..MAX_CPUS-1,
 * each at most once per boot (ltr marks the TSS busy). */
void cpu_init_ap(uint32_t index);

/* The guard pages below CPU index's IST stacks (kernel virtual). */
void cpu_ist_guards(uint32_t index, uintptr_t out[CPU_IST_COUNT]);

#endif
