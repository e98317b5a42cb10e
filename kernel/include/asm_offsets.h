/*
 * Offsets of the PerCpu and Thread fields that assembly reads (the syscall
 * and trap entry paths). Plain #defines so .S files can include this;
 * kernel/lib/asm_offsets_check.c asserts each against the C layout, and
 * kernel/arch/x86_64/asm_offsets.inc repeats them for NASM.
 */
#ifndef ANOS_KERNEL_ASM_OFFSETS_H
#define ANOS_KERNEL_ASM_OFFSETS_H

#define PERCPU_SELF            0
#define PERCPU_ARCH_SCRATCH    8
#define PERCPU_KERNEL_SP       40
#define PERCPU_SYSCALL_RIGHTS  48
#define PERCPU_CURRENT         56
#define PERCPU_PREEMPT_PENDING 64

#define THREAD_KILL_PENDING 8
#define THREAD_IPC_MSG      16

#endif
