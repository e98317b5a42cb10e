/*
 * Conversions between time-CSR ticks and nanoseconds by multiply-shift, so
 * the clock's hot path has no division. Pure arithmetic, tested on the host.
 */
#ifndef ANOS_RISCV_CLOCK_SCALE_H
#define ANOS_RISCV_CLOCK_SCALE_H

#include <stdint.h>

#define NS_PER_SECOND 1000000000ull

/*
 * Each ratio is an integer part plus a 64-bit binary fraction:
 * ns = ticks * ns_int + (ticks * ns_frac >> 64), the fraction rounded down,
 * so the clock never runs ahead of the hardware and drifts below it by less
 * than 1 ns per 2^64 ticks; ticks = ns * tk_int + (ns * tk_frac >> 64) + 1,
 * the fraction rounded up and the extra tick so a deadline never fires
 * early. The products are 128-bit: no overflow for any 64-bit input.
 */
typedef struct ClockScale {
    uint64_t hz;
    uint64_t ns_int, ns_frac;
    uint64_t tk_int, tk_frac;
} ClockScale;

/* (rest << 64) / div for rest < div < 2^32, rounded up when ceil: two 32-bit
 * long-division steps, since the kernel has no 128-bit division routine. */
static inline uint64_t clock_scale_fraction(uint64_t rest, uint64_t div, int ceil)
{
    uint64_t high = (rest << 32) / div;
    uint64_t low_rest = (rest << 32) % div;
    uint64_t low = ((low_rest << 32) + (ceil ? div - 1 : 0)) / div;
    /* A rounded-up low can carry into high (low == 2^32). */
    return (high << 32) + low;
}

/* hz must be 1 .. 2^32. Runs once at boot. */
static inline void clock_scale_init(ClockScale *scale, uint64_t hz)
{
    scale->hz = hz;
    scale->ns_int = NS_PER_SECOND / hz;
    scale->ns_frac = clock_scale_fraction(NS_PER_SECOND % hz, hz, 0);
    scale->tk_int = hz / NS_PER_SECOND;
    scale->tk_frac = clock_scale_fraction(hz % NS_PER_SECOND, NS_PER_SECOND, 1);
}

static inline uint64_t clock_scale_ns(const ClockScale *scale, uint64_t ticks)
{
    return ticks * scale->ns_int + (uint64_t)(((unsigned __int128)ticks * scale->ns_frac) >> 64);
}

/* Ticks covering at least ns; saturates at UINT64_MAX. */
static inline uint64_t clock_scale_ticks(const ClockScale *scale, uint64_t ns)
{
    unsigned __int128 ticks = (unsigned __int128)ns * scale->tk_int +
                              (((unsigned __int128)ns * scale->tk_frac) >> 64) + 1;
    return ticks > UINT64_MAX ? UINT64_MAX : (uint64_t)ticks;
}

#endif
