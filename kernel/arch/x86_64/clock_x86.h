/*
 * What the x86_64 timer needs from the clock (private to kernel/arch/x86_64).
 */
#ifndef ANOS_ARCH_X86_64_CLOCK_X86_H
#define ANOS_ARCH_X86_64_CLOCK_X86_H

#include <stdbool.h>
#include <stdint.h>

/* True when clock_ns() counts TSC ticks (so TSC deadlines line up with it). */
bool clock_x86_uses_tsc(void);

/* The TSC value at which clock_ns() reads ns (for IA32_TSC_DEADLINE). */
uint64_t clock_x86_tsc_at(uint64_t ns);

uint64_t clock_x86_tsc_hz(void);

#endif
