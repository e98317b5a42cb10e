/* Machine power-off: QEMU's debug-exit port on request, else ACPI S5. */
#ifndef ANOS_ARCH_POWER_H
#define ANOS_ARCH_POWER_H

/*
 * Powers the machine off and never returns. With the word `qemu_exit` on the
 * command line, writes status to QEMU's isa-debug-exit port 0xf4 (QEMU exits
 * with (status << 1) | 1). Otherwise enters ACPI S5 through the FADT's PM1
 * control blocks (status is lost; QEMU exits 0). If both fail, halts.
 * Uses the BootInfo given to arch_console_init; before that, only halts.
 */
_Noreturn void arch_power_off(int status);

#endif
