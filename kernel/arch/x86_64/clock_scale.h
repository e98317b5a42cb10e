/*
 * Fixed-point rate conversion without division on the hot path:
 * out = in * mult >> 32, with mult precomputed once from the two rates.
 * Pure, shared by the clock and the timer and tested on the host.
 */
#ifndef ANOS_ARCH_X86_64_CLOCK_SCALE_H
#define ANOS_ARCH_X86_64_CLOCK_SCALE_H

#include <stdint.h>

#define SCALE_SHIFT 32
#define NS_PER_SEC  1000000000ULL

/* mult for converting units counted at from_hz into units counted at to_hz
 * (e.g. TSC ticks to ns: to_hz = NS_PER_SEC). Needs from_hz > 0 and one of
 * the rates below 2^32 (one is always NS_PER_SEC here); the result must fit
 * 64 bits, which holds while to_hz / from_hz < 2^32. 64-bit division only:
 * 128-bit division would need compiler-rt in the kernel. */
static inline uint64_t scale_mult(uint64_t to_hz, uint64_t from_hz)
{
    uint64_t q = to_hz / from_hz;
    uint64_t r = to_hz % from_hz; /* < min(to_hz, from_hz) < 2^32 */
    return (q << SCALE_SHIFT) + (r << SCALE_SHIFT) / from_hz;
}

/* value * mult >> 32, saturating at UINT64_MAX. A 64 x 64 -> 128 multiply:
 * no overflow for any 64-bit value (centuries of TSC ticks). */
static inline uint64_t scale_apply(uint64_t value, uint64_t mult)
{
    unsigned __int128 product = (unsigned __int128)value * mult;
    unsigned __int128 result = product >> SCALE_SHIFT;
    return result > UINT64_MAX ? UINT64_MAX : (uint64_t)result;
}

/* As scale_apply, rounded up: for counts that must not fall short. */
static inline uint64_t scale_apply_ceil(uint64_t value, uint64_t mult)
{
    unsigned __int128 product = (unsigned __int128)value * mult;
    unsigned __int128 result = (product + ((1ULL << SCALE_SHIFT) - 1)) >> SCALE_SHIFT;
    return result > UINT64_MAX ? UINT64_MAX : (uint64_t)result;
}

/* The LAPIC initial count that fires at deadline_ns when it is now_ns:
 * rounded up, at least 1 (0 would disarm; 1 fires a past deadline at once), at most the
 * 32-bit register (a later deadline fires early and is re-armed). */
#define SCALE_TIMER_MAX 0xFFFFFFFFULL

static inline uint32_t scale_timer_count(uint64_t now_ns, uint64_t deadline_ns, uint64_t ticks_mult)
{
    uint64_t ticks = deadline_ns > now_ns ? scale_apply_ceil(deadline_ns - now_ns, ticks_mult) : 1;
    if (ticks == 0) {
        ticks = 1;
    }
    return ticks > SCALE_TIMER_MAX ? (uint32_t)SCALE_TIMER_MAX : (uint32_t)ticks;
}

#endif
