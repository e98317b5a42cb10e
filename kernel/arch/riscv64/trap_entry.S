/*
 * The riscv64 trap vector: saves the interrupted state as a TrapFrame
 * (include/arch/trap.h) on the current stack and calls trap_dispatch.
 */
    .option norelax

/* Offsets into TrapFrame: x[n] at 8 * n, then the CSRs. */
#define TF_SEPC    256
#define TF_SSTATUS 264
#define TF_SCAUSE  272
#define TF_STVAL   280
#define TF_SIZE    288

    .section .text
    .balign 4
    .globl riscv_trap_vector
/*
 * riscv_trap_vector: installed in stvec (direct mode).
 * In:  any S-mode trap; sp is a valid kernel stack (no user mode yet, so no
 *      stack switch through sscratch), sepc/scause/stval/sstatus as set by
 *      the hart.
 * Out: calls trap_dispatch(a0 = TrapFrame *); if it returns, restores every
 *      register (and sepc, sstatus from the frame, so C may change them) and
 *      returns with sret. Uses TF_SIZE bytes below the interrupted sp.
 */
riscv_trap_vector:
    addi sp, sp, -TF_SIZE
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x5, 40(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)
    sd zero, 0(sp)
    addi t0, sp, TF_SIZE
    sd t0, 16(sp)
    csrr t0, sepc
    sd t0, TF_SEPC(sp)
    csrr t0, sstatus
    sd t0, TF_SSTATUS(sp)
    csrr t0, scause
    sd t0, TF_SCAUSE(sp)
    csrr t0, stval
    sd t0, TF_STVAL(sp)

    mv a0, sp
    call trap_dispatch

    ld t0, TF_SEPC(sp)
    csrw sepc, t0
    ld t0, TF_SSTATUS(sp)
    csrw sstatus, t0
    ld x1, 8(sp)
    ld x3, 24(sp)
    ld x4, 32(sp)
    ld x5, 40(sp)
    ld x6, 48(sp)
    ld x7, 56(sp)
    ld x8, 64(sp)
    ld x9, 72(sp)
    ld x10, 80(sp)
    ld x11, 88(sp)
    ld x12, 96(sp)
    ld x13, 104(sp)
    ld x14, 112(sp)
    ld x15, 120(sp)
    ld x16, 128(sp)
    ld x17, 136(sp)
    ld x18, 144(sp)
    ld x19, 152(sp)
    ld x20, 160(sp)
    ld x21, 168(sp)
    ld x22, 176(sp)
    ld x23, 184(sp)
    ld x24, 192(sp)
    ld x25, 200(sp)
    ld x26, 208(sp)
    ld x27, 216(sp)
    ld x28, 224(sp)
    ld x29, 232(sp)
    ld x30, 240(sp)
    ld x31, 248(sp)
    ld x2, 16(sp)
    sret
