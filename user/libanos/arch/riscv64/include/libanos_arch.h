/*
 * riscv64 syscall instructions and cycle counter for libanos. The calling
 * convention is include/anos/syscall.h's: a7 = number, arguments in a0-a5,
 * result in a0; the kernel zeroes a1-a7 and t0-t6, so every one of them is
 * an output (or clobber) of each stub.
 */
#ifndef LIBANOS_ARCH_H
#define LIBANOS_ARCH_H

#include <anos/syscall.h>
#include <stdint.h>

#define ANOS_SYSCALL_CLOBBERS "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory"

static inline int64_t anos_syscall0(uint64_t nr)
{
    register uint64_t a7 __asm__("a7") = nr;
    register int64_t a0 __asm__("a0");
    __asm__ volatile("ecall"
                     : "=r"(a0), "+r"(a7)
                     :
                     : "a1", "a2", "a3", "a4", "a5", "a6", ANOS_SYSCALL_CLOBBERS);
    return a0;
}

static inline int64_t anos_syscall1(uint64_t nr, uint64_t x0)
{
    register uint64_t a7 __asm__("a7") = nr;
    register uint64_t a0 __asm__("a0") = x0;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a7)
                     :
                     : "a1", "a2", "a3", "a4", "a5", "a6", ANOS_SYSCALL_CLOBBERS);
    return (int64_t)a0;
}

static inline int64_t anos_syscall2(uint64_t nr, uint64_t x0, uint64_t x1)
{
    register uint64_t a7 __asm__("a7") = nr;
    register uint64_t a0 __asm__("a0") = x0;
    register uint64_t a1 __asm__("a1") = x1;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a7)
                     :
                     : "a2", "a3", "a4", "a5", "a6", ANOS_SYSCALL_CLOBBERS);
    return (int64_t)a0;
}

static inline int64_t anos_syscall3(uint64_t nr, uint64_t x0, uint64_t x1, uint64_t x2)
{
    register uint64_t a7 __asm__("a7") = nr;
    register uint64_t a0 __asm__("a0") = x0;
    register uint64_t a1 __asm__("a1") = x1;
    register uint64_t a2 __asm__("a2") = x2;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a7)
                     :
                     : "a3", "a4", "a5", "a6", ANOS_SYSCALL_CLOBBERS);
    return (int64_t)a0;
}

static inline int64_t anos_syscall6(uint64_t nr, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
                                    uint64_t x4, uint64_t x5)
{
    register uint64_t a7 __asm__("a7") = nr;
    register uint64_t a0 __asm__("a0") = x0;
    register uint64_t a1 __asm__("a1") = x1;
    register uint64_t a2 __asm__("a2") = x2;
    register uint64_t a3 __asm__("a3") = x3;
    register uint64_t a4 __asm__("a4") = x4;
    register uint64_t a5 __asm__("a5") = x5;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a7)
                     :
                     : "a6", ANOS_SYSCALL_CLOBBERS);
    return (int64_t)a0;
}

/* A message call (SYS_CALL, SYS_RECV, SYS_REPLY_RECV): msg goes out in
 * the message registers (a1 = tag, a2-a5 = words) and is replaced by the
 * message the kernel delivers (zeroes after an error). */
static inline int64_t anos_syscall_msg(uint64_t nr, uint64_t ch, AnosIpcMsg *msg)
{
    register uint64_t a7 __asm__("a7") = nr;
    register uint64_t a0 __asm__("a0") = ch;
    register uint64_t a1 __asm__("a1") = msg->tag;
    register uint64_t a2 __asm__("a2") = msg->words[0];
    register uint64_t a3 __asm__("a3") = msg->words[1];
    register uint64_t a4 __asm__("a4") = msg->words[2];
    register uint64_t a5 __asm__("a5") = msg->words[3];
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a7)
                     :
                     : "a6", ANOS_SYSCALL_CLOBBERS);
    msg->tag = a1;
    msg->words[0] = a2;
    msg->words[1] = a3;
    msg->words[2] = a4;
    msg->words[3] = a5;
    return (int64_t)a0;
}

/* The cycle counter: one tick per guest instruction under QEMU -icount
 * shift=0 (DESIGN.md section 2). Needs scounteren.CY, which the kernel
 * sets for user mode. */
static inline uint64_t anos_cycles(void)
{
    uint64_t c;
    __asm__ volatile("rdcycle %0" : "=r"(c));
    return c;
}

#endif
