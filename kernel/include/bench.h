/*
 * In-kernel micro-benchmarks (`bench` on the command line): each figure is
 * printed as one line `BENCH <arch> <name> <value> <unit>`. See
 * docs/Benchmarks.md for how they are made and read.
 */
#ifndef ANOS_KERNEL_BENCH_H
#define ANOS_KERNEL_BENCH_H

/* Runs every benchmark and prints its figure. Call from the boot flow
 * ("kmain") after sched_init (and smp_start_all, for ipi_rtt): thread
 * context, interrupts on, scheduler running, nothing else runnable. */
void bench_run_all(void);

#endif
