/*
 * Host-test stand-in for the CPU's interrupt flag and spin hint: a plain
 * variable plays the flag, so tests can check what code did with it.
 */
#ifndef ANOS_FAKE_ARCH_CPU_H
#define ANOS_FAKE_ARCH_CPU_H

#include <stdbool.h>

extern bool fake_irq_enabled;

static inline unsigned long arch_irq_save(void)
{
    unsigned long flags = fake_irq_enabled;
    fake_irq_enabled = false;
    return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
    fake_irq_enabled = flags != 0;
}

static inline bool arch_irq_enabled(void)
{
    return fake_irq_enabled;
}

static inline void arch_cpu_relax(void)
{
}

#endif
