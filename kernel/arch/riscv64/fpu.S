/*
 * A user thread's FP registers (F/D: f0-f31 and fcsr) to and from its save
 * area (proc/user_arch.h, layout in arch/user.h). The kernel is built
 * without F/D; only these routines and arch_user_enter enable it locally.
 */
#include <arch/user.h>

    .option norelax
    .option arch, +d

#define SSTATUS_FS_INITIAL 0x2000 /* FS = 1; Clean = 2, Dirty = 3 */
#define SSTATUS_FS_CLEAN   0x4000
#define SSTATUS_FS_SHIFT   13

    .section .text
    .balign 4
    .globl riscv_fpu_store
/*
 * void riscv_fpu_store(void *area)
 * In:  a0 = the current user thread's area; interrupts off.
 * Out: when sstatus.FS is Dirty, f0-f31 and fcsr stored in the area and FS
 *      set to Clean; otherwise (Off, Initial, Clean) the area already holds
 *      the registers and nothing is written. Clobbers t0, t1.
 */
riscv_fpu_store:
    csrr t0, sstatus
    srli t0, t0, SSTATUS_FS_SHIFT
    andi t0, t0, 3
    li t1, 3
    bne t0, t1, 1f
    fsd f0, 0(a0)
    fsd f1, 8(a0)
    fsd f2, 16(a0)
    fsd f3, 24(a0)
    fsd f4, 32(a0)
    fsd f5, 40(a0)
    fsd f6, 48(a0)
    fsd f7, 56(a0)
    fsd f8, 64(a0)
    fsd f9, 72(a0)
    fsd f10, 80(a0)
    fsd f11, 88(a0)
    fsd f12, 96(a0)
    fsd f13, 104(a0)
    fsd f14, 112(a0)
    fsd f15, 120(a0)
    fsd f16, 128(a0)
    fsd f17, 136(a0)
    fsd f18, 144(a0)
    fsd f19, 152(a0)
    fsd f20, 160(a0)
    fsd f21, 168(a0)
    fsd f22, 176(a0)
    fsd f23, 184(a0)
    fsd f24, 192(a0)
    fsd f25, 200(a0)
    fsd f26, 208(a0)
    fsd f27, 216(a0)
    fsd f28, 224(a0)
    fsd f29, 232(a0)
    fsd f30, 240(a0)
    fsd f31, 248(a0)
    frcsr t0
    sd t0, ARCH_FPU_FCSR_OFF(a0)
    li t0, SSTATUS_FS_INITIAL       /* Dirty (3) -> Clean (2) */
    csrc sstatus, t0
1:  ret

    .globl riscv_fpu_load
/*
 * void riscv_fpu_load(void *area)
 * In:  a0 = the current user thread's area, from the first FP instruction
 *      it ran with FS Off (arch_fpu_restore defers the load to then);
 *      interrupts off.
 * Out: f0-f31 and fcsr loaded from it, sstatus.FS = Clean (the registers
 *      match the area). Whatever the registers held is lost: the caller
 *      saved the previous thread's first. Clobbers t0.
 */
riscv_fpu_load:
    li t0, SSTATUS_FS_CLEAN         /* any FS -> Clean or Dirty: usable */
    csrs sstatus, t0
    fld f0, 0(a0)
    fld f1, 8(a0)
    fld f2, 16(a0)
    fld f3, 24(a0)
    fld f4, 32(a0)
    fld f5, 40(a0)
    fld f6, 48(a0)
    fld f7, 56(a0)
    fld f8, 64(a0)
    fld f9, 72(a0)
    fld f10, 80(a0)
    fld f11, 88(a0)
    fld f12, 96(a0)
    fld f13, 104(a0)
    fld f14, 112(a0)
    fld f15, 120(a0)
    fld f16, 128(a0)
    fld f17, 136(a0)
    fld f18, 144(a0)
    fld f19, 152(a0)
    fld f20, 160(a0)
    fld f21, 168(a0)
    fld f22, 176(a0)
    fld f23, 184(a0)
    fld f24, 192(a0)
    fld f25, 200(a0)
    fld f26, 208(a0)
    fld f27, 216(a0)
    fld f28, 224(a0)
    fld f29, 232(a0)
    fld f30, 240(a0)
    fld f31, 248(a0)
    ld t0, ARCH_FPU_FCSR_OFF(a0)
    fscsr t0
    li t0, SSTATUS_FS_INITIAL       /* (the loads may make it Dirty) -> Clean */
    csrc sstatus, t0
    ret
