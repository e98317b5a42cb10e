/*
 * Interrupt objects: the handler counts and wakes; a waiter sleeps with a
 * deadline and the handler cuts the sleep short (sched_sleep_interrupt).
 */
#include <arch/cpu.h>
#include <clock.h>
#include <kstring.h>
#include <mm/slab.h>
#include <proc/irq_object.h>
#include <sched/kstack.h>
#include <sched/sched.h>

/* A wait without a timeout sleeps in slices this long (re-checking). */
#define IRQ_WAIT_SLICE_NS (3600ull * 1000000000ull)

static void irq_object_destroy(KObject *obj)
{
    IrqObject *irq = (IrqObject *)obj;
    arch_user_irq_detach(irq);
    unsigned long flags = kmem_lock();
    slab_free(irq);
    kmem_unlock(flags);
}

Error irq_object_create(uint32_t source, IrqObject **out, AnosIrqInfo *info)
{
    void *mem;
    unsigned long flags = kmem_lock();
    Error err = slab_alloc(sizeof(IrqObject), &mem);
    kmem_unlock(flags);
    if (err != E_OK) {
        return err;
    }
    IrqObject *irq = mem;
    memset(irq, 0, sizeof(*irq));
    spin_init(&irq->lock);
    memset(info, 0, sizeof(*info));
    if ((err = arch_user_irq_attach(source, irq, info)) != E_OK) {
        flags = kmem_lock();
        slab_free(irq);
        kmem_unlock(flags);
        return err;
    }
    kobject_init(&irq->obj, KOBJ_IRQ, irq_object_destroy);
    *out = irq;
    return E_OK;
}

void irq_object_signal(IrqObject *irq)
{
    spin_lock(&irq->lock);
    irq->pending++;
    Thread *waiter = irq->waiter;
    spin_unlock(&irq->lock);
    if (waiter != NULL) {
        sched_sleep_interrupt(waiter);
    }
}

/* Takes what is pending, or registers self as the waiter. */
static bool irq_object_take(IrqObject *irq, Thread *self, uint64_t *count_out, Error *err)
{
    unsigned long flags = spin_lock_irqsave(&irq->lock);
    bool done = true;
    if (irq->pending > 0) {
        *count_out = irq->pending;
        irq->pending = 0;
        *err = E_OK;
    } else if (irq->waiter != NULL && irq->waiter != self) {
        *err = E_BUSY;
    } else {
        /* A signal from here on cancels the coming sleep; one from before
         * (a wait that ended by timeout) must not. */
        __atomic_store_n(&self->sleep_cancel, 0, __ATOMIC_RELAXED);
        irq->waiter = self;
        done = false;
    }
    spin_unlock_irqrestore(&irq->lock, flags);
    return done;
}

Error irq_object_wait(IrqObject *irq, uint64_t timeout_ns, uint64_t *count_out)
{
    Thread *self = thread_current();
    uint64_t deadline = timeout_ns == 0 ? UINT64_MAX : clock_ns() + timeout_ns;
    arch_user_irq_rearm(irq);
    Error err = E_AGAIN;
    for (;;) {
        if (irq_object_take(irq, self, count_out, &err)) {
            break;
        }
        uint64_t now = clock_ns();
        if (now >= deadline || __atomic_load_n(&self->kill_pending, __ATOMIC_ACQUIRE)) {
            err = E_AGAIN;
            break;
        }
        uint64_t left = deadline - now;
        sched_sleep_ns(left < IRQ_WAIT_SLICE_NS ? left : IRQ_WAIT_SLICE_NS);
    }
    unsigned long flags = spin_lock_irqsave(&irq->lock);
    if (irq->waiter == self) {
        irq->waiter = NULL;
    }
    spin_unlock_irqrestore(&irq->lock, flags);
    __atomic_store_n(&self->sleep_cancel, 0, __ATOMIC_RELAXED);
    return err;
}
