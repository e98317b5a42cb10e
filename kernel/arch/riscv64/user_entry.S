/*
 * The first entry of a user thread into U-mode (proc/user_arch.h
 * arch_user_enter): every register defined, the FP state reset.
 */
    .option norelax
    .option arch, +d

#define SSTATUS_SIE        0x2
#define SSTATUS_SPIE       0x20
#define SSTATUS_SPP        0x100
#define SSTATUS_FS         0x6000
#define SSTATUS_FS_INITIAL 0x2000
#define SSTATUS_SUM        0x40000

    .section .text
    .balign 4
    .globl arch_user_enter
/*
 * _Noreturn void arch_user_enter(uintptr_t entry, uintptr_t user_sp)
 * In:  a0 = entry, a1 = user_sp (16-byte aligned); interrupts off; the
 *      current thread is a user thread whose address space is active and
 *      whose kernel stack top is PerCpu.kernel_sp (proc_switch). The
 *      caller's kernel stack is abandoned: the next entry from U-mode
 *      starts again at PerCpu.kernel_sp, so nothing here uses it.
 * Out: sret to entry in U-mode with sp = a0 = user_sp, every other GPR
 *      (gp and tp too) zero, f0-f31 and fcsr zero with sstatus.FS =
 *      Initial, SPIE set (interrupts on in U-mode), SUM clear. sscratch
 *      keeps this hart's PerCpu.
 */
arch_user_enter:
    csrw sepc, a0
    li t0, SSTATUS_FS_INITIAL       /* FS non-Off for the zeroing */
    csrs sstatus, t0
    fmv.d.x f0, zero
    fmv.d.x f1, zero
    fmv.d.x f2, zero
    fmv.d.x f3, zero
    fmv.d.x f4, zero
    fmv.d.x f5, zero
    fmv.d.x f6, zero
    fmv.d.x f7, zero
    fmv.d.x f8, zero
    fmv.d.x f9, zero
    fmv.d.x f10, zero
    fmv.d.x f11, zero
    fmv.d.x f12, zero
    fmv.d.x f13, zero
    fmv.d.x f14, zero
    fmv.d.x f15, zero
    fmv.d.x f16, zero
    fmv.d.x f17, zero
    fmv.d.x f18, zero
    fmv.d.x f19, zero
    fmv.d.x f20, zero
    fmv.d.x f21, zero
    fmv.d.x f22, zero
    fmv.d.x f23, zero
    fmv.d.x f24, zero
    fmv.d.x f25, zero
    fmv.d.x f26, zero
    fmv.d.x f27, zero
    fmv.d.x f28, zero
    fmv.d.x f29, zero
    fmv.d.x f30, zero
    fmv.d.x f31, zero
    fscsr zero
    /* sret's state: U-mode, interrupts on there, no SUM, FS Initial (the
     * writes above made it Dirty; the registers now hold the reset state
     * the thread's save area holds after arch_fpu_init). */
    li t0, SSTATUS_SPP | SSTATUS_SUM | SSTATUS_FS | SSTATUS_SIE
    csrc sstatus, t0
    li t0, SSTATUS_SPIE | SSTATUS_FS_INITIAL
    csrs sstatus, t0

    mv sp, a1
    mv a0, a1
    li ra, 0
    li gp, 0
    li tp, 0
    li t0, 0
    li t1, 0
    li t2, 0
    li s0, 0
    li s1, 0
    li a1, 0
    li a2, 0
    li a3, 0
    li a4, 0
    li a5, 0
    li a6, 0
    li a7, 0
    li s2, 0
    li s3, 0
    li s4, 0
    li s5, 0
    li s6, 0
    li s7, 0
    li s8, 0
    li s9, 0
    li s10, 0
    li s11, 0
    li t3, 0
    li t4, 0
    li t5, 0
    li t6, 0
    sret
