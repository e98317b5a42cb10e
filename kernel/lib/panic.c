/*
 * panic() and the frame-pointer backtrace shared by both architectures; the
 * frame layout comes from <arch/backtrace.h>.
 */
#include <arch/backtrace.h>
#include <arch/cpu.h>
#include <arch/power.h>
#include <console.h>
#include <kprintf.h>
#include <panic.h>
#include <stdarg.h>

#define BACKTRACE_MAX_FRAMES 32

/* Set once a panic starts so a fault inside the panic path does not recurse
 * forever: the second one just halts. */
static volatile int panicking;

static void (*halt_others)(void);

void panic_set_halt_others(void (*fn)(void))
{
    halt_others = fn;
}

/* Stops the other CPUs, if any run, then takes the console for this CPU
 * alone. Once per panic: panic() and the trap path (panic_finish) both call
 * it. */
static void panic_stop_others(void)
{
    static int stopped;
    if (stopped++) {
        return;
    }
    if (halt_others) {
        halt_others();
    }
    console_enter_panic();
}

void backtrace_print(uintptr_t fp, uintptr_t pc)
{
    kprintf("backtrace:\n");
    kprintf("  #0  pc %p\n", (void *)pc);
    for (int i = 1; i < BACKTRACE_MAX_FRAMES; i++) {
        if (!arch_frame_step(&fp, &pc)) {
            return;
        }
        kprintf("  #%-2d pc %p  fp %p\n", i, (void *)pc, (void *)fp);
    }
    kprintf("  ... (truncated)\n");
}

_Noreturn void kernel_power_off(int status)
{
    kprintf("poweroff: status %d\n", status);
    arch_power_off(status);
}

_Noreturn void panic_finish(uintptr_t fp, uintptr_t pc)
{
    panic_stop_others();
    backtrace_print(fp, pc);
    kernel_power_off(PANIC_EXIT_STATUS);
}

_Noreturn void panic(const char *fmt, ...)
{
    arch_irq_disable();
    if (panicking++) {
        arch_halt_forever();
    }
    panic_stop_others();
    va_list ap;
    va_start(ap, fmt);
    kprintf("PANIC: ");
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    /* Start at panic's caller: one step from our own frame gives its pc. */
    uintptr_t fp = arch_frame_pointer(), pc = 0;
    if (!arch_frame_step(&fp, &pc)) {
        pc = (uintptr_t)__builtin_return_address(0);
    }
    panic_finish(fp, pc);
}
