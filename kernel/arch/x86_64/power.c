/*
 * arch_power_off: QEMU's isa-debug-exit when the command line asks for it
 * (tests need the status), else ACPI S5 soft-off, else halt.
 */
#include <anos/bootinfo.h>
#include <arch/cpu.h>
#include <arch/init.h>
#include <arch/memory_layout.h>
#include <arch/power.h>
#include <cmdline.h>
#include <stddef.h>

#include "acpi.h"
#include "power_internal.h"

#define QEMU_DEBUG_EXIT_PORT 0xF4

/* PM1 control register fields (ACPI 6.4 table 4.13). */
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_TYP_MASK  (7U << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN        (1U << 13)

/* The direct map covers at most 64 TiB of physical space (PML4 slots
 * 256-383); ACPI tables beyond it cannot be reached. */
#define DIRECT_MAP_LIMIT (1ULL << 46)

/* How long to wait for the chipset to cut power before giving up. */
#define POWER_OFF_SPIN 10000000

static const BootInfo *power_boot_info;

void power_set_boot_info(const BootInfo *boot_info)
{
    power_boot_info = boot_info;
}

static void power_puts(const char *s)
{
    while (*s) {
        arch_console_putc(*s++);
    }
}

/* Physical to virtual through the loader's direct map. Tables live in RAM
 * the firmware reported (ACPI reclaim/NVS), which the direct map covers. */
static const void *power_acpi_map(void *ctx, uint64_t phys, uint64_t length)
{
    const BootInfo *bi = ctx;
    if (phys >= DIRECT_MAP_LIMIT || length > DIRECT_MAP_LIMIT - phys) {
        return NULL;
    }
    return (const void *)(uintptr_t)(bi->direct_map_base + phys);
}

static void pm1_write_sleep(uint16_t port, uint8_t slp_typ)
{
    /* Keep the other control bits (SCI_EN above all) as they are. */
    uint16_t value = inw(port) & (uint16_t)~PM1_SLP_TYP_MASK;
    value |= (uint16_t)(((uint32_t)slp_typ << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN);
    outw(port, value);
}

static void power_acpi_s5(const BootInfo *bi)
{
    if (bi->acpi_rsdp_phys == 0) {
        power_puts("poweroff: no ACPI RSDP\n");
        return;
    }
    AcpiMapper mapper = {.map = power_acpi_map, .ctx = (void *)bi};
    AcpiS5 s5;
    Error err = acpi_s5_lookup(&mapper, bi->acpi_rsdp_phys, &s5);
    if (err != E_OK) {
        power_puts("poweroff: ACPI S5 unavailable: ");
        power_puts(error_name(err));
        power_puts("\n");
        return;
    }
    /* Both blocks must be written for the sleep to start on machines that
     * split PM1 across two chips; PM1a alone on everything else. */
    if (s5.pm1b_cnt != 0) {
        pm1_write_sleep(s5.pm1b_cnt, s5.slp_typb);
    }
    pm1_write_sleep(s5.pm1a_cnt, s5.slp_typa);
    for (int i = 0; i < POWER_OFF_SPIN; i++) {
        arch_cpu_relax();
    }
    power_puts("poweroff: ACPI S5 did not take effect\n");
}

_Noreturn void arch_power_off(int status)
{
    arch_irq_disable();
    const BootInfo *bi = power_boot_info;
    if (bi != NULL) {
        if (cmdline_has("qemu_exit")) {
            /* QEMU exits at once with (status << 1) | 1; on real hardware
             * the port is unused and we fall through to ACPI. */
            outl(QEMU_DEBUG_EXIT_PORT, (uint32_t)status);
        }
        power_acpi_s5(bi);
    }
    power_puts("poweroff: halting\n");
    arch_halt_forever();
}
