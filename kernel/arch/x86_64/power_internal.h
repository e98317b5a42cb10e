/* Hand-over between console.c (which receives the BootInfo) and power.c. */
#ifndef ANOS_ARCH_X86_64_POWER_INTERNAL_H
#define ANOS_ARCH_X86_64_POWER_INTERNAL_H

#include <anos/bootinfo.h>

/* Remembers boot_info (which must outlive the kernel) for arch_power_off. */
void power_set_boot_info(const BootInfo *boot_info);

#endif
