/*
 * The early serial console: a polled 16550 UART on COM1. No interrupts and
 * no locks, so it works in any context (traps, double fault, panic).
 */
#include <arch/cpu.h>
#include <arch/init.h>
#include <stdbool.h>

#include "power_internal.h"

#define COM1 0x3F8

/* 16550 registers, as offsets from the base port. */
#define UART_DATA 0 /* THR (write) / RBR (read); divisor low with DLAB */
#define UART_IER  1 /* interrupt enable; divisor high with DLAB */
#define UART_FCR  2 /* FIFO control */
#define UART_LCR  3 /* line control */
#define UART_MCR  4 /* modem control */
#define UART_LSR  5 /* line status */

#define LCR_DLAB     0x80
#define LCR_8N1      0x03
#define FCR_ENABLE   0xC7 /* FIFOs on, both cleared, 14-byte threshold */
#define MCR_DTR_RTS  0x03 /* OUT2 off: the UART raises no interrupts */
#define LSR_THRE     0x20 /* transmit holding register empty */
#define BAUD_DIVISOR 1    /* 115200 = 1.8432 MHz / 16 / 1 */

/* A 16550 at 115200 baud drains one byte in ~87 us; this many polls covers
 * that with a wide margin on any CPU while bounding a missing UART. */
#define THRE_SPIN_LIMIT 1000000

static bool uart_present;

void arch_console_init(const BootInfo *boot_info)
{
    power_set_boot_info(boot_info);

    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DATA, BAUD_DIVISOR & 0xFF);
    outb(COM1 + UART_IER, BAUD_DIVISOR >> 8);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, FCR_ENABLE);
    outb(COM1 + UART_MCR, MCR_DTR_RTS);
    /* No UART answers 0xFF on an empty ISA port: then skip all output
     * instead of spinning the full limit on every character. */
    uart_present = inb(COM1 + UART_LSR) != 0xFF;
}

static void uart_write_byte(uint8_t byte)
{
    for (int i = 0; i < THRE_SPIN_LIMIT; i++) {
        if (inb(COM1 + UART_LSR) & LSR_THRE) {
            break;
        }
        arch_cpu_relax();
    }
    /* After the limit, write anyway: losing a byte beats hanging. */
    outb(COM1 + UART_DATA, byte);
}

void arch_console_putc(char c)
{
    if (!uart_present) {
        return;
    }
    if (c == '\n') {
        uart_write_byte('\r');
    }
    uart_write_byte((uint8_t)c);
}
