/*
 * timer_irq: the cost of taking a timer interrupt, from the moment the CPU
 * accepts it to the return into the interrupted code: arch entry, the
 * arch's timer handler, irq_timer (which re-arms the timer) and the exit.
 */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <kprintf.h>
#include <percpu.h>
#include <stdbool.h>

#include "bench_internal.h"

#define IRQ_SAMPLES 200
/* Iterations of the calibration loop run between arming a past deadline
 * and opening the window, so the interrupt is surely pending (x86_64: the
 * LAPIC one-shot count of 1 expires after 16 bus cycles; riscv64: the SBI
 * sets STIP at once). */
#define IRQ_SETTLE_ITERATIONS 1000

/*
 * Times IRQ_SAMPLES interrupt windows (arch_bench_irq_window), each with a
 * timer interrupt pending or with none, into out. A sample is kept only
 * when exactly the expected number of timer interrupts was taken in it (a
 * slice tick landing in a "none" window is dropped). Interrupts are off
 * outside the windows, so nothing else runs in between.
 */
static uint32_t bench_irq_windows(bool pending, uint64_t *out)
{
    PerCpu *cpu = this_cpu();
    uint32_t count = 0;
    unsigned long flags = arch_irq_save();
    for (uint32_t i = 0; i < IRQ_SAMPLES; i++) {
        if (pending) {
            arch_timer_arm(1); /* long past: fires at once */
        }
        arch_bench_loop(IRQ_SETTLE_ITERATIONS);
        uint64_t before = cpu->timer_interrupts;
        uint64_t t0 = arch_bench_counter();
        arch_bench_irq_window();
        uint64_t t1 = arch_bench_counter();
        if (cpu->timer_interrupts - before == (pending ? 1u : 0u)) {
            out[count++] = t1 - t0;
        }
    }
    arch_irq_restore(flags);
    return count;
}

void bench_timer_irq(void)
{
    uint64_t *with = bench_samples;
    uint64_t *without = bench_samples + BENCH_MAX_SAMPLES / 2;
    uint32_t n_with = bench_irq_windows(true, with);
    uint32_t n_without = bench_irq_windows(false, without);
    if (n_with == 0 || n_without == 0) {
        bench_report_na("timer_irq", n_with == 0 ? "the armed timer interrupt never came"
                                                 : "every window took an interrupt");
        return;
    }
    BenchStats s_with = bench_stats(with, n_with);
    BenchStats s_without = bench_stats(without, n_without);
    uint64_t diff = s_with.median > s_without.median ? s_with.median - s_without.median : 0;
    kprintf("bench: timer_irq: window with the interrupt: median %llu ticks over %u samples (min "
            "%llu, max %llu); without: median %llu ticks over %u samples\n",
            (unsigned long long)s_with.median, s_with.count, (unsigned long long)s_with.min,
            (unsigned long long)s_with.max, (unsigned long long)s_without.median, s_without.count);
    bench_report_ticks("timer_irq", diff);
}
