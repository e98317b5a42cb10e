/*
 * The riscv64 per-hart one-shot timer: SBI TIME (sbi_set_timer), which
 * programs this hart's comparator and clears the pending S-timer interrupt.
 */
#ifndef ANOS_ARCH_TIMER_H
#define ANOS_ARCH_TIMER_H

#include <anos/errors.h>
#include <stdint.h>

/* Checks that the timer can work (SBI TIME or the legacy call, a clock) and
 * prints "timer: sbi". Boot hart, after arch_clock_init. E_NOSYS without
 * SBI timer, E_INVAL before the clock. */
Error arch_timer_init(void);

/* Disarms this hart's timer. Each hart, interrupts off, before
 * enabling interrupts. */
void arch_timer_cpu_init(void);

/*
 * One shot on this hart at clock_ns() >= deadline_ns (a deadline already
 * passed fires at once); 0 disarms. Replaces any earlier deadline and records
 * it in this_cpu()->next_deadline_ns. Interrupts off (the deadline is
 * per-hart state).
 */
void arch_timer_arm(uint64_t deadline_ns);

#endif
