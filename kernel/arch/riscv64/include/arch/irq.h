/*
 * riscv64 interrupts: the S-mode timer, software (IPI) and external (PLIC)
 * interrupts, dispatched from the trap entry; PLIC set-up and SBI IPIs.
 */
#ifndef ANOS_ARCH_IRQ_H
#define ANOS_ARCH_IRQ_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
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

/* This hart: PLIC context threshold 0, sie.STIE|SSIE|SEIE. Interrupts off. */
void arch_irq_cpu_init(void);

/* Usable harts in the devicetree (after arch_irq_init), and their ids in
 * devicetree order: the CPUs the SMP code can start. */
uint32_t arch_irq_cpu_count(void);
uint32_t arch_irq_cpu_hart_id(uint32_t index);

/* Raises the S-mode software interrupt on hart_id through SBI IPI. E_NOSYS
 * without the SBI IPI extension, E_INVAL for a hart SBI does not know. */
Error arch_irq_send_ipi(uint32_t hart_id);

/* The kinds of inter-processor work one software interrupt can carry. */
typedef enum ArchIpiKind {
    ARCH_IPI_CALL_FUNCTION = 0,
    ARCH_IPI_RESCHEDULE = 1,
    ARCH_IPI_TLB_SHOOTDOWN = 2,
    ARCH_IPI_HALT = 3,
    ARCH_IPI_KINDS = 4,
} ArchIpiKind;

/* Called on the target hart with interrupts off, in the interrupt. */
typedef void (*ArchIpiHandler)(void);

/* Installs the handler for kind (NULL: ignore it). Before IPIs of the kind
 * are sent. */
void arch_ipi_set_handler(ArchIpiKind kind, ArchIpiHandler handler);

/* Marks kind pending on hart_id and raises its software interrupt; kinds
 * sent together before the target runs are delivered once each. E_INVAL for
 * an unknown hart or kind, else as arch_irq_send_ipi. */
Error arch_ipi_send(uint32_t hart_id, ArchIpiKind kind);

/* A PLIC source handler: runs with interrupts off between claim and complete. */
typedef void (*ArchIrqHandler)(uint32_t source, void *arg);

/* Registers handler for PLIC source (1..ndev), priority 1, enabled in the
 * calling hart's S-mode context. E_INVAL for a bad source, E_BUSY when it
 * already has a handler, E_NOSYS without a PLIC. */
Error arch_irq_register(uint32_t source, ArchIrqHandler handler, void *arg);

#endif
