/*
 * riscv64 interrupts: the S-mode timer, software (IPI, arch/ipi.h) and
 * external (PLIC) interrupts, dispatched from the trap entry; PLIC set-up.
 */
#ifndef ANOS_ARCH_IRQ_H
#define ANOS_ARCH_IRQ_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Reads harts and PLIC from the devicetree at bi->dtb_phys, silences the PLIC
 * (every source priority 0 and disabled in every hart's S-mode context,
 * thresholds 0), prints "irq: plic at <addr>, <n> sources, <harts> harts",
 * and does arch_irq_cpu_init for the boot hart. Leaves sstatus.SIE off: the
 * scheduler enables interrupts. Boot hart, once, interrupts off. E_NOENT /
 * E_CORRUPT for a devicetree without usable harts or with a malformed PLIC
 * (a machine without PLIC is fine: no external interrupts).
 */
Error arch_irq_init(const BootInfo *bi);

/* This hart: PLIC context threshold 0, sie.STIE|SSIE|SEIE, and from then
 * on a target of arch_ipi_send. Each hart once, interrupts off, PerCpu
 * arch_id set. */
void arch_irq_cpu_init(void);

/* Usable harts in the devicetree (after arch_irq_init), and their ids in
 * devicetree order: the CPUs the SMP code can start. */
uint32_t arch_irq_cpu_count(void);
uint32_t arch_irq_cpu_hart_id(uint32_t index);

/* A PLIC source handler: runs with interrupts off between claim and complete. */
typedef void (*ArchIrqHandler)(uint32_t source, void *arg);

/* Registers handler for PLIC source (1..ndev), priority 1, enabled in the
 * calling hart's S-mode context. E_INVAL for a bad source, E_BUSY when it
 * already has a handler, E_NOSYS without a PLIC. */
Error arch_irq_register(uint32_t source, ArchIrqHandler handler, void *arg);

/* The calling hart's PLIC context (what arch_irq_register enabled the
 * source in), or UINT32_MAX without a PLIC. */
uint32_t arch_irq_context(void);

/* Masks or unmasks source in a PLIC context (any hart may ask). */
void arch_irq_set_masked(uint32_t source, uint32_t context, bool masked);

/* Undoes arch_irq_register (context as arch_irq_context returned then). */
void arch_irq_unregister(uint32_t source, uint32_t context);

#endif
