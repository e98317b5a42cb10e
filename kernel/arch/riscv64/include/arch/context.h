/*
 * riscv64 kernel-thread context: ra and s0-s11 saved on the thread's own
 * stack by arch_context_switch (context_switch.S).
 */
#ifndef ANOS_ARCH_CONTEXT_H
#define ANOS_ARCH_CONTEXT_H

#include <stdint.h>

/*
 * Saves ra, s0-s11 below sp, stores sp in *save_sp, switches to new_sp and
 * restores the same registers from there, then returns to the saved ra.
 * Interrupts must be off (sstatus is not saved). tp (this hart's PerCpu)
 * and gp are not touched.
 */
void arch_context_switch(uintptr_t *save_sp, uintptr_t new_sp);

/* The frame arch_context_switch restores, lowest address first; 112 bytes
 * keep sp 16-byte aligned. */
typedef struct ArchSwitchFrame {
    uint64_t ra;
    uint64_t s[12];
    uint64_t pad;
} ArchSwitchFrame;

_Static_assert(sizeof(ArchSwitchFrame) == 112, "context_switch.S frame size");

/*
 * Builds, below stack_top (16-byte aligned), a frame whose first switch
 * returns into trampoline with sp = stack_top and s0 = 0 (ends backtraces).
 * Returns the initial sp.
 */
static inline uintptr_t arch_context_prepare(uintptr_t stack_top, void (*trampoline)(void))
{
    ArchSwitchFrame *f = (ArchSwitchFrame *)(stack_top - sizeof(ArchSwitchFrame));
    *f = (ArchSwitchFrame){0};
    f->ra = (uint64_t)(uintptr_t)trampoline;
    return (uintptr_t)f;
}

#endif
