/*
 * Small fixed costs other figures are built from: reading the kernel clock
 * and an uncontended spinlock lock/unlock pair.
 */
#include <clock.h>
#include <spinlock.h>

#include "bench_internal.h"

#define MISC_SAMPLES 256

/* Keeps the compiler from dropping a clock read whose value is unused. */
static volatile uint64_t bench_sink;

void bench_clock_read(void)
{
    for (uint32_t i = 0; i < MISC_SAMPLES; i++) {
        uint64_t t0 = arch_bench_counter();
        uint64_t now = clock_ns();
        uint64_t t1 = arch_bench_counter();
        bench_sink = now;
        bench_samples[i] = t1 - t0;
    }
    BenchStats s = bench_stats(bench_samples, MISC_SAMPLES);
    bench_report("clock_read", &s);
}

void bench_spin_lock_unlock(void)
{
    static Spinlock lock = SPINLOCK_INIT;
    for (uint32_t i = 0; i < MISC_SAMPLES; i++) {
        uint64_t t0 = arch_bench_counter();
        spin_lock(&lock);
        spin_unlock(&lock);
        uint64_t t1 = arch_bench_counter();
        bench_samples[i] = t1 - t0;
    }
    BenchStats s = bench_stats(bench_samples, MISC_SAMPLES);
    bench_report("spin_lock_unlock", &s);
}
