/*
 * The x86_64 trap frame: what the ISR stubs (isr.asm) push on every
 * exception, and what the C dispatcher receives. The layout is shared with
 * isr.asm: change both together.
 */
#ifndef ANOS_ARCH_TRAP_H
#define ANOS_ARCH_TRAP_H

#include <stdint.h>

/* Lowest address first: the GPRs the stub pushed (r15 last, so first here),
 * the vector and error code (0 for vectors without one), then the frame the
 * CPU pushed. Always 22 quadwords, 16-byte aligned. */
typedef struct TrapFrame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;
} TrapFrame;

_Static_assert(sizeof(TrapFrame) == 22 * 8, "TrapFrame must match isr.asm");

/* Exception vectors with names used by the dispatcher. */
#define TRAP_NMI             2
#define TRAP_DOUBLE_FAULT    8
#define TRAP_PAGE_FAULT      14
#define TRAP_MACHINE_CHECK   18
#define TRAP_EXCEPTION_COUNT 32

/* Prints every GPR, RIP, RFLAGS, CS, SS, RSP and CR0/CR2/CR3/CR4. Writes to
 * the serial console directly (no locks), so it works in any trap. */
void arch_dump_registers(const TrapFrame *frame);

/* "Page fault", "General protection", ...; "Unknown" past the table. */
const char *trap_exception_name(uint64_t vector);

/* Called by isr.asm with interrupts off; returns only if the trap was
 * handled, and the stub then resumes the interrupted code with iretq. */
void trap_dispatch(TrapFrame *frame);

#endif
