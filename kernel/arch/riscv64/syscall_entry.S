/*
 * The riscv64 trap vector's first instructions and the ecall fast path: a
 * syscall from U-mode is checked and dispatched here without a TrapFrame;
 * every other trap continues in riscv_trap_general (trap_entry.S).
 */
#include <asm_offsets.h>

    .option norelax

/* Checked against anos/syscall.h and anos/errors.h in user.c. */
#define SYS_COUNT     63
#define SYS_MSG_FIRST 60
#define E_PERM    (-4)
#define E_NOSYS   (-10)

#define SCAUSE_ECALL_U 8
#define SSTATUS_SIE    0x2
#define PC_T0          8 /* PerCpu.arch_scratch[RISCV_SCRATCH_T0] (arch/percpu.h) */

/* The fast path's frame at the top of the thread's kernel stack: what the C
 * call does not preserve but the syscall ABI does (gp is never written by
 * the kernel, s0-s11 are callee-saved in C). 16-byte multiple. */
#define SF_SP   0  /* user sp */
#define SF_TP   8  /* user tp */
#define SF_RA   16 /* user ra */
#define SF_PC   24 /* where to resume: the ecall's sepc + 4 */
#define SF_SIZE 32

#if SYS_COUNT > 64
#error "the rights test below reads only the first rights word"
#endif

    .section .text
    .balign 4
    .globl riscv_trap_vector
/*
 * riscv_trap_vector: installed in stvec (direct mode).
 * In:  any trap; sscratch = this hart's PerCpu, always (arch_percpu_install);
 *      interrupts off (the hart cleared SIE).
 * Out: scause == 8 (ecall from U-mode): the fast path below. Anything else:
 *      riscv_trap_general with tp = PerCpu, sscratch = the interrupted tp
 *      and the interrupted t0 in PerCpu.arch_scratch[RISCV_SCRATCH_T0].
 */
riscv_trap_vector:
    csrrw tp, sscratch, tp          /* tp = PerCpu, sscratch = interrupted tp */
    sd t0, PC_T0(tp)
    csrr t0, scause
    addi t0, t0, -SCAUSE_ECALL_U
    beqz t0, .Lecall
    j riscv_trap_general

/*
 * The ecall fast path (include/anos/syscall.h has the user's side).
 * In:  from U-mode: a7 = number, a0-a5 = arguments, sp/tp/ra the user's;
 *      tp = PerCpu, sscratch = user tp, t0 = 0.
 * Does: a7 >= SYS_COUNT -> a0 = E_NOSYS; bit a7 of the current process's
 *      rights (PerCpu.syscall_rights; an empty set for a kernel thread) clear ->
 *      a0 = E_PERM; else a0 = syscall_table[a7](a0..a5) with interrupts
 *      enabled, on the thread's kernel stack (PerCpu.kernel_sp). The handler
 *      may block and switch threads; the frame stays on this stack. Then,
 *      interrupts off, user_return_work when PerCpu.preempt_pending or
 *      current->kill_pending is set.
 * Out: sret to sepc + 4 with a0 = the result; ra, sp, gp, tp, s0-s11 and the
 *      FP registers as they were; a1-a7 and t0-t6 zero, so no kernel value
 *      leaks. sstatus needs no restoring: the live SPP is 0, SPIE 1 and SUM 0
 *      whenever kernel C code runs (riscv_trap_general keeps that true for
 *      the traps that switch threads), and FS is this thread's live state
 *      (proc_switch restores it with the registers).
 * Instructions from the vector to sret for a permitted call, without the
 * handler's own: 54 (5 in the vector, then the count at each group).
 */
.Lecall:
    /* 9: back to a valid sscratch first, then the frame. */
    csrrw t0, sscratch, tp          /* t0 = user tp, sscratch = PerCpu */
    ld t1, PERCPU_KERNEL_SP(tp)
    csrr t2, sepc
    sd sp, SF_SP - SF_SIZE(t1)
    addi sp, t1, -SF_SIZE
    sd t0, SF_TP(sp)
    sd ra, SF_RA(sp)
    addi t2, t2, 4
    sd t2, SF_PC(sp)

    /* 6: number and rights in one test, told apart in .Ldenied. The
     * rights pointer is never NULL once a user thread has run. */
    ld t0, PERCPU_SYSCALL_RIGHTS(tp)
    ld t0, 0(t0)                    /* the first rights word (SYS_COUNT <= 64) */
    sltiu t1, a7, SYS_COUNT
    srl t0, t0, a7                  /* by a7 mod 64: t1 rules out a7 >= 64 */
    and t0, t0, t1
    beqz t0, .Ldenied

    /* 8: the call, interrupts on around it; the table's low address bits
     * are folded into the load. */
    csrsi sstatus, SSTATUS_SIE
.Ltable:
    auipc t0, %pcrel_hi(syscall_table)
    slli t1, a7, 3
    add t0, t0, t1
    ld t0, %pcrel_lo(.Ltable)(t0)
    sltiu t1, a7, SYS_MSG_FIRST
    beqz t1, .Lmsg
    jalr t0
    csrci sstatus, SSTATUS_SIE

    /* 5: anything to do before user mode? */
.Lcheck:
    lw t0, PERCPU_PREEMPT_PENDING(tp)
    bnez t0, .Lwork
    ld t0, PERCPU_CURRENT(tp)
    lw t0, THREAD_KILL_PENDING(t0)
    bnez t0, .Lwork

    /* 5 + 14 + sret. */
.Lreturn:
    ld t0, SF_PC(sp)
    ld ra, SF_RA(sp)
    ld tp, SF_TP(sp)
    csrw sepc, t0
    ld sp, SF_SP(sp)
    li a1, 0
    li a2, 0
    li a3, 0
    li a4, 0
    li a5, 0
.Lclear:
    li a6, 0
    li a7, 0
    li t0, 0
    li t1, 0
    li t2, 0
    li t3, 0
    li t4, 0
    li t5, 0
    li t6, 0
    sret

/* The message calls (a7 >= SYS_MSG_FIRST): the same, but a1-a5 leave
 * holding the thread's IPC message (Thread.ipc.msg: tag, words 0-3). */
.Lmsg:
    jalr t0
    csrci sstatus, SSTATUS_SIE
.Lcheck_msg:
    lw t0, PERCPU_PREEMPT_PENDING(tp)
    bnez t0, .Lwork_msg
    ld t1, PERCPU_CURRENT(tp)
    lw t0, THREAD_KILL_PENDING(t1)
    bnez t0, .Lwork_msg
    ld t0, SF_PC(sp)
    ld ra, SF_RA(sp)
    ld tp, SF_TP(sp)
    csrw sepc, t0
    ld sp, SF_SP(sp)
    ld a1, THREAD_IPC_MSG(t1)
    ld a2, THREAD_IPC_MSG + 8(t1)
    ld a3, THREAD_IPC_MSG + 16(t1)
    ld a4, THREAD_IPC_MSG + 24(t1)
    ld a5, THREAD_IPC_MSG + 32(t1)
    j .Lclear

.Lwork_msg:
    addi sp, sp, -16
    sd a0, 0(sp)
    call user_return_work
    ld a0, 0(sp)
    addi sp, sp, 16
    j .Lcheck_msg

/* Unknown numbers first: E_NOSYS whatever the rights say. */
.Ldenied:
    li a0, E_NOSYS
    li t0, SYS_COUNT
    bgeu a7, t0, .Lcheck
    li a0, E_PERM
    j .Lcheck

/* Interrupts off; user_return_work may switch threads and returns with
 * them off. a0, the result, survives on the stack. */
.Lwork:
    addi sp, sp, -16
    sd a0, 0(sp)
    call user_return_work
    ld a0, 0(sp)
    addi sp, sp, 16
    j .Lreturn
