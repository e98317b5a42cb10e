/*
 * x86_64 benchmark primitives: the cycle counter (TSC; one tick per guest
 * instruction under QEMU -icount shift=0), an exact-count loop and an
 * interrupt window.
 */
#ifndef ANOS_ARCH_BENCH_H
#define ANOS_ARCH_BENCH_H

#include <stdint.h>

/* Instructions one iteration of arch_bench_loop executes (dec; jnz). */
#define ARCH_BENCH_LOOP_INSNS 2

/* bench_loop.asm: runs exactly `iterations` (>= 1) iterations of a
 * two-instruction loop, for calibrating the counter. */
void arch_bench_loop(uint64_t iterations);

/* The TSC, with lfence on both sides so that on real hardware the read is
 * ordered against the code being measured (rdtsc is not serialising). */
static inline uint64_t arch_bench_counter(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

/* Opens interrupts for one instruction and closes them again: a pending
 * interrupt is taken right after the nop (sti delays by one instruction).
 * Call with interrupts off. */
static inline void arch_bench_irq_window(void)
{
    __asm__ volatile("sti; nop; cli" ::: "memory");
}

#endif
