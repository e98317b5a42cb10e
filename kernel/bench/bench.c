/*
 * The benchmark runner: calibrates the cycle counter against a loop of
 * known instruction count, runs each benchmark and prints its figure in
 * guest instructions.
 */
#include <bench.h>
#include <kprintf.h>

#include "bench_internal.h"

/* Calibration loop lengths: the difference of the two runs is
 * (LONG - SHORT) * ARCH_BENCH_LOOP_INSNS instructions, free of the call
 * and counter overheads, which cancel. */
#define CALIBRATION_SHORT 1000
#define CALIBRATION_LONG  11000
#define CALIBRATION_RUNS  8
#define OVERHEAD_RUNS     64

uint64_t bench_samples[BENCH_MAX_SAMPLES];

/* Counter ticks per 1000 guest instructions (1000 under -icount shift=0,
 * 2^shift * 1000 in general) and the cost of a counter read pair. */
static uint64_t ticks_per_1000;
static uint64_t overhead_ticks;

static uint64_t bench_loop_ticks(uint64_t iterations)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < CALIBRATION_RUNS; i++) {
        uint64_t t0 = arch_bench_counter();
        arch_bench_loop(iterations);
        uint64_t t1 = arch_bench_counter();
        if (t1 - t0 < best) {
            best = t1 - t0;
        }
    }
    return best;
}

/* Minimum of many runs: the loop is deterministic, so anything above the
 * minimum is an interrupt that landed inside it. */
static void bench_calibrate(void)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < OVERHEAD_RUNS; i++) {
        uint64_t t0 = arch_bench_counter();
        uint64_t t1 = arch_bench_counter();
        if (t1 - t0 < best) {
            best = t1 - t0;
        }
    }
    overhead_ticks = best;

    uint64_t insns = (CALIBRATION_LONG - CALIBRATION_SHORT) * ARCH_BENCH_LOOP_INSNS;
    uint64_t ticks = bench_loop_ticks(CALIBRATION_LONG) - bench_loop_ticks(CALIBRATION_SHORT);
    /* Rounded to the nearest tick per 1000 instructions. */
    ticks_per_1000 = (ticks * 1000 + insns / 2) / insns;
    kprintf("bench: calibration: %llu ticks for %llu instructions, counter read pair %llu "
            "ticks\n",
            (unsigned long long)ticks, (unsigned long long)insns,
            (unsigned long long)overhead_ticks);
    kprintf("BENCH %s calibration %llu ticks_per_1000_instructions\n", ANOS_ARCH,
            (unsigned long long)ticks_per_1000);
}

uint64_t bench_overhead_ticks(void)
{
    return overhead_ticks;
}

uint64_t bench_net_ticks(uint64_t ticks)
{
    return ticks > overhead_ticks ? ticks - overhead_ticks : 0;
}

BenchStats bench_stats(uint64_t *samples, uint32_t count)
{
    /* Insertion sort: at most BENCH_MAX_SAMPLES, and usually sorted
     * already since most samples are equal under icount. */
    for (uint32_t i = 1; i < count; i++) {
        uint64_t v = samples[i];
        uint32_t j = i;
        while (j > 0 && samples[j - 1] > v) {
            samples[j] = samples[j - 1];
            j--;
        }
        samples[j] = v;
    }
    BenchStats s = {samples[0], samples[count / 2], samples[count - 1], count};
    return s;
}

/* Tenths of an instruction for a tick count. */
static uint64_t bench_tenths(uint64_t ticks)
{
    uint64_t per_1000 = ticks_per_1000 ? ticks_per_1000 : 1000;
    return (ticks * 10000 + per_1000 / 2) / per_1000;
}

/* Formats tenths as "123" or "123.4" into buf (at least 24 bytes). */
static const char *bench_format(char *buf, uint64_t tenths)
{
    char digits[24];
    int n = 0;
    uint64_t whole = tenths / 10;
    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole != 0);
    int len = 0;
    while (n > 0) {
        buf[len++] = digits[--n];
    }
    if (tenths % 10 != 0) {
        buf[len++] = '.';
        buf[len++] = (char)('0' + tenths % 10);
    }
    buf[len] = '\0';
    return buf;
}

void bench_report_ticks(const char *name, uint64_t net_ticks)
{
    char value[24];
    kprintf("BENCH %s %s %s instructions\n", ANOS_ARCH, name,
            bench_format(value, bench_tenths(net_ticks)));
}

void bench_report(const char *name, const BenchStats *s)
{
    char min[24], median[24], max[24];
    kprintf("bench: %s: min %s, median %s, max %s instructions over %u samples\n", name,
            bench_format(min, bench_tenths(bench_net_ticks(s->min))),
            bench_format(median, bench_tenths(bench_net_ticks(s->median))),
            bench_format(max, bench_tenths(bench_net_ticks(s->max))), s->count);
    bench_report_ticks(name, bench_net_ticks(s->median));
}

void bench_report_na(const char *name, const char *why)
{
    kprintf("bench: %s: %s\n", name, why);
    kprintf("BENCH %s %s n/a\n", ANOS_ARCH, name);
}

void bench_run_all(void)
{
    kprintf("bench: figures in guest instructions (median of repeated runs)\n");
    bench_calibrate();
    bench_clock_read();
    bench_spin_lock_unlock();
    bench_ctx_switch();
    bench_thread_create_join();
    bench_timer_irq();
    bench_ipi_rtt();
    kprintf("bench: done\n");
}
