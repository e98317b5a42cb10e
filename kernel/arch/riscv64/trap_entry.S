/*
 * The riscv64 general trap path: everything but an ecall from U-mode
 * (syscall_entry.S), saved as a TrapFrame (include/arch/trap.h) for
 * trap_dispatch; from U-mode on the thread's kernel stack, from S-mode on
 * the interrupted stack or, when that has overflowed, the hart's emergency
 * trap stack.
 */
#include <asm_offsets.h>

    .option norelax

/* Offsets into TrapFrame: x[n] at 8 * n, then the CSRs. */
#define TF_TP      32
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

#define SSTATUS_SIE  0x2
#define SSTATUS_SPIE 0x20
#define SSTATUS_SPP  0x100
#define SSTATUS_SUM  0x40000
#define SSTATUS_FS   0x6000

    .section .text
    .balign 4
    .globl riscv_trap_general
/*
 * riscv_trap_general: from riscv_trap_vector (syscall_entry.S).
 * In:  any trap but an ecall from U-mode; tp = this hart's PerCpu, sscratch
 *      = the interrupted tp, the interrupted t0 in arch_scratch[0]; sepc,
 *      scause, stval, sstatus as set by the hart, interrupts off.
 * Stack: from U-mode (sstatus.SPP = 0) the frame goes below PerCpu.kernel_sp,
 *      the current thread's kernel stack top. From S-mode it goes TF_SIZE
 *      bytes below the interrupted sp, unless the trap is a fault on the
 *      page the frame would use (the stack ran into its guard page): then it
 *      goes on PerCpu's emergency trap stack, so the fault panics instead of
 *      faulting again on every push. Without an emergency stack such a hart
 *      parks.
 * Live sstatus while C runs: SPP = 0, SPIE = 1, SUM = 0, whatever the trap
 *      left there (the frame keeps the real values). A thread that switches
 *      away inside trap_dispatch therefore never hands the next thread an
 *      SPP of 1 or an open SUM, and the ecall fast path can sret without
 *      rewriting sstatus.
 * Out: calls trap_dispatch(a0 = TrapFrame *), which may switch threads
 *      (irq_exit) and return much later. Before a return to U-mode, with
 *      interrupts off, calls user_return_work when PerCpu.preempt_pending
 *      or current->kill_pending is set. Then restores sepc and sstatus from
 *      the frame (never the live CSRs), every GPR except tp, which keeps
 *      this hart's PerCpu for a return to S-mode and gets the user's back
 *      for a return to U-mode (sscratch keeps the PerCpu either way), and
 *      srets. sstatus.FS comes from the live CSR, not the frame, for
 *      returns to either mode: proc_switch turns the FPU off whenever it
 *      switches to a user thread (arch_fpu_restore: the load waits for the
 *      thread's first FP instruction), and the live FS is what describes
 *      this thread's registers now.
 * Uses PerCpu.arch_scratch[0, 2, 3] between entry and the frame push; the
 *      nested trap that a failed push causes overwrites them, so the t0, t1
 *      and tp of an overflow dump are not the original ones.
 */
riscv_trap_general:
    csrrw t0, sscratch, tp          /* sscratch = PerCpu again at once */
    sd t0, PC_TP(tp)
    sd t1, PC_T1(tp)

    csrr t0, sstatus
    andi t0, t0, SSTATUS_SPP
    beqz t0, .Lfrom_user

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

.Lfrom_user:                        /* no overflow check: sp is the user's */
    mv t1, sp
    ld sp, PERCPU_KERNEL_SP(tp)
    j .Lpush

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

    /* The live state C may see (see the header). */
    li t0, SSTATUS_SPP | SSTATUS_SUM
    csrc sstatus, t0
    li t0, SSTATUS_SPIE
    csrs sstatus, t0

    mv a0, sp
    call trap_dispatch

    ld t0, TF_SSTATUS(sp)
    andi t0, t0, SSTATUS_SPP
    bnez t0, .Lrestore              /* to S-mode */
    csrci sstatus, SSTATUS_SIE      /* to U-mode: the checks need them off */
    lw t0, PERCPU_PREEMPT_PENDING(tp)
    ld t1, PERCPU_CURRENT(tp)
    lw t1, THREAD_KILL_PENDING(t1)
    or t0, t0, t1
    beqz t0, 1f
    call user_return_work
1:  ld tp, TF_TP(sp)                /* its own tp; sscratch keeps the PerCpu */

.Lrestore:
    ld t0, TF_SEPC(sp)
    csrw sepc, t0
    /* sstatus from the frame, but FS from the live CSR, for returns to
     * either mode: a switch while this thread was in the kernel may have
     * turned its FPU off (the lazy load), and an interrupt that hit a
     * syscall must not bring back the FS of registers that are gone. */
    ld t0, TF_SSTATUS(sp)
    li t1, SSTATUS_FS
    csrr t2, sstatus
    and t2, t2, t1
    not t1, t1
    and t0, t0, t1
    or t0, t0, t2
    csrw sstatus, t0                /* SIE stays 0 here; sret sets it from SPIE */
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
