/*
 * The deliberate fault used to test the panic path: `fault=pagefault`
 * (a write to an unmapped kernel address) or `fault=panic` (a direct panic).
 */
#ifndef ANOS_KERNEL_BOOT_FAULT_H
#define ANOS_KERNEL_BOOT_FAULT_H

void boot_fault_maybe_trigger(void);

#endif
