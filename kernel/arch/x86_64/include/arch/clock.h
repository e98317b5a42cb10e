/*
 * x86_64 clock: the HPET as reference, the TSC calibrated against it as the
 * fast source behind clock_ns() (see clock.h and docs/Arch-x86_64.md).
 */
#ifndef ANOS_ARCH_CLOCK_H
#define ANOS_ARCH_CLOCK_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <stdint.h>

/* Finds the HPET through ACPI, starts its main counter, calibrates the TSC
 * against it and starts the clock at 0. Boot CPU, once, interrupts off,
 * after mm_init (the HPET is reached through the direct map). E_NOENT
 * without an HPET, E_CORRUPT for a bad HPET table or an HPET that reports
 * an impossible period or does not count. */
Error arch_clock_init(const BootInfo *bi);

/* Nanoseconds since arch_clock_init; 0 before it. Any CPU, any context. */
uint64_t arch_clock_ns(void);

#endif
