/*
 * The riscv64 console: the devicetree's NS16550A UART through the direct map
 * (polled, as OpenSBI left it programmed), or the SBI console without one.
 */
#include <arch/init.h>
#include <arch/memory_layout.h>
#include <arch/sbi.h>

#include "riscv.h"

#define UART_THR      0 /* transmit holding register (write) */
#define UART_LSR      5 /* line status register */
#define UART_LSR_THRE 0x20

/* About 100 ms of polling at QEMU speed; a UART that stays busy longer is
 * treated as absent for this byte rather than hanging the kernel. */
#define UART_SPIN_LIMIT 1000000

static volatile uint8_t *console_uart_regs(void)
{
    return (volatile uint8_t *)(uintptr_t)(DIRECT_MAP_BASE + riscv_platform.uart_phys);
}

static uint32_t uart_read(unsigned reg)
{
    volatile uint8_t *addr =
        console_uart_regs() + ((uintptr_t)reg << riscv_platform.uart_reg_shift);
    if (riscv_platform.uart_io_width == 4) {
        return *(volatile uint32_t *)addr;
    }
    return *addr;
}

static void uart_write(unsigned reg, uint8_t value)
{
    volatile uint8_t *addr =
        console_uart_regs() + ((uintptr_t)reg << riscv_platform.uart_reg_shift);
    if (riscv_platform.uart_io_width == 4) {
        *(volatile uint32_t *)addr = value;
    } else {
        *addr = value;
    }
}

static void uart_putc(char c)
{
    for (int i = 0; i < UART_SPIN_LIMIT; i++) {
        if (uart_read(UART_LSR) & UART_LSR_THRE) {
            break;
        }
    }
    uart_write(UART_THR, (uint8_t)c);
}

static void console_raw_putc(char c)
{
    if (riscv_platform.uart_phys != 0) {
        uart_putc(c);
    } else {
        sbi_console_putc(c);
    }
}

void arch_console_putc(char c)
{
    if (c == '\n') {
        console_raw_putc('\r');
    }
    console_raw_putc(c);
}

void arch_console_init(const BootInfo *boot_info)
{
    sbi_init();
    if (riscv_platform.probed || boot_info == NULL || boot_info->dtb_phys == 0) {
        return;
    }
    Fdt fdt;
    if (riscv_fdt_open(boot_info->dtb_phys, &fdt) == E_OK) {
        riscv_platform_probe(&fdt);
    }
}
