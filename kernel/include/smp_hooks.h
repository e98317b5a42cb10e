/*
 * What the architecture's SMP code calls in generic code. The arch starts an
 * application processor (arch/smp.h), brings it to a state where C runs on
 * the kernel's page tables and its own stack with its PerCpu installed, its
 * descriptor tables / trap vector, interrupt controller and timer set up,
 * interrupts off, and then calls smp_ap_entry, which never returns.
 */
#ifndef ANOS_KERNEL_SMP_HOOKS_H
#define ANOS_KERNEL_SMP_HOOKS_H

#include <ipi.h>
#include <percpu.h>

_Noreturn void smp_ap_entry(PerCpu *cpu);

/* An IPI of this kind arrived (interrupts off, after EOI/acknowledge); the
 * arch calls irq_exit() afterwards as for any interrupt. */
void irq_ipi(IpiKind kind);

#endif
