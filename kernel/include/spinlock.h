/*
 * Ticket spinlocks: FIFO-fair busy-wait locks for short critical sections,
 * with variants that also disable interrupts on this CPU.
 */
#ifndef ANOS_KERNEL_SPINLOCK_H
#define ANOS_KERNEL_SPINLOCK_H

#include <arch/cpu.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * A CPU takes a ticket (next++) and spins until `serving` reaches it;
 * unlock hands the lock to the next ticket in order. The lock is not
 * recursive and does not disable preemption: a lock also taken from an
 * interrupt handler, or held where a timer tick could switch threads on a
 * CPU that also wants it, must be taken with spin_lock_irqsave.
 */
typedef struct Spinlock {
    uint32_t next;    /* the next ticket to hand out */
    uint32_t serving; /* the ticket that holds the lock */
} Spinlock;

#define SPINLOCK_INIT {0, 0}

static inline void spin_init(Spinlock *l)
{
    __atomic_store_n(&l->next, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&l->serving, 0, __ATOMIC_RELEASE);
}

static inline void spin_lock(Spinlock *l)
{
    uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket) {
        arch_cpu_relax();
    }
}

/* Takes the lock only if nobody holds or waits for it. */
static inline bool spin_trylock(Spinlock *l)
{
    uint32_t serving = __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
    uint32_t expected = serving;
    return __atomic_compare_exchange_n(&l->next, &expected, serving + 1, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

/* Only the holder may unlock (on any CPU: the scheduler passes its run-queue
 * lock across a context switch). */
static inline void spin_unlock(Spinlock *l)
{
    uint32_t serving = __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
    __atomic_store_n(&l->serving, serving + 1, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(Spinlock *l)
{
    return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
}

/* Disables interrupts on this CPU, then takes the lock; returns the previous
 * interrupt state for spin_unlock_irqrestore. */
static inline unsigned long spin_lock_irqsave(Spinlock *l)
{
    unsigned long flags = arch_irq_save();
    spin_lock(l);
    return flags;
}

static inline void spin_unlock_irqrestore(Spinlock *l, unsigned long flags)
{
    spin_unlock(l);
    arch_irq_restore(flags);
}

#endif
