/*
 * x86_64 inter-processor interrupts: each IpiKind on its own LAPIC vector
 * (IPI_WORK 0x21, IPI_RESCHEDULE 0x22), IPI_HALT as an NMI so that a CPU
 * spinning with interrupts off still stops. See docs/Arch-x86_64.md.
 */
#ifndef ANOS_ARCH_IPI_H
#define ANOS_ARCH_IPI_H

#include <ipi.h>
#include <stdint.h>

/* Sends kind to the CPU whose APIC id is arch_id (itself included). Any
 * context, interrupts on or off; the ICR is written with them off. The
 * receiver runs irq_ipi(kind) then irq_exit() with interrupts off; for
 * IPI_HALT it halts for good instead (no locks, no hooks). A send the
 * LAPIC refuses (an id an xAPIC cannot address, a stuck ICR) is logged
 * and dropped, except for IPI_HALT, which is dropped silently. */
void arch_ipi_send(uint32_t arch_id, IpiKind kind);

/* The same to every other CPU with one ICR write (shorthand "all
 * excluding self"). Only for kinds every CPU is ready for: CPUs not yet
 * started ignore fixed IPIs, but an NMI (IPI_HALT) would reach an AP in
 * the middle of arch_smp_start_cpu. */
void arch_ipi_send_all_others(IpiKind kind);

#endif
