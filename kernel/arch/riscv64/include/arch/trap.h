/*
 * The riscv64 trap frame: what trap_entry.S saves on every trap and what
 * the C dispatcher receives. The layout is shared with trap_entry.S
 * (TF_* offsets there): change both together.
 */
#ifndef ANOS_ARCH_TRAP_H
#define ANOS_ARCH_TRAP_H

#include <stdint.h>

/* x[n] is register xn at the trap (x[0] holds 0, x[2] the interrupted sp),
 * also reachable by ABI name; then the trap CSRs. 36 doublewords, a
 * multiple of 16 bytes so sp stays aligned. */
typedef struct TrapFrame {
    union {
        uint64_t x[32];
        struct {
            uint64_t zero, ra, sp, gp, tp, t0, t1, t2, s0, s1;
            uint64_t a0, a1, a2, a3, a4, a5, a6, a7;
            uint64_t s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
            uint64_t t3, t4, t5, t6;
        };
    };
    uint64_t sepc;
    uint64_t sstatus;
    uint64_t scause;
    uint64_t stval;
} TrapFrame;

_Static_assert(sizeof(TrapFrame) == 36 * 8, "TrapFrame must match trap_entry.S");

/* Prints every GPR by ABI name, then sepc, stval, sstatus and scause. Uses
 * kprintf only (no locks beyond the console's), so it works in any trap. */
void arch_dump_registers(const TrapFrame *frame);

/* "load page fault", "supervisor timer interrupt", ...; "unknown" else. */
const char *trap_cause_name(uint64_t scause);

/* Called by trap_entry.S with interrupts off, on the interrupted thread's
 * kernel stack (or the emergency trap stack after an overflow); returns
 * with them off. Interrupts are handled and return (after irq_exit, which
 * may switch threads first). A user page fault that user_fault_resolve
 * fixes returns to retry; any other exception from U-mode ends the process
 * (user_fault_kill). A kernel page fault on a user address at an
 * exception-table entry (a user copy) is first offered to
 * user_fault_resolve, then resumes at its fixup (fault_probe.h), as does any
 * kernel fault at such an entry; any other kernel exception is a panic. */
void trap_dispatch(TrapFrame *frame);

#endif
