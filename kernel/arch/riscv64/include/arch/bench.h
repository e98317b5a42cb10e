/*
 * riscv64 benchmark primitives: the cycle counter (rdcycle; 2^shift ticks
 * per guest instruction under QEMU -icount), an exact-count loop and an
 * interrupt window.
 */
#ifndef ANOS_ARCH_BENCH_H
#define ANOS_ARCH_BENCH_H

#include <stdint.h>

/* Instructions one iteration of arch_bench_loop executes (addi; bnez). */
#define ARCH_BENCH_LOOP_INSNS 2

/* bench_loop.S: runs exactly `iterations` (>= 1) iterations of a
 * two-instruction loop, for calibrating the counter. */
void arch_bench_loop(uint64_t iterations);

/* The cycle CSR: readable in S-mode because OpenSBI sets mcounteren.CY.
 * In-order reads need no fence on QEMU; a fence would only add
 * instructions to every figure. */
static inline uint64_t arch_bench_counter(void)
{
    uint64_t v;
    __asm__ volatile("rdcycle %0" : "=r"(v)::"memory");
    return v;
}

/* Sets sstatus.SIE for one instruction: a pending interrupt is taken right
 * after the csrsi. Call with interrupts off. */
static inline void arch_bench_irq_window(void)
{
    __asm__ volatile("csrsi sstatus, 2; nop; csrci sstatus, 2" ::: "memory");
}

#endif
