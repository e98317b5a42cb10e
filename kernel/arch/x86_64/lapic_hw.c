/*
 * The kernel's hardware accessors under lapic.c (host tests link fakes
 * instead): uncached MMIO through the direct map, and MSRs.
 */
#include <arch/cpu.h>

#include "lapic.h"

uint32_t lapic_hw_mmio_read(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

void lapic_hw_mmio_write(uintptr_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}

uint64_t lapic_hw_rdmsr(uint32_t msr)
{
    return rdmsr(msr);
}

void lapic_hw_wrmsr(uint32_t msr, uint64_t value)
{
    wrmsr(msr, value);
}

void lapic_hw_relax(void)
{
    arch_cpu_relax();
}

void lapic_hw_fence(void)
{
    __asm__ volatile("mfence; lfence" ::: "memory");
}
