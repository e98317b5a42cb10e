/*
 * x86_64 kernel-thread context: the callee-saved registers pushed on the
 * thread's own stack by arch_context_switch (context_switch.asm).
 */
#ifndef ANOS_ARCH_CONTEXT_H
#define ANOS_ARCH_CONTEXT_H

#include <stdint.h>

/*
 * Saves rbp, rbx, r12-r15 on the current stack, stores rsp in *save_sp,
 * switches to new_sp and pops the same registers saved there, then returns
 * into whatever that stack's thread was doing. Interrupts must be off:
 * RFLAGS is not saved.
 */
void arch_context_switch(uintptr_t *save_sp, uintptr_t new_sp);

/* The frame arch_context_switch pops, lowest address first. */
typedef struct ArchSwitchFrame {
    uint64_t r15, r14, r13, r12, rbx, rbp;
    uint64_t rip;         /* the `ret` target */
    uint64_t fake_return; /* 0: where `trampoline` would return to */
} ArchSwitchFrame;

/*
 * Builds, below stack_top (16-byte aligned), a frame whose first switch
 * "returns" into trampoline with a fresh call frame (rsp = 8 mod 16 as
 * after a call) and rbp = 0 (ends backtraces). Returns the initial sp.
 */
static inline uintptr_t arch_context_prepare(uintptr_t stack_top, void (*trampoline)(void))
{
    ArchSwitchFrame *f = (ArchSwitchFrame *)(stack_top - sizeof(ArchSwitchFrame));
    *f = (ArchSwitchFrame){0};
    f->rip = (uint64_t)(uintptr_t)trampoline;
    return (uintptr_t)f;
}

#endif
