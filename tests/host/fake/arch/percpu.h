/*
 * Host-test stand-in for the arch per-CPU register: one CPU, whose PerCpu
 * a test may point anywhere (fake_percpu). Only headers that inline
 * this_cpu() need it; no host test runs code that calls it unless it sets
 * fake_percpu first.
 */
#ifndef ANOS_ARCH_PERCPU_H
#define ANOS_ARCH_PERCPU_H

static PerCpu *fake_percpu;

static inline PerCpu *arch_percpu_get(void)
{
    return fake_percpu;
}

#endif
