/*
 * The riscv64 clock: the time CSR, which counts at the devicetree's
 * /cpus timebase-frequency on every hart alike, scaled to nanoseconds.
 */
#ifndef ANOS_ARCH_CLOCK_H
#define ANOS_ARCH_CLOCK_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <stdint.h>

/*
 * Reads the timebase from the devicetree at bi->dtb_phys, takes "now" as
 * the clock's zero and prints "clock: timebase <hz> Hz". Boot hart, once,
 * before any other clock or timer call. E_NOENT / E_CORRUPT without a usable
 * timebase-frequency (or one above 4 GHz, E_RANGE); the clock then stays 0.
 */
Error arch_clock_init(const BootInfo *bi);

/* Nanoseconds since arch_clock_init; 0 before. Any hart, any context:
 * rdtime and one multiply-shift. */
uint64_t arch_clock_ns(void);

/* The time-CSR value (ticks) at which clock_ns() first reaches ns:
 * never earlier. For the timer. */
uint64_t riscv_clock_ns_to_ticks(uint64_t ns);

/* The timebase in Hz; 0 before arch_clock_init. */
uint64_t riscv_clock_hz(void);

#endif
