/*
 * Architecture start-up called by kernel_main, in this order:
 * arch_console_init (first: everything else may print), then arch_cpu_init.
 */
#ifndef ANOS_ARCH_INIT_H
#define ANOS_ARCH_INIT_H

#include <anos/bootinfo.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Selects the console: the NS16550A UART named by the devicetree at
 * boot_info->dtb_phys (/chosen stdout-path, else the first "ns16550a"),
 * reached through the direct map, polled; without one, the SBI console.
 * Idempotent, and the riscv64 entry code already calls the same probe before
 * kernel_main, so output works from the first instruction in C. boot_info
 * may be NULL (SBI console). Does not reprogram the UART: OpenSBI did.
 */
void arch_console_init(const BootInfo *boot_info);

/* Writes one character; '\n' goes out as "\r\n". Polled, with a bounded
 * wait, so a dead UART cannot hang the kernel. Usable before
 * arch_console_init (through SBI). */
void arch_console_putc(char c);

/* Installs the trap vector (stvec) on this hart and sets up its user-mode
 * state (arch_user_cpu_init). Boot hart, interrupts off. Idempotent: the
 * entry code installs the vector early too. */
void arch_cpu_init(void);

/*
 * The guard page below the boot stack (a kernel virtual address). The boot
 * page tables map it (1 GiB pages); the VMM should leave it unmapped when it
 * builds the kernel's tables, so a stack overflow faults instead of
 * corrupting memory. Stores up to max addresses, returns how many exist.
 */
size_t arch_stack_guards(uintptr_t *out, size_t max);

#endif
