/*
 * x86_64 interrupts for user-space drivers: an MSI vector from
 * IRQ_USER_FIRST..IRQ_USER_LAST, delivered to the boot CPU. The driver
 * programs its device's MSI capability with the address and data returned.
 */
#include <arch/irq.h>
#include <proc/irq_object.h>
#include <smp.h>
#include <spinlock.h>

/* xAPIC MSI address (SDM vol. 3A 11.11.1): 0xFEE, the destination APIC id
 * in bits 19:12, physical destination mode, no redirection hint. */
#define MSI_ADDRESS_BASE 0xFEE00000ull
#define MSI_DEST_SHIFT   12

static Spinlock user_irq_lock = SPINLOCK_INIT;
static IrqObject *user_irqs[IRQ_VECTOR_COUNT]; /* [user_irq_lock] writers; handlers read */

static void user_irq_handler(TrapFrame *frame)
{
    IrqObject *irq = __atomic_load_n(&user_irqs[frame->vector & 0xFF], __ATOMIC_ACQUIRE);
    if (irq != NULL) {
        irq_object_signal(irq);
    }
}

Error arch_user_irq_attach(uint32_t source, IrqObject *irq, AnosIrqInfo *info)
{
    (void)source; /* MSI: the kernel picks the vector */
    unsigned long flags = spin_lock_irqsave(&user_irq_lock);
    Error err = E_NOMEM;
    for (uint32_t v = IRQ_USER_FIRST; v <= IRQ_USER_LAST; v++) {
        if (v == IRQ_VECTOR_SYSCALL || user_irqs[v] != NULL) {
            continue;
        }
        if (arch_irq_register((uint8_t)v, user_irq_handler) != E_OK) {
            continue; /* a kernel driver has it */
        }
        __atomic_store_n(&user_irqs[v], irq, __ATOMIC_RELEASE);
        irq->source = v;
        irq->cpu = 0;
        info->msi_address = MSI_ADDRESS_BASE | (uint64_t)arch_irq_boot_apic_id() << MSI_DEST_SHIFT;
        info->msi_data = v; /* fixed delivery, edge */
        info->source = v;
        info->cpu = 0;
        err = E_OK;
        break;
    }
    spin_unlock_irqrestore(&user_irq_lock, flags);
    return err;
}

static void user_irq_nothing(void *arg)
{
    (void)arg;
}

void arch_user_irq_detach(IrqObject *irq)
{
    unsigned long flags = spin_lock_irqsave(&user_irq_lock);
    __atomic_store_n(&user_irqs[irq->source], NULL, __ATOMIC_RELEASE);
    arch_irq_unregister((uint8_t)irq->source);
    spin_unlock_irqrestore(&user_irq_lock, flags);
    /* A handler already running on the target CPU finishes before a call
     * there does (handlers run with interrupts off): then the object may
     * go. */
    if (this_cpu()->index != irq->cpu) {
        smp_call(irq->cpu, user_irq_nothing, NULL, true);
    }
}

void arch_user_irq_rearm(IrqObject *irq)
{
    (void)irq; /* MSIs are edge-triggered: nothing is masked */
}

/* ---- Self-test hooks (proc/irq_object.h) ---- */

Error arch_irq_selftest_source(uint32_t *source)
{
    *source = 0; /* any vector */
    return E_OK;
}

/* A fixed IPI to this CPU on the vector: what an MSI delivers. The test
 * runs on the boot CPU, where the vector is routed. */
Error arch_irq_selftest_fire(IrqObject *irq)
{
    if (this_cpu()->index != irq->cpu) {
        return E_INVAL;
    }
    return arch_irq_send_ipi(arch_irq_this_apic_id(), (uint8_t)irq->source);
}

void arch_irq_selftest_done(IrqObject *irq)
{
    (void)irq;
}
