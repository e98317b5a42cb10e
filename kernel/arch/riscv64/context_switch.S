/*
 * The kernel-thread context switch: the only assembly in the scheduler.
 */
    .option norelax
    .section .text
    .balign 4
    .globl arch_context_switch
/*
 * void arch_context_switch(uintptr_t *save_sp, uintptr_t new_sp)
 * In:  a0 = where to store the current thread's sp, a1 = the new thread's
 *      saved sp (a frame from this routine or arch_context_prepare, see
 *      arch/context.h); interrupts off (sstatus is not saved).
 * Out: on the new stack with ra, s0-s11 restored and the frame popped;
 *      returns to the new thread's ra. Caller-saved registers are
 *      clobbered, as for any call; tp and gp are untouched.
 */
arch_context_switch:
    addi sp, sp, -112
    sd ra, 0(sp)
    sd s0, 8(sp)
    sd s1, 16(sp)
    sd s2, 24(sp)
    sd s3, 32(sp)
    sd s4, 40(sp)
    sd s5, 48(sp)
    sd s6, 56(sp)
    sd s7, 64(sp)
    sd s8, 72(sp)
    sd s9, 80(sp)
    sd s10, 88(sp)
    sd s11, 96(sp)
    sd sp, 0(a0)
    mv sp, a1
    ld ra, 0(sp)
    ld s0, 8(sp)
    ld s1, 16(sp)
    ld s2, 24(sp)
    ld s3, 32(sp)
    ld s4, 40(sp)
    ld s5, 48(sp)
    ld s6, 56(sp)
    ld s7, 64(sp)
    ld s8, 72(sp)
    ld s9, 80(sp)
    ld s10, 88(sp)
    ld s11, 96(sp)
    addi sp, sp, 112
    ret
