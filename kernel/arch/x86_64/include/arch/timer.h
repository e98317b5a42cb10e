/*
 * x86_64 per-CPU timer: the LAPIC timer in one-shot mode (TSC-deadline mode
 * when the CPU has it), programmed with absolute clock_ns() deadlines.
 */
#ifndef ANOS_ARCH_TIMER_H
#define ANOS_ARCH_TIMER_H

#include <anos/errors.h>
#include <stdint.h>

/* Calibrates the LAPIC timer (divide by 16) against clock_ns(), registers
 * the timer vector and programs the boot CPU (arch_timer_cpu_init). Boot
 * CPU, once, interrupts off, after arch_clock_init and arch_irq_init.
 * E_NOSYS when the LAPIC timer does not count. Prints one "timer: " line. */
Error arch_timer_init(void);

/* Programs this CPU's LAPIC timer: vector 0x20, one-shot (or TSC
 * deadline), divide by 16, disarmed. Every CPU after arch_irq_cpu_init. */
void arch_timer_cpu_init(void);

/* Arms this CPU's timer to fire once at clock_ns() == deadline_ns (a past
 * deadline fires at once; 0 disarms). Replaces any earlier deadline. Also
 * records it in this_cpu()->next_deadline_ns. irq_timer() is never called
 * before clock_ns() reaches the deadline (an early hardware expiry is
 * re-armed). Interrupts off. */
void arch_timer_arm(uint64_t deadline_ns);

/* LAPIC timer ticks per second after the divider (0 before init). */
uint64_t arch_timer_hz(void);

#endif
