/*
 * Frame-pointer stack walking for panics. The kernel is built with
 * -fno-omit-frame-pointer, so every frame starts with [rbp] = caller's rbp,
 * [rbp + 8] = return address. entry.asm zeroes rbp, which ends the chain.
 */
#ifndef ANOS_ARCH_BACKTRACE_H
#define ANOS_ARCH_BACKTRACE_H

#include <arch/memory_layout.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * One step up the stack: reads the frame at *fp, stores the caller's frame
 * pointer in *fp and the return address in *pc. Returns false without
 * reading when *fp cannot be a kernel frame (0, misaligned, lower half) or
 * the return address is 0. A caller frame that is not above this one (a
 * corrupt or looping chain) is turned into 0, so the walk stops after this
 * step instead of looping.
 */
static inline bool arch_frame_step(uintptr_t *fp, uintptr_t *pc)
{
    uintptr_t frame = *fp;
    if (frame == 0 || (frame & 7) != 0 || frame < KERNEL_HALF_BASE || frame > UINTPTR_MAX - 16) {
        return false;
    }
    const uintptr_t *slots = (const uintptr_t *)frame;
    uintptr_t next = slots[0];
    uintptr_t ret = slots[1];
    if (ret == 0) {
        return false;
    }
    *fp = next > frame ? next : 0;
    *pc = ret;
    return true;
}

#endif
