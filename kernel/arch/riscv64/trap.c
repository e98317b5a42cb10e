/*
 * riscv64 trap handling in C: the dispatcher trap_entry.S calls (interrupts
 * to irq.c, user page faults to the process's lazy regions, other user
 * exceptions to the end of the process, listed kernel faults to their
 * fixup, other kernel exceptions to a panic), cause names and the register
 * dump.
 */
#include <arch/cpu.h>
#include <arch/csr.h>
#include <arch/init.h>
#include <arch/power.h>
#include <arch/trap.h>
#include <fault_probe.h>
#include <kprintf.h>
#include <panic.h>
#include <percpu.h>
#include <proc/user_arch.h>
#include <sched/thread.h>

#include "riscv.h"

/* Fatal traps under way on any hart: the second one only prints a line, a
 * third (the printing itself faults) powers off without printing. Never
 * decremented: a fatal trap does not return. */
static volatile int trap_nesting;

static const char *const exception_names[] = {
    [0] = "instruction address misaligned",
    [1] = "instruction access fault",
    [2] = "illegal instruction",
    [3] = "breakpoint",
    [4] = "load address misaligned",
    [5] = "load access fault",
    [6] = "store/AMO address misaligned",
    [7] = "store/AMO access fault",
    [8] = "environment call from U-mode",
    [9] = "environment call from S-mode",
    [12] = "instruction page fault",
    [13] = "load page fault",
    [15] = "store/AMO page fault",
    [18] = "software check",
    [19] = "hardware error",
};

static const char *const interrupt_names[] = {
    [1] = "supervisor software interrupt",
    [5] = "supervisor timer interrupt",
    [9] = "supervisor external interrupt",
    [13] = "counter overflow interrupt",
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const char *trap_cause_name(uint64_t scause)
{
    uint64_t code = scause & ~SCAUSE_INTERRUPT;
    const char *name = NULL;
    if (scause & SCAUSE_INTERRUPT) {
        name = code < ARRAY_LEN(interrupt_names) ? interrupt_names[code] : NULL;
    } else {
        name = code < ARRAY_LEN(exception_names) ? exception_names[code] : NULL;
    }
    return name != NULL ? name : "unknown";
}

static const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void arch_dump_registers(const TrapFrame *frame)
{
    for (int i = 1; i < 32; i++) {
        kprintf("%4s %016llx%s", reg_names[i], (unsigned long long)frame->x[i],
                (i % 4 == 3 || i == 31) ? "\n" : "  ");
    }
    kprintf("sepc %016llx  stval %016llx  sstatus %016llx  scause %016llx\n",
            (unsigned long long)frame->sepc, (unsigned long long)frame->stval,
            (unsigned long long)frame->sstatus, (unsigned long long)frame->scause);
}

/* Whether frame sits at the top of this hart's emergency trap stack: the
 * entry found the interrupted stack overflowed. */
static bool trap_on_emergency_stack(const TrapFrame *frame)
{
    uintptr_t top = this_cpu()->arch_scratch[RISCV_SCRATCH_TRAP_STACK];
    return top != 0 && (uintptr_t)frame + sizeof(TrapFrame) == top;
}

/* An exception in the kernel that neither a user page fault nor an
 * exception-table fixup covers: a kernel bug, so a panic. */
static _Noreturn void trap_fatal(TrapFrame *frame)
{
    int depth = __atomic_fetch_add(&trap_nesting, 1, __ATOMIC_RELAXED);
    if (depth >= 2) {
        arch_power_off(PANIC_EXIT_STATUS);
    }
    if (depth == 1) {
        kprintf("PANIC: nested trap: %s (scause=%#llx) at sepc=%#llx stval=%#llx\n",
                trap_cause_name(frame->scause), (unsigned long long)frame->scause,
                (unsigned long long)frame->sepc, (unsigned long long)frame->stval);
        kernel_power_off(PANIC_EXIT_STATUS);
    }
    if (trap_on_emergency_stack(frame)) {
        kprintf("PANIC: kernel stack overflow (sp=%#llx)\n", (unsigned long long)frame->sp);
    }
    kprintf("PANIC: %s (scause=%#llx) at sepc=%#llx stval=%#llx\n", trap_cause_name(frame->scause),
            (unsigned long long)frame->scause, (unsigned long long)frame->sepc,
            (unsigned long long)frame->stval);
    arch_dump_registers(frame);
    panic_finish(frame->s0, frame->sepc);
}

/* Exception causes (privileged spec, scause) told apart below: the access
 * and page faults a fault probe or user copy can take, and the instruction
 * page fault of user code. */
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_LOAD_ACCESS         5
#define CAUSE_STORE_ACCESS        7
#define CAUSE_INSN_PAGE           12
#define CAUSE_LOAD_PAGE           13
#define CAUSE_STORE_PAGE          15

/* The end of the user half (Sv48's lower half): a kernel page fault below it
 * is a user copy's. */
#define USER_HALF_END 0x0000800000000000ull

/* The USER_ACCESS_* kind of a page fault, 0 for other causes. */
static unsigned trap_page_fault_access(uint64_t cause)
{
    switch (cause) {
    case CAUSE_INSN_PAGE: return USER_ACCESS_EXEC;
    case CAUSE_LOAD_PAGE: return USER_ACCESS_READ;
    case CAUSE_STORE_PAGE: return USER_ACCESS_WRITE;
    default: return 0;
    }
}

/*
 * An exception from U-mode: a page fault the process's lazy regions cover
 * is resolved and the instruction retried; anything else (an unresolvable
 * page fault, illegal instruction, misaligned or access fault, breakpoint)
 * ends the process. user_fault_resolve may sleep, so interrupts are on
 * around it; trap_entry.S runs the return-to-user checks afterwards.
 */
static void trap_user_exception(TrapFrame *frame)
{
    /* The first FP instruction since the thread was switched in: its
     * registers are loaded now (arch_fpu_restore left the FPU off) and the
     * instruction runs again. A truly illegal instruction traps once more,
     * with the FPU on, and ends the process below. */
    Thread *self = thread_current();
    if (frame->scause == CAUSE_ILLEGAL_INSTRUCTION && (frame->sstatus & SSTATUS_FS) == 0 &&
        self->fpu_area != NULL) {
        riscv_fpu_load(self->fpu_area);
        return;
    }
    unsigned access = trap_page_fault_access(frame->scause);
    if (access != 0) {
        arch_irq_enable();
        bool resolved = user_fault_resolve(frame->stval, access);
        arch_irq_disable();
        if (resolved) {
            return;
        }
    }
    user_fault_kill(trap_cause_name(frame->scause), frame->sepc, frame->stval);
}

/*
 * A load or store page fault in S-mode on a user address at an instruction
 * the exception table lists (a user copy, user_copy.S): true when the
 * process's lazy regions cover it and the access can be retried. Interrupts
 * come on around user_fault_resolve only when they were on at the fault,
 * since the copy's caller may rely on them being off.
 */
static bool trap_user_copy_fault(const TrapFrame *frame)
{
    unsigned access = trap_page_fault_access(frame->scause);
    if ((access != USER_ACCESS_READ && access != USER_ACCESS_WRITE) ||
        frame->stval >= USER_HALF_END || fault_fixup_lookup(frame->sepc) == 0) {
        return false;
    }
    bool irq_on = (frame->sstatus & SSTATUS_SPIE) != 0;
    if (irq_on) {
        arch_irq_enable();
    }
    bool resolved = user_fault_resolve(frame->stval, access);
    if (irq_on) {
        arch_irq_disable();
    }
    return resolved;
}

/* A load or store fault taken in S-mode at an instruction the exception
 * table lists: resume at its fixup, which reports E_FAULT. trap_entry.S
 * restores sepc and sstatus from the frame, so sret returns to S-mode with
 * SIE as it was (SPIE). */
static bool trap_fixup(TrapFrame *frame)
{
    uint64_t cause = frame->scause;
    if ((cause != CAUSE_LOAD_ACCESS && cause != CAUSE_STORE_ACCESS && cause != CAUSE_LOAD_PAGE &&
         cause != CAUSE_STORE_PAGE) ||
        !(frame->sstatus & SSTATUS_SPP)) {
        return false;
    }
    uintptr_t fixup = fault_fixup_lookup(frame->sepc);
    if (fixup == 0) {
        return false;
    }
    frame->sepc = fixup;
    return true;
}

void trap_dispatch(TrapFrame *frame)
{
    if (frame->scause & SCAUSE_INTERRUPT) {
        riscv_irq_dispatch(frame);
        return;
    }
    if (!(frame->sstatus & SSTATUS_SPP)) {
        trap_user_exception(frame);
        return;
    }
    if (trap_user_copy_fault(frame) || trap_fixup(frame)) {
        return;
    }
    trap_fatal(frame);
}

/* sscratch is left alone: it holds this hart's PerCpu (arch/percpu.h). */
void riscv_trap_init(void)
{
    csr_write(stvec, (uintptr_t)riscv_trap_vector);
}

void arch_cpu_init(void)
{
    riscv_trap_init();
    arch_user_cpu_init();
}

size_t arch_stack_guards(uintptr_t *out, size_t max)
{
    uintptr_t guards[] = {(uintptr_t)riscv_boot_stack_guard,
                          (uintptr_t)riscv_boot_trap_stack_guard};
    for (size_t i = 0; i < max && i < ARRAY_LEN(guards); i++) {
        out[i] = guards[i];
    }
    return ARRAY_LEN(guards);
}
