/*
 * Frame-pointer stack walking for panics. With -fno-omit-frame-pointer the
 * RISC-V prologue leaves s0 = the caller's sp, with the return address at
 * s0 - 8 and the caller's s0 at s0 - 16. entry.S zeroes s0, ending the chain.
 */
#ifndef ANOS_ARCH_BACKTRACE_H
#define ANOS_ARCH_BACKTRACE_H

#include <arch/memory_layout.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * One step up the stack: reads the record below *fp, stores the caller's
 * frame pointer in *fp and the return address in *pc. Returns false without
 * reading when *fp cannot be a kernel frame (0, misaligned, lower half) or
 * the return address is 0. A caller frame that is not above this one (a
 * corrupt or looping chain) becomes 0, so the walk stops after this step.
 */
static inline bool arch_frame_step(uintptr_t *fp, uintptr_t *pc)
{
    uintptr_t frame = *fp;
    if (frame == 0 || (frame & 7) != 0 || frame < KERNEL_HALF_BASE + 16) {
        return false;
    }
    const uintptr_t *record = (const uintptr_t *)(frame - 16);
    uintptr_t next = record[0];
    uintptr_t ret = record[1];
    if (ret == 0) {
        return false;
    }
    *fp = next > frame ? next : 0;
    *pc = ret;
    return true;
}

#endif
