/*
 * Thin wrappers over riscv64 instructions the kernel needs from C: the
 * interrupt enable bit, wfi, spin hints and the frame pointer.
 */
#ifndef ANOS_ARCH_CPU_H
#define ANOS_ARCH_CPU_H

#include <arch/csr.h>
#include <stdint.h>

/* Stops this hart for good: with sstatus.SIE clear no interrupt is taken,
 * and whatever wakes wfi puts the hart straight back to sleep. */
_Noreturn static inline void arch_halt_forever(void)
{
    csr_clear(sstatus, SSTATUS_SIE);
    for (;;) {
        __asm__ volatile("wfi" ::: "memory");
    }
}

static inline void arch_irq_disable(void)
{
    csr_clear(sstatus, SSTATUS_SIE);
}

static inline void arch_irq_enable(void)
{
    csr_set(sstatus, SSTATUS_SIE);
}

/* For spin loops: Zihintpause's PAUSE, a FENCE hint (no-op) on harts
 * without it; encoded by hand since -march does not enable the extension. */
static inline void arch_cpu_relax(void)
{
    __asm__ volatile(".4byte 0x0100000f" ::: "memory");
}

/* The caller's frame pointer (s0; the kernel is built with frame pointers). */
static inline uintptr_t arch_frame_pointer(void)
{
    return (uintptr_t)__builtin_frame_address(0);
}

#endif
