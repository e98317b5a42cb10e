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

#endif
