/*
 * Deliberate faults on request from the command line, so that the boot tests
 * can prove the trap and panic paths print registers and a backtrace and
 * still power the machine off.
 */
#include <cmdline.h>
#include <kprintf.h>
#include <kstring.h>
#include <panic.h>

#include "boot_fault.h"

/* An address in the kernel half that nothing maps: the direct map ends long
 * before it and the kernel image sits 2 GiB higher. */
#define UNMAPPED_KERNEL_ADDRESS 0xFFFFC00000000000ULL

/* Kept out of line so the backtrace shows a real call chain. */
__attribute__((noinline)) static void fault_write_unmapped(void)
{
    volatile unsigned long *p = (volatile unsigned long *)UNMAPPED_KERNEL_ADDRESS;
    *p = 0xDEAD;
}

__attribute__((noinline)) static void fault_panic(void)
{
    panic("deliberate panic requested on the command line");
}

void boot_fault_maybe_trigger(void)
{
    char kind[32];
    if (!cmdline_value("fault", kind, sizeof(kind))) {
        return;
    }
    kprintf("boot_fault: triggering '%s'\n", kind);
    if (strcmp(kind, "pagefault") == 0) {
        fault_write_unmapped();
    } else {
        fault_panic();
    }
    panic("deliberate fault '%s' did not trap", kind);
}
