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
 * Programs COM1 (0x3F8) for 115200 8N1, polled, and remembers boot_info for
 * arch_power_off (the command line and the ACPI RSDP). boot_info must stay
 * valid for the life of the kernel: pass the kernel's own copy, not the
 * loader's.
 */
void arch_console_init(const BootInfo *boot_info);

/* Writes one character to the serial console; '\n' goes out as "\r\n".
 * Polled, with a bounded wait, so a dead UART cannot hang the kernel. */
void arch_console_putc(char c);

/*
 * Loads the kernel's own GDT, TSS (with IST stacks for NMI, double fault and
 * machine check) and IDT (32 exception vectors, 224 interrupt vectors, the
 * int 0x69 syscall gate among them), and enables EFER.NXE, CR0.WP, CR4.PGE,
 * CR4.SMEP when the CPU has it, and user mode (arch_user_cpu_init: SYSCALL,
 * SSE, SMAP). Boot CPU only, with interrupts off; the loader's descriptor
 * tables are dead afterwards.
 */
void arch_cpu_init(void);

/*
 * The guard pages below the boot stack and the IST stacks (kernel virtual
 * addresses, one page each). They are mapped by the loader; the VMM should
 * leave them unmapped when it builds the kernel's page tables, so a stack
 * overflow faults instead of corrupting memory. Stores up to max addresses
 * in out and returns how many guards exist.
 */
size_t arch_stack_guards(uintptr_t *out, size_t max);

#endif
