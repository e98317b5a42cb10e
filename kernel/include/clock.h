/*
 * The kernel's one monotonic clock: nanoseconds since the clock started
 * (early in boot), never going backwards, on every CPU. The arch provides it
 * from the TSC calibrated against HPET (x86_64) or the `time` CSR scaled by
 * the devicetree's timebase (riscv64).
 */
#ifndef ANOS_KERNEL_CLOCK_H
#define ANOS_KERNEL_CLOCK_H

#include <arch/clock.h>
#include <stdint.h>

static inline uint64_t clock_ns(void)
{
    return arch_clock_ns();
}

#endif
