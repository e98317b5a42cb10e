/*
 * ipi_rtt: a remote function call round trip between two CPUs:
 * smp_call(other, empty function, wait), from the IPI send to the return
 * after the other CPU has run the function and acknowledged it.
 */
#include <kprintf.h>
#include <percpu.h>
#include <smp.h>

#include "bench_internal.h"

#define IPI_SAMPLES 200
#define IPI_WARMUP  4

static void bench_empty_call(void *arg)
{
    (void)arg;
}

/* The first online CPU other than the caller's; MAX_CPUS when none. */
static uint32_t bench_other_cpu(void)
{
    uint32_t self = this_cpu()->index;
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        if (i != self && smp_cpu_online(i)) {
            return i;
        }
    }
    return MAX_CPUS;
}

void bench_ipi_rtt(void)
{
    uint32_t other = smp_online_count() >= 2 ? bench_other_cpu() : MAX_CPUS;
    if (other == MAX_CPUS) {
        bench_report_na("ipi_rtt", "only one CPU online");
        return;
    }
    uint32_t count = 0;
    for (uint32_t i = 0; i < IPI_WARMUP + IPI_SAMPLES; i++) {
        uint64_t t0 = arch_bench_counter();
        Error err = smp_call(other, bench_empty_call, NULL, true);
        uint64_t t1 = arch_bench_counter();
        if (err != E_OK) {
            kprintf("bench: ipi_rtt: smp_call to CPU %u: %s\n", other, error_name(err));
            break;
        }
        if (i >= IPI_WARMUP) {
            bench_samples[count++] = t1 - t0;
        }
    }
    if (count == 0) {
        bench_report_na("ipi_rtt", "smp_call failed");
        return;
    }
    BenchStats s = bench_stats(bench_samples, count);
    bench_report("ipi_rtt", &s);
}
