/*
 * IPI encoding and the NMI side of IPI_HALT, inside the x86_64 layer.
 */
#ifndef ANOS_ARCH_X86_64_IPI_X86_H
#define ANOS_ARCH_X86_64_IPI_X86_H

#include <anos/errors.h>
#include <arch/irq.h>
#include <ipi.h>
#include <stdbool.h>
#include <stdint.h>

#include "lapic.h"

/* The ICR low word that delivers kind: fixed delivery on its vector, or an
 * NMI for IPI_HALT. 0 for an unknown kind. */
static inline uint32_t ipi_icr_low(IpiKind kind)
{
    switch (kind) {
    case IPI_WORK: return LAPIC_ICR_FIXED | LAPIC_ICR_ASSERT | IRQ_VECTOR_IPI_WORK;
    case IPI_RESCHEDULE: return LAPIC_ICR_FIXED | LAPIC_ICR_ASSERT | IRQ_VECTOR_IPI_RESCHED;
    case IPI_HALT: return LAPIC_ICR_NMI | LAPIC_ICR_ASSERT;
    default: return 0;
    }
}

/* Registers the IPI vectors' handlers. Boot CPU, from arch_irq_init. */
Error ipi_x86_init(void);

/* True once some CPU has sent IPI_HALT: an NMI is then a halt request. */
bool ipi_x86_halting(void);

#endif
