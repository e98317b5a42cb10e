/*
 * Self-test of interrupt objects on real interrupts: a wait with nothing
 * pending times out, an interrupt the arch raises is counted and wakes the
 * waiter, and a released vector or source can be attached again.
 */
#include <kprintf.h>
#include <proc/irq_object.h>

#define IRQ_TEST_TIMEOUT_NS 1000000000ull

bool irq_object_selftest(void)
{
    uint32_t source;
    Error err = arch_irq_selftest_source(&source);
    if (err != E_OK) {
        kprintf("irq_object: no interrupt to test with: %s\n", error_name(err));
        return false;
    }
    IrqObject *irq;
    AnosIrqInfo info;
    if ((err = irq_object_create(source, &irq, &info)) != E_OK) {
        kprintf("irq_object: attach failed: %s\n", error_name(err));
        return false;
    }
    bool ok = true;
    uint64_t count = 0;
    err = irq_object_wait(irq, 1000000, &count);
    if (err != E_AGAIN) {
        kprintf("irq_object: wait with nothing pending gave %s\n", error_name(err));
        ok = false;
    }
    if ((err = arch_irq_selftest_fire(irq)) != E_OK ||
        (err = irq_object_wait(irq, IRQ_TEST_TIMEOUT_NS, &count)) != E_OK || count < 1) {
        kprintf("irq_object: raised interrupt not seen: %s, count %llu\n", error_name(err),
                (unsigned long long)count);
        ok = false;
    }
    arch_irq_selftest_done(irq);
    kobject_unref(&irq->obj); /* detaches */
    if ((err = irq_object_create(source, &irq, &info)) != E_OK) {
        kprintf("irq_object: re-attach after release failed: %s\n", error_name(err));
        return false;
    }
    kobject_unref(&irq->obj);
    kprintf("irq_object: %s %u: timeout, delivery and release checked\n",
            info.msi_address != 0 ? "vector" : "source", info.source);
    return ok;
}
