/*
 * The riscv64 trap vector: saves the interrupted state as a TrapFrame
 * (include/arch/trap.h) and calls trap_dispatch; switches to the hart's
 * emergency trap stack when the current one has overflowed.
 */
    .option norelax

/* Offsets into TrapFrame: x[n] at 8 * n, then the CSRs. */
#define TF_SEPC    256
#define TF_SSTATUS 264
#define TF_SCAUSE  272
#define TF_STVAL   280
#define TF_SIZE    288

/* PerCpu.arch_scratch[] slots (arch/percpu.h RISCV_SCRATCH_*), from tp. */
#define PC_T0         8
#define PC_TRAP_STACK 16
#define PC_TP         24
#define PC_T1         32

#define SSTATUS_SPP 0x100

    .section .text
    .balign 4
    .globl riscv_trap_vector
/*
 * riscv_trap_vector: installed in stvec (direct mode).
 * In:  any S-mode trap; sscratch = this hart's PerCpu (arch_percpu_install),
 *      sp = a kernel stack (there is no user mode yet), sepc/scause/stval/
 *      sstatus as set by the hart, interrupts off (the hart cleared SIE).
 * Stack: the frame goes TF_SIZE bytes below the interrupted sp, unless the
 *      trap is a fault on the page the frame would use (the stack ran into
 *      its guard page): then it goes on PerCpu's emergency trap stack, so the
 *      fault panics instead of faulting again on every push. Without an
 *      emergency stack such a hart parks.
 * Out: calls trap_dispatch(a0 = TrapFrame *), which may switch threads
 *      (irq_exit) and return much later, possibly on another hart; then
 *      restores sepc and sstatus from the frame (never live CSRs), every GPR
 *      except tp, which keeps this hart's PerCpu for a return to S-mode (it is
 *      reloaded from the frame only for a return to U-mode), and sret.
 * Uses PerCpu.arch_scratch[0, 2, 3] between entry and the frame push; the
 *      nested trap that a failed push causes overwrites them, so the t0, t1
 *      and tp of an overflow dump are not the original ones.
 */
riscv_trap_vector:
    csrrw tp, sscratch, tp          /* tp = PerCpu, sscratch = old tp */
    sd t0, PC_T0(tp)
    csrrw t0, sscratch, tp          /* sscratch = PerCpu again at once */
    sd t0, PC_TP(tp)
    sd t1, PC_T1(tp)

    csrr t0, scause
    bltz t0, .Lcurrent_stack        /* interrupts cannot be stack faults */
    /* Exception: does stval lie in the pages from (sp - TF_SIZE) to sp? */
    csrr t0, stval
    srli t0, t0, 12
    addi t1, sp, -TF_SIZE
    srli t1, t1, 12
    bltu t0, t1, .Lcurrent_stack
    srli t1, sp, 12
    bltu t1, t0, .Lcurrent_stack
    mv t1, sp
    ld sp, PC_TRAP_STACK(tp)
    bnez sp, .Lpush
    j riscv_park

.Lcurrent_stack:
    mv t1, sp
.Lpush:                             /* t1 = interrupted sp */
    addi sp, sp, -TF_SIZE
    sd t1, 16(sp)
    ld t1, PC_T1(tp)
    sd t1, 48(sp)
    ld t1, PC_T0(tp)
    sd t1, 40(sp)
    ld t1, PC_TP(tp)
    sd t1, 32(sp)
    sd zero, 0(sp)
    sd x1, 8(sp)
    sd x3, 24(sp)
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
    csrw sstatus, t0                /* SIE stays 0 here; sret sets it from SPIE */
    andi t0, t0, SSTATUS_SPP
    bnez t0, 1f
    ld tp, 32(sp)                   /* to U-mode: its own tp */
1:
    ld x1, 8(sp)
    ld x3, 24(sp)
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
