/*
 * riscv64 inter-processor interrupts: every kind travels over the S-mode
 * software interrupt (SBI IPI), with a per-hart mask of pending kinds.
 */
#ifndef ANOS_ARCH_IPI_H
#define ANOS_ARCH_IPI_H

#include <ipi.h>
#include <stdint.h>

/*
 * Marks kind pending on hart arch_id and raises its software interrupt.
 * Kinds sent again before the target takes them are delivered once. A hart
 * that has not run arch_irq_cpu_init yet (not started, or starting) is not
 * signalled: the IPI is dropped. Any context, any hart; to itself too.
 *
 * IPI_HALT cannot reach a hart that spins with interrupts off (S-mode has
 * no non-maskable interrupt); it halts once that hart enables interrupts.
 */
void arch_ipi_send(uint32_t arch_id, IpiKind kind);

/* arch_ipi_send to every signalled hart except the caller, with one SBI
 * call per 64 consecutive hart ids. */
void arch_ipi_send_all_others(IpiKind kind);

#endif
