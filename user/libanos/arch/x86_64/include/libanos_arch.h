/*
 * x86_64 syscall instructions and cycle counter for libanos. The calling
 * convention is include/anos/syscall.h's: rax = number, arguments in rdi,
 * rsi, rdx, r10, r8, r9, result in rax; rcx and r11 are clobbered by
 * SYSCALL and the kernel zeroes the argument registers, so every one of
 * them is an output (or clobber) of each stub.
 */
#ifndef LIBANOS_ARCH_H
#define LIBANOS_ARCH_H

#include <anos/syscall.h>
#include <stdint.h>

#define ANOS_SYSCALL_CLOBBERS "rcx", "r11", "memory"

static inline int64_t anos_syscall0(uint64_t nr)
{
    int64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr)
                     : "rdi", "rsi", "rdx", "r10", "r8", "r9", ANOS_SYSCALL_CLOBBERS);
    return ret;
}

static inline int64_t anos_syscall1(uint64_t nr, uint64_t a0)
{
    int64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret), "+D"(a0)
                     : "a"(nr)
                     : "rsi", "rdx", "r10", "r8", "r9", ANOS_SYSCALL_CLOBBERS);
    return ret;
}

static inline int64_t anos_syscall2(uint64_t nr, uint64_t a0, uint64_t a1)
{
    int64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret), "+D"(a0), "+S"(a1)
                     : "a"(nr)
                     : "rdx", "r10", "r8", "r9", ANOS_SYSCALL_CLOBBERS);
    return ret;
}

static inline int64_t anos_syscall3(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    int64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2)
                     : "a"(nr)
                     : "r10", "r8", "r9", ANOS_SYSCALL_CLOBBERS);
    return ret;
}

static inline int64_t anos_syscall6(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                                    uint64_t a4, uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a3;
    register uint64_t r8 __asm__("r8") = a4;
    register uint64_t r9 __asm__("r9") = a5;
    int64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "a"(nr)
                     : ANOS_SYSCALL_CLOBBERS);
    return ret;
}

/* A message call (SYS_CALL, SYS_RECV, SYS_REPLY_RECV): msg goes out in
 * the message registers (rsi = tag, rdx, r10, r8, r9 = words) and is
 * replaced by the message the kernel delivers (zeroes after an error). */
static inline int64_t anos_syscall_msg(uint64_t nr, uint64_t ch, AnosIpcMsg *msg)
{
    register uint64_t r10 __asm__("r10") = msg->words[1];
    register uint64_t r8 __asm__("r8") = msg->words[2];
    register uint64_t r9 __asm__("r9") = msg->words[3];
    uint64_t tag = msg->tag, w0 = msg->words[0];
    int64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret), "+D"(ch), "+S"(tag), "+d"(w0), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "a"(nr)
                     : ANOS_SYSCALL_CLOBBERS);
    msg->tag = tag;
    msg->words[0] = w0;
    msg->words[1] = r10;
    msg->words[2] = r8;
    msg->words[3] = r9;
    return ret;
}

/* The time-stamp counter: one tick per guest instruction under QEMU
 * -icount shift=0 (DESIGN.md section 2). lfence keeps earlier
 * instructions from drifting past the read on real hardware. */
static inline uint64_t anos_cycles(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

#endif
