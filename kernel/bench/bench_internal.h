/*
 * What the benchmark files share: the counter calibration, sample
 * statistics and the BENCH line printer (bench.c).
 */
#ifndef ANOS_KERNEL_BENCH_INTERNAL_H
#define ANOS_KERNEL_BENCH_INTERNAL_H

#include <arch/bench.h>
#include <stdint.h>

/* Room for one benchmark's samples (bench_samples, shared: benchmarks run
 * one after another on the boot CPU). */
#define BENCH_MAX_SAMPLES 1024

extern uint64_t bench_samples[BENCH_MAX_SAMPLES];

typedef struct BenchStats {
    uint64_t min;    /* ticks */
    uint64_t median; /* ticks; the upper median for an even count */
    uint64_t max;    /* ticks */
    uint32_t count;
} BenchStats;

/* Sorts samples[0..count) in place (count >= 1) and summarises them. */
BenchStats bench_stats(uint64_t *samples, uint32_t count);

/* Ticks two back-to-back arch_bench_counter() reads differ by: subtracted
 * from every interval measured between two reads. */
uint64_t bench_overhead_ticks(void);

/* ticks minus the counter overhead, never below 0. */
uint64_t bench_net_ticks(uint64_t ticks);

/*
 * Prints `BENCH <arch> <name> <median> instructions` and an informational
 * `bench: ` line with min, median, max and the sample count. The stats are
 * raw intervals between two counter reads; the overhead is taken off.
 */
void bench_report(const char *name, const BenchStats *s);

/* Prints a figure already in net ticks (no overhead to take off). */
void bench_report_ticks(const char *name, uint64_t net_ticks);

/* `BENCH <arch> <name> n/a` and a `bench: ` line saying why. */
void bench_report_na(const char *name, const char *why);

/* The benchmarks (bench_sched.c, bench_irq.c, bench_smp.c, bench_misc.c). */
void bench_ctx_switch(void);
void bench_thread_create_join(void);
void bench_timer_irq(void);
void bench_ipi_rtt(void);
void bench_clock_read(void);
void bench_spin_lock_unlock(void);

#endif
