/*
 * The riscv64 per-CPU register (arch/percpu.h): tp and sscratch both hold
 * this hart's PerCpu, plus the boot hart's own PerCpu until generic code
 * installs the real one.
 */
#include <percpu.h>
#include <stddef.h>

#include "riscv.h"

/* trap_entry.S reaches arch_scratch[] at fixed offsets from tp. */
_Static_assert(offsetof(PerCpu, arch_scratch) == 8, "trap_entry.S PC_* offsets");

/* The boot hart's PerCpu from riscv_boot until kernel_main installs its
 * own: traps need tp valid from the first instruction in C. */
static PerCpu riscv_boot_percpu;

void arch_percpu_install(PerCpu *cpu)
{
    PerCpu *old = arch_percpu_get();
    if (cpu->arch_scratch[RISCV_SCRATCH_TRAP_STACK] == 0 && old != NULL && old != cpu) {
        cpu->arch_scratch[RISCV_SCRATCH_TRAP_STACK] = old->arch_scratch[RISCV_SCRATCH_TRAP_STACK];
    }
    cpu->self = cpu;
    /* sscratch first: a trap between the two writes then still finds a
     * valid PerCpu (either one; both hold the same trap stack). */
    __asm__ volatile("csrw sscratch, %0" ::"r"(cpu) : "memory");
    __asm__ volatile("mv tp, %0" ::"r"(cpu) : "memory");
}

void arch_percpu_set_trap_stack(PerCpu *cpu, uintptr_t top)
{
    cpu->arch_scratch[RISCV_SCRATCH_TRAP_STACK] = top & ~(uintptr_t)15;
}

void riscv_percpu_boot_install(uint32_t hart_id)
{
    riscv_boot_percpu.arch_id = hart_id;
    arch_percpu_set_trap_stack(&riscv_boot_percpu, (uintptr_t)riscv_boot_trap_stack_top);
    arch_percpu_install(&riscv_boot_percpu);
}
