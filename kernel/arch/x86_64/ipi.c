/*
 * Sending and receiving IPIs: LAPIC fixed-vector IPIs for work and
 * reschedule, an NMI for halt (it gets through `cli`).
 */
#include <arch/cpu.h>
#include <arch/ipi.h>
#include <klog.h>
#include <smp_hooks.h>

#include "ipi_x86.h"

/* Set (never cleared) before the first IPI_HALT NMI leaves; read by the
 * NMI handler on every CPU. A real NMI after that also halts, which is
 * what a panicking machine wants anyway. */
static bool halting;

bool ipi_x86_halting(void)
{
    return __atomic_load_n(&halting, __ATOMIC_ACQUIRE);
}

static void ipi_send(uint32_t dest, IpiKind kind, uint32_t shorthand)
{
    uint32_t low = ipi_icr_low(kind);
    if (low == 0) {
        LOG(KLOG_WARN, "ipi", "unknown IPI kind %d", (int)kind);
        return;
    }
    if (kind == IPI_HALT) {
        __atomic_store_n(&halting, true, __ATOMIC_RELEASE);
    }
    unsigned long flags = arch_irq_save();
    Error err = lapic_send_icr(dest, low | shorthand);
    arch_irq_restore(flags);
    /* IPI_HALT comes from panic: no lock may be taken, so no log line. */
    if (err != E_OK && kind != IPI_HALT) {
        LOG(KLOG_WARN, "ipi", "IPI %d to APIC id %u failed: %s", (int)kind, dest, error_name(err));
    }
}

void arch_ipi_send(uint32_t arch_id, IpiKind kind)
{
    ipi_send(arch_id, kind, 0);
}

void arch_ipi_send_all_others(IpiKind kind)
{
    ipi_send(0, kind, LAPIC_ICR_DEST_ALL_BUT_SELF);
}

/* irq_dispatch has sent the EOI and calls irq_exit() after these. */
static void ipi_work_interrupt(TrapFrame *frame)
{
    (void)frame;
    irq_ipi(IPI_WORK);
}

static void ipi_reschedule_interrupt(TrapFrame *frame)
{
    (void)frame;
    irq_ipi(IPI_RESCHEDULE);
}

Error ipi_x86_init(void)
{
    Error err = arch_irq_register(IRQ_VECTOR_IPI_WORK, ipi_work_interrupt);
    if (err == E_OK) {
        err = arch_irq_register(IRQ_VECTOR_IPI_RESCHED, ipi_reschedule_interrupt);
    }
    return err;
}
