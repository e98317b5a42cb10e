/*
 * Panics: for broken invariants only, never for bad input (STYLE.md habit 4).
 * A panic prints "PANIC: <message>", a frame-pointer backtrace, and powers the
 * machine off with PANIC_EXIT_STATUS (halts if power-off fails).
 */
#ifndef ANOS_KERNEL_PANIC_H
#define ANOS_KERNEL_PANIC_H

#include <stdint.h>

#define PANIC_EXIT_STATUS 1

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "backtrace:" and one line per frame, starting from fp/pc. */
void backtrace_print(uintptr_t fp, uintptr_t pc);

/* Ends a panic whose message and registers are already printed (trap path):
 * prints the backtrace from fp/pc, then powers off. */
_Noreturn void panic_finish(uintptr_t fp, uintptr_t pc);

/* Installed by the SMP layer once other CPUs may run: stops them all
 * (called once at the start of a panic, interrupts off, no locks). */
void panic_set_halt_others(void (*fn)(void));

/* Powers off cleanly after printing "poweroff: status N". */
_Noreturn void kernel_power_off(int status);

#endif
