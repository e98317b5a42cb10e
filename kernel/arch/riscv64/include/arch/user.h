/*
 * riscv64 constants of the user-mode contract (proc/user_arch.h): the size
 * and alignment of a thread's FP save area (fpu.S). The kernel itself is
 * built without F/D; user programs are rv64gc lp64d.
 */
#ifndef ANOS_ARCH_USER_H
#define ANOS_ARCH_USER_H

/* f0-f31 (8 bytes each, D extension) at offset 8 * n, then fcsr at 256,
 * stored as a doubleword: 264 bytes. fpu.S uses the same layout. */
#define ARCH_FPU_AREA_SIZE  264
#define ARCH_FPU_AREA_ALIGN 16
#define ARCH_FPU_FCSR_OFF   256

/* satp: MODE in bits 60-63 (Sv48 = 9), ASID 0, then the root's PPN. */
#define ARCH_SATP_SV48 (9ull << 60)

#ifndef __ASSEMBLER__
#include <percpu.h>
#include <stdint.h>

/* The thread-switch half of the contract in proc/user_arch.h. The FP save
 * is in fpu.S (the kernel is built without F/D). The restore is lazy: it
 * turns the FPU off (sstatus.FS = Off), and the thread's first FP
 * instruction traps as illegal; trap.c then loads its registers
 * (riscv_fpu_load) and retries the instruction. Threads that do not touch
 * the FPU between two switches never pay for its 33 registers. */
void riscv_fpu_store(void *area);
void riscv_fpu_load(void *area);

/* Only a Dirty FPU (FS = 3) has anything the area lacks. */
static inline void arch_fpu_save(void *area)
{
    uint64_t sstatus;
    __asm__ volatile("csrr %0, sstatus" : "=r"(sstatus));
    if (((sstatus >> 13) & 3) == 3) {
        riscv_fpu_store(area);
    }
}

static inline void arch_fpu_restore(void *area)
{
    (void)area;
    __asm__ volatile("csrc sstatus, %0" ::"r"(3ull << 13) : "memory"); /* FS = Off */
}

static inline void arch_space_activate(uint64_t root)
{
    uint64_t satp = ARCH_SATP_SV48 | (root >> 12);
    __asm__ volatile("csrw satp, %0\n\tsfence.vma zero, zero" ::"r"(satp) : "memory");
}

/* Read by syscall_entry.S and trap_entry.S on the next entry from U-mode. */
static inline void arch_set_kernel_stack(uintptr_t top)
{
    this_cpu()->kernel_sp = top;
}
#endif /* !__ASSEMBLER__ */

#endif
