/* Machine power-off through SBI (and QEMU's test finisher for exit codes). */
#ifndef ANOS_ARCH_POWER_H
#define ANOS_ARCH_POWER_H

/*
 * Powers the machine off and never returns; prints nothing. For a non-zero
 * status, when the devicetree has QEMU's "sifive,test0" finisher, writes
 * FAIL with the status so QEMU exits with it (1..255; other values give 1).
 * Otherwise (and if that returns) SBI SRST shutdown with reason "no reason"
 * for status 0 and "system failure" else, then the legacy SBI shutdown, and
 * if everything fails, halts. Interrupts off throughout.
 */
_Noreturn void arch_power_off(int status);

#endif
