/*
 * kernel_main: the one architecture-independent start of STAGE3. The arch
 * entry code calls it with interrupts off, on the boot stack, with the boot
 * page tables live and a BootInfo that has not been copied yet.
 */
#include <anos/bootinfo.h>
#include <arch/bench.h>
#include <arch/clock.h>
#include <arch/init.h>
#include <arch/irq.h>
#include <arch/timer.h>
#include <bench.h>
#include <cmdline.h>
#include <kprintf.h>
#include <kstring.h>
#include <mm/mm.h>
#include <mm/vmm.h>
#include <panic.h>
#include <percpu.h>
#include <proc/firmware.h>
#include <proc/process.h>
#include <proc/system.h>
#include <sched/sched.h>
#include <selftest.h>
#include <smp.h>

#include "boot_fault.h"
#include "ramfs_probe.h"

/* The kernel's own copy: the loader's lives in reclaimable memory. */
static BootInfo boot_info;

static void print_banner(void)
{
    kprintf("STAGE3 Anos %s (%s) build %s %s %s\n", ANOS_VERSION, ANOS_ARCH, ANOS_GIT_REV, __DATE__,
            __TIME__);
}

#define MAX_STACK_GUARDS 8

/*
 * The boot and exception stacks live in .bss with a guard page below each,
 * so the image mapping covers the guards too. Unmapping them turns a stack
 * overflow into a fault instead of silent corruption of the next object.
 */
static void unmap_stack_guards(void)
{
    uintptr_t guards[MAX_STACK_GUARDS];
    size_t count = arch_stack_guards(guards, MAX_STACK_GUARDS);
    if (count > MAX_STACK_GUARDS) {
        panic("%lu stack guard pages, room for %d", (unsigned long)count, MAX_STACK_GUARDS);
    }
    for (size_t i = 0; i < count; i++) {
        Error err = vmm_unmap_page(mm_kernel_root(), guards[i]);
        if (err != E_OK) {
            panic("cannot unmap stack guard page %p: %s", (void *)guards[i], error_name(err));
        }
    }
}

/* Starts SYSTEM and leaves the machine to it: the boot flow has nothing
 * left to do, and SYSTEM's exit powers off (system_process_exited). */
static _Noreturn void start_user_space(uint64_t boot_cycles)
{
    Error err = process_init();
    if (err == E_OK) {
        err = system_start(boot_cycles);
    }
    if (err != E_OK) {
        panic("cannot start SYSTEM: %s", error_name(err));
    }
    for (;;) {
        sched_sleep_ns(1000000000ull * 3600);
    }
}

void kernel_main(BootInfo *loader_boot_info)
{
    uint64_t boot_cycles = arch_bench_counter();
    memcpy(&boot_info, loader_boot_info, sizeof(boot_info));
    cmdline_init(boot_info.cmdline);
    arch_console_init(&boot_info);
    print_banner();

    if (boot_info.magic != BOOTINFO_MAGIC || boot_info.version != BOOTINFO_VERSION) {
        panic("bad BootInfo (magic %llx, version %u)", (unsigned long long)boot_info.magic,
              boot_info.version);
    }
    kprintf("cmdline: \"%s\"\n", cmdline_get());

    arch_cpu_init();

    Error err = mm_init(&boot_info);
    if (err != E_OK) {
        panic("memory management failed to start: %s", error_name(err));
    }
    unmap_stack_guards();
    firmware_init(&boot_info);

    sched_percpu_early();
    this_cpu()->arch_id = (uint32_t)boot_info.boot_cpu_id;
    if ((err = arch_clock_init(&boot_info)) != E_OK) {
        panic("clock failed to start: %s", error_name(err));
    }
    if ((err = arch_irq_init(&boot_info)) != E_OK) {
        panic("interrupts failed to start: %s", error_name(err));
    }
    if ((err = arch_timer_init()) != E_OK) {
        panic("timer failed to start: %s", error_name(err));
    }
    if ((err = sched_init()) != E_OK) {
        panic("scheduler failed to start: %s", error_name(err));
    }
    smp_start_all(); /* reports CPUs that failed to start; runs without them */

    ramfs_probe();

    boot_fault_maybe_trigger();

    if (cmdline_has("bench")) {
        /* boot_to_system measures the boot, not the kernel's benchmarks. */
        uint64_t bench_start = arch_bench_counter();
        bench_run_all();
        boot_cycles += arch_bench_counter() - bench_start;
    }
    if (cmdline_has("selftest")) {
        int failures = selftest_run_all();
        kprintf("STAGE3: self-tests done; powering off\n");
        kernel_power_off(failures ? PANIC_EXIT_STATUS : 0);
    }
    start_user_space(boot_cycles);
}
