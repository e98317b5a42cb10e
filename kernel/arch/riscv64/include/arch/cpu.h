/*
 * Thin wrappers over riscv64 instructions the kernel needs from C: the
 * interrupt enable bit (sstatus.SIE), wfi, spin hints and the frame pointer.
 */
#ifndef ANOS_ARCH_CPU_H
#define ANOS_ARCH_CPU_H

#include <arch/csr.h>
#include <stdbool.h>
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

static inline bool arch_irq_enabled(void)
{
    return (csr_read(sstatus) & SSTATUS_SIE) != 0;
}

/* Disables interrupts; returns the previous state for arch_irq_restore. */
static inline unsigned long arch_irq_save(void)
{
    unsigned long old;
    __asm__ volatile("csrrci %0, sstatus, %1" : "=r"(old) : "i"(SSTATUS_SIE) : "memory");
    return old & SSTATUS_SIE;
}

/* Re-enables interrupts only if flags (from arch_irq_save) had them on. */
static inline void arch_irq_restore(unsigned long flags)
{
    csr_set(sstatus, flags & SSTATUS_SIE);
}

/*
 * Idles until an interrupt arrives, lets it be taken, and returns with
 * interrupts enabled. Call it with interrupts off after finding nothing to
 * run: no wake-up is lost. wfi with SIE clear still wakes as soon as an
 * interrupt enabled in sie is pending (the privileged spec makes wfi ignore
 * the global enable), so one that arrived after the caller's check, or while
 * asleep, stays pending; setting SIE afterwards takes it at once. The other
 * order (set SIE, then wfi) would take such an interrupt before the wfi and
 * then sleep through the wake-up it caused.
 */
static inline void arch_wait_for_interrupt(void)
{
    csr_clear(sstatus, SSTATUS_SIE);
    __asm__ volatile("wfi" ::: "memory");
    csr_set(sstatus, SSTATUS_SIE);
}

/* Set by `relax=wfi` on the command line (smp.c, before the first hart
 * starts): arch_cpu_relax then also runs a wfi that returns at once
 * (ipi.c). QEMU 7.2 with -icount runs all harts in turn on one thread and
 * gives each the instructions up to the next timer event; a hart spinning
 * for another (a remote call, a lock) uses them all and the other never
 * runs. wfi ends a hart's turn there (x86's pause does it on x86_64). The
 * riscv64 two-hart benchmark boot passes it (docs/Benchmarks.md). */
extern bool riscv_relax_wfi;

/* For spin loops: Zihintpause's PAUSE, a FENCE hint (no-op) on harts
 * without it; encoded by hand since -march does not enable the extension.
 * With relax=wfi first riscv_cpu_relax_wfi_entry (ipi.c), entered by jal
 * with the return address in t0 and keeping every other register, so spin
 * loops inlined into fast paths stay free of a call (the flag test costs
 * three instructions and t0). */
static inline void arch_cpu_relax(void)
{
    __asm__ volatile("1: auipc t0, %%pcrel_hi(riscv_relax_wfi)\n"
                     "lbu t0, %%pcrel_lo(1b)(t0)\n"
                     "beqz t0, 2f\n"
                     "jal t0, riscv_cpu_relax_wfi_entry\n"
                     "2: .4byte 0x0100000f\n" ::
                         : "t0", "memory");
}

/* The caller's frame pointer (s0; the kernel is built with frame pointers). */
static inline uintptr_t arch_frame_pointer(void)
{
    return (uintptr_t)__builtin_frame_address(0);
}

#endif
