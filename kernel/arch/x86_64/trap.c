/*
 * The exception dispatcher and the register dump. A user-mode exception is
 * the process's: a page fault on a lazily allocated page is resolved and
 * retried, anything else ends the process. A kernel fault at an instruction
 * the exception table lists (a probe, a user copy) resumes at its fixup,
 * after a chance to resolve a fault on a user page. Every other exception is
 * a kernel bug: report it in full and power off. Output goes straight to the
 * UART, never a lock.
 */
#include <arch/cpu.h>
#include <arch/init.h>
#include <arch/memory_layout.h>
#include <arch/power.h>
#include <arch/trap.h>
#include <fault_probe.h>
#include <panic.h>
#include <proc/user_arch.h>
#include <stdint.h>

#include "ipi_x86.h"

static const char *const exception_names[TRAP_EXCEPTION_COUNT] = {
    "Divide error",
    "Debug",
    "Non-maskable interrupt",
    "Breakpoint",
    "Overflow",
    "Bound range exceeded",
    "Invalid opcode",
    "Device not available",
    "Double fault",
    "Coprocessor segment overrun",
    "Invalid TSS",
    "Segment not present",
    "Stack-segment fault",
    "General protection",
    "Page fault",
    "Reserved (15)",
    "x87 floating-point error",
    "Alignment check",
    "Machine check",
    "SIMD floating-point error",
    "Virtualization exception",
    "Control protection",
    "Reserved (22)",
    "Reserved (23)",
    "Reserved (24)",
    "Reserved (25)",
    "Reserved (26)",
    "Reserved (27)",
    "Hypervisor injection",
    "VMM communication",
    "Security exception",
    "Reserved (31)",
};

/* Nesting depth of fatal traps on this CPU (boot CPU only for now; per-CPU
 * once SMP arrives). A fault while reporting a fault must not recurse. */
static volatile int fatal_depth;

const char *trap_exception_name(uint64_t vector)
{
    return vector < TRAP_EXCEPTION_COUNT ? exception_names[vector] : "Unknown";
}

static void trap_puts(const char *s)
{
    while (*s) {
        arch_console_putc(*s++);
    }
}

/* Fixed-width hex: every register lines up, whatever kprintf supports. */
static void trap_puthex(uint64_t value, int digits)
{
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        arch_console_putc("0123456789abcdef"[(value >> shift) & 0xF]);
    }
}

static void trap_putdec(uint64_t value)
{
    char buf[21];
    int i = sizeof(buf) - 1;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    trap_puts(&buf[i]);
}

static void trap_putreg(const char *name, uint64_t value, const char *after)
{
    trap_puts(name);
    trap_puts("=");
    trap_puthex(value, 16);
    trap_puts(after);
}

void arch_dump_registers(const TrapFrame *f)
{
    trap_putreg("RAX", f->rax, " ");
    trap_putreg("RBX", f->rbx, " ");
    trap_putreg("RCX", f->rcx, " ");
    trap_putreg("RDX", f->rdx, "\n");
    trap_putreg("RSI", f->rsi, " ");
    trap_putreg("RDI", f->rdi, " ");
    trap_putreg("RBP", f->rbp, " ");
    trap_putreg("RSP", f->rsp, "\n");
    trap_putreg("R8 ", f->r8, " ");
    trap_putreg("R9 ", f->r9, " ");
    trap_putreg("R10", f->r10, " ");
    trap_putreg("R11", f->r11, "\n");
    trap_putreg("R12", f->r12, " ");
    trap_putreg("R13", f->r13, " ");
    trap_putreg("R14", f->r14, " ");
    trap_putreg("R15", f->r15, "\n");
    trap_putreg("RIP", f->rip, " ");
    trap_putreg("RFLAGS", f->rflags, " ");
    trap_puts("CS=");
    trap_puthex(f->cs, 4);
    trap_puts(" SS=");
    trap_puthex(f->ss, 4);
    trap_puts("\n");
    trap_putreg("CR0", read_cr0(), " ");
    trap_putreg("CR2", read_cr2(), " ");
    trap_putreg("CR3", read_cr3(), " ");
    trap_putreg("CR4", read_cr4(), "\n");
}

static void trap_print_header(const TrapFrame *f)
{
    trap_puts("PANIC: ");
    trap_puts(trap_exception_name(f->vector));
    trap_puts(" (vector ");
    trap_putdec(f->vector);
    trap_puts(", error code 0x");
    trap_puthex(f->error_code, 4);
    trap_puts(")\n");
    if (f->vector == TRAP_PAGE_FAULT) {
        /* Error code bits: P, W/R, U/S, RSVD, I/D (SDM vol. 3A 4.7). */
        trap_puts(f->error_code & 1 ? "page fault: protection violation"
                                    : "page fault: not present");
        trap_puts(f->error_code & 2 ? ", write" : ", read");
        trap_puts(f->error_code & 4 ? ", user" : ", kernel");
        trap_puts(f->error_code & 8 ? ", reserved bit" : "");
        trap_puts(f->error_code & 16 ? ", instruction fetch" : "");
        trap_puts(" at ");
        trap_puthex(read_cr2(), 16);
        trap_puts("\n");
    }
}

#define TRAP_GENERAL_PROTECTION 13

/* Page-fault error code bits (SDM vol. 3A 4.7). */
#define PF_PRESENT (1u << 0) /* a protection violation, not a missing page */
#define PF_WRITE   (1u << 1)
#define PF_FETCH   (1u << 4)

static unsigned pf_access(uint64_t error_code)
{
    if (error_code & PF_FETCH) {
        return USER_ACCESS_EXEC;
    }
    return (error_code & PF_WRITE) ? USER_ACCESS_WRITE : USER_ACCESS_READ;
}

/* Exceptions that stay fatal wherever they strike: they say the machine or
 * the kernel is broken, not the user program. */
static bool trap_always_fatal(uint64_t vector)
{
    return vector == TRAP_NMI || vector == TRAP_DOUBLE_FAULT || vector == TRAP_MACHINE_CHECK;
}

/* An exception in user mode. Returns only for a page fault that
 * user_fault_resolve fixed (the instruction is retried); anything else ends
 * the process. CR2 is read before interrupts go on: another thread's fault
 * would overwrite it. */
static void trap_user(TrapFrame *frame)
{
    uintptr_t addr = 0;
    if (frame->vector == TRAP_PAGE_FAULT) {
        addr = read_cr2();
        if ((frame->error_code & PF_PRESENT) == 0 && addr < USER_TOP) {
            arch_irq_enable();
            bool resolved = user_fault_resolve(addr, pf_access(frame->error_code));
            arch_irq_disable();
            if (resolved) {
                return;
            }
        }
    }
    user_fault_kill(trap_exception_name(frame->vector), frame->rip, addr);
}

/* A kernel page fault on a missing user page at an instruction with a
 * fixup (a user copy): the page may be one the process allocates lazily.
 * True when user_fault_resolve mapped it and the copy can retry. Only with
 * interrupts on where the copy ran: resolving may sleep, which a copy made
 * with interrupts off (under a spinlock) must not; such a copy gets its
 * fixup (E_FAULT) instead. Protection faults (a read-only page, SMAP) are
 * never resolved. */
static bool trap_resolve_user_access(const TrapFrame *frame)
{
    if (frame->vector != TRAP_PAGE_FAULT || (frame->error_code & PF_PRESENT) != 0 ||
        (frame->rflags & RFLAGS_IF) == 0) {
        return false;
    }
    uintptr_t addr = read_cr2();
    if (addr >= USER_TOP || fault_fixup_lookup(frame->rip) == 0) {
        return false;
    }
    arch_irq_enable();
    bool resolved = user_fault_resolve(addr, pf_access(frame->error_code));
    arch_irq_disable();
    return resolved;
}

/* A #PF, or a #GP (how a non-canonical address faults), taken in kernel
 * mode at an instruction the exception table lists: resume at its fixup,
 * which reports E_FAULT. iretq restores RFLAGS, so IF is as it was. */
static bool trap_fixup(TrapFrame *frame)
{
    if ((frame->vector != TRAP_PAGE_FAULT && frame->vector != TRAP_GENERAL_PROTECTION) ||
        (frame->cs & 3) != 0) {
        return false;
    }
    uintptr_t fixup = fault_fixup_lookup(frame->rip);
    if (fixup == 0) {
        return false;
    }
    frame->rip = fixup;
    return true;
}

void trap_dispatch(TrapFrame *frame)
{
    /* IPI_HALT arrives as an NMI (it must get through `cli`): stop here,
     * on the NMI's IST stack, without a report. NMIs stay blocked, as no
     * iretq follows. */
    if (frame->vector == TRAP_NMI && ipi_x86_halting()) {
        arch_halt_forever();
    }
    if ((frame->cs & 3) != 0 && !trap_always_fatal(frame->vector)) {
        trap_user(frame);
        return;
    }
    if (trap_resolve_user_access(frame) || trap_fixup(frame)) {
        return;
    }
    if (++fatal_depth > 1) {
        /* The report itself faulted: say so and stop without the backtrace
         * (which is what most likely faulted). */
        trap_puts("\nPANIC: nested ");
        trap_puts(trap_exception_name(frame->vector));
        trap_puts(" while reporting a trap at RIP=");
        trap_puthex(frame->rip, 16);
        trap_puts("\n");
        arch_power_off(PANIC_EXIT_STATUS);
    }
    trap_print_header(frame);
    arch_dump_registers(frame);
    /* Backtrace from the trapped frame, then power off (panic.c). */
    panic_finish(frame->rbp, frame->rip);
}
