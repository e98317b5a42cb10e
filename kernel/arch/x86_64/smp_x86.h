/*
 * The SMP start-up's hook inside the x86_64 layer.
 */
#ifndef ANOS_ARCH_X86_64_SMP_X86_H
#define ANOS_ARCH_X86_64_SMP_X86_H

#include <anos/bootinfo.h>

/* Picks the trampoline's low pages from bi's memory map (none found:
 * arch_smp_start_cpu fails with E_NOMEM). Boot CPU, from arch_irq_init. */
void smp_x86_init(const BootInfo *bi);

#endif
