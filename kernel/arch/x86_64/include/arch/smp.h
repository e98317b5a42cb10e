/*
 * x86_64 SMP start-up: the CPUs from the ACPI MADT, started one at a time
 * with INIT-SIPI-SIPI through a real-mode trampoline below 1 MiB. The same
 * interface as riscv64's (harts through SBI HSM).
 */
#ifndef ANOS_ARCH_SMP_H
#define ANOS_ARCH_SMP_H

#include <anos/errors.h>
#include <percpu.h>
#include <stdint.h>

/* Enabled CPUs in the MADT, the boot CPU included (at most MAX_CPUS
 * listed; after arch_irq_init). */
uint32_t arch_smp_cpu_count(void);

/* APIC id of the i-th CPU: i = 0 is the boot CPU, then the MADT's others
 * in MADT order. UINT32_MAX for i >= arch_smp_cpu_count(). */
uint32_t arch_smp_cpu_arch_id(uint32_t i);

/* This CPU's APIC id. */
uint32_t arch_smp_this_arch_id(void);

/*
 * Starts the CPU with APIC id arch_id and returns once it has reported in:
 * it then runs on the kernel's page tables with its own GDT, TSS and IST
 * stacks (slot cpu->index), the shared IDT, GS base = cpu, rsp =
 * stack_top, LAPIC enabled and its timer set up (disarmed), interrupts off,
 * and calls smp_ap_entry(cpu). The caller fills cpu (zeroed, index and
 * arch_id set; cpu->index 1..MAX_CPUS-1, unique) and owns it and the stack
 * for good. Boot CPU (or any one CPU at a time), after mm_init, clock,
 * arch_irq_init and arch_timer_init; interrupts on or off. Takes about
 * 10 ms of INIT delay plus the AP's start.
 * Errors, with nothing started: E_INVAL bad cpu, index, stack or arch_id
 * (the caller's own), E_NOENT arch_id not in the MADT, E_NOMEM no usable
 * low memory for the trampoline, E_BUSY another start in progress,
 * E_RANGE an id xAPIC cannot address; E_AGAIN when the CPU did not report
 * in within 1 s (it is sent INIT again, so it cannot run late).
 */
Error arch_smp_start_cpu(uint32_t arch_id, PerCpu *cpu, uintptr_t stack_top);

#endif
