/*
 * Power-off: QEMU's test finisher for failures (so the exit code carries the
 * status), else SBI system reset, else the legacy SBI shutdown, else halt.
 */
#include <arch/cpu.h>
#include <arch/memory_layout.h>
#include <arch/power.h>
#include <arch/sbi.h>

#include "riscv.h"

/* QEMU hw/misc/sifive_test.c: FAIL makes QEMU exit(value >> 16). */
#define FINISHER_FAIL 0x3333u

_Noreturn void arch_power_off(int status)
{
    arch_irq_disable();
    sbi_init();
    if (status != 0 && riscv_platform.finisher_phys != 0) {
        uint32_t code = (status > 0 && status < 256) ? (uint32_t)status : 1u;
        volatile uint32_t *finisher =
            (volatile uint32_t *)(uintptr_t)(DIRECT_MAP_BASE + riscv_platform.finisher_phys);
        *finisher = FINISHER_FAIL | (code << 16);
    }
    sbi_system_reset(SBI_SRST_SHUTDOWN,
                     status == 0 ? SBI_SRST_REASON_NONE : SBI_SRST_REASON_FAILURE);
    if (sbi_info()->has_legacy_shutdown) {
        sbi_legacy_shutdown();
    }
    arch_halt_forever();
}
