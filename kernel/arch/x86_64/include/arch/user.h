/*
 * x86_64 constants of the user-mode contract (proc/user_arch.h): the size
 * and alignment of a thread's FPU/SSE save area, the FXSAVE64 image.
 */
#ifndef ANOS_ARCH_USER_H
#define ANOS_ARCH_USER_H

#define ARCH_FPU_AREA_SIZE  512 /* FXSAVE64: x87, MXCSR, XMM0-15 */
#define ARCH_FPU_AREA_ALIGN 16  /* fxsave64/fxrstor64 #GP otherwise */

#include <percpu.h>
#include <stdint.h>

/* &TSS.rsp0 of each CPU (cpu_init.c fills it when it loads the TSS). */
extern uint64_t *x86_tss_rsp0[MAX_CPUS];

/* The thread-switch half of the contract in proc/user_arch.h, inline: each
 * is an instruction or two, on every switch to a user thread. */
static inline void arch_space_activate(uint64_t root)
{
    __asm__ volatile("mov %0, %%cr3" ::"r"(root) : "memory");
}

static inline void arch_set_kernel_stack(uintptr_t top)
{
    /* syscall_entry's pushes keep its call aligned only from a 16-byte
     * aligned top (the CPU aligns rsp0 itself for interrupts). */
    top &= ~(uintptr_t)15;
    PerCpu *cpu = this_cpu();
    *x86_tss_rsp0[cpu->index] = top;
    cpu->kernel_sp = top;
}

static inline void arch_fpu_save(void *area)
{
    __asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

static inline void arch_fpu_restore(void *area)
{
    __asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

#endif
