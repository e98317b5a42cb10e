/*
 * Interrupts as kernel objects: a user-space driver allocates one (an MSI
 * vector on x86_64, a PLIC source on riscv64) and waits on its handle. The
 * interrupt handler only counts and wakes; the driver does the work.
 */
#ifndef ANOS_KERNEL_PROC_IRQ_OBJECT_H
#define ANOS_KERNEL_PROC_IRQ_OBJECT_H

#include <anos/errors.h>
#include <anos/syscall.h>
#include <cap/object.h>
#include <sched/thread.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct IrqObject {
    KObject obj; /* KOBJ_IRQ */
    Spinlock lock;
    uint64_t pending; /* [lock] interrupts not yet returned by a wait */
    Thread *waiter;   /* [lock] the thread in irq_object_wait, or NULL */
    uint32_t source;  /* x86_64 vector or riscv64 PLIC source */
    uint32_t cpu;     /* the CPU index it is routed to */
} IrqObject;

/* Allocates an interrupt (source: riscv64 PLIC source; ignored on x86_64)
 * and fills *info. E_BUSY in use, E_NOMEM no vector or memory, E_INVAL
 * bad source, E_NOSYS no interrupt controller for it. */
Error irq_object_create(uint32_t source, IrqObject **out, AnosIrqInfo *info);

/* From the interrupt handler (interrupts off): one more pending, wake the
 * waiter. */
void irq_object_signal(IrqObject *irq);

/* Waits until an interrupt is pending (returning how many, and clearing
 * them), timeout_ns passes (E_AGAIN; 0 waits forever), or the caller's
 * process is killed (E_AGAIN). One waiter at a time: E_BUSY otherwise. */
Error irq_object_wait(IrqObject *irq, uint64_t timeout_ns, uint64_t *count_out);

/* ---- Per architecture (kernel/arch/$ARCH/user_irq.c) ---- */

/* Routes a free vector (x86_64) or the given PLIC source (riscv64) to
 * irq_object_signal(irq); sets irq->source, irq->cpu and *info. */
Error arch_user_irq_attach(uint32_t source, IrqObject *irq, AnosIrqInfo *info);

/* Undoes arch_user_irq_attach; no signal arrives after it returns. */
void arch_user_irq_detach(IrqObject *irq);

/* Called at the start of every wait: riscv64 unmasks the source, which its
 * handler masked so a level-triggered device cannot storm before the
 * driver has serviced it. */
void arch_user_irq_rearm(IrqObject *irq);

/* In-kernel self-test of delivery (kernel/proc/irq_selftest.c), with the
 * arch's way of raising an interrupt without a device driver: x86_64 a
 * self-IPI on the vector; riscv64 the devicetree's goldfish RTC alarm
 * (QEMU virt). source: what to attach (E_NOSYS: no way to test here). */
bool irq_object_selftest(void);
Error arch_irq_selftest_source(uint32_t *source);
Error arch_irq_selftest_fire(IrqObject *irq);
void arch_irq_selftest_done(IrqObject *irq);

#endif
