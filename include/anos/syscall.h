/*
 * The syscall interface: numbers, calling convention and the structures
 * syscalls take. Shared by the kernel and libanos. docs/Syscalls.md
 * describes every call, the right it needs and its errors.
 *
 * Calling convention
 *   x86_64 (SYSCALL, or the deprecated `int 0x69` with the same registers):
 *     rax = number, arguments in rdi, rsi, rdx, r10, r8, r9; result in rax.
 *     Preserved: rbx, rbp, rsp, r12-r15 and the FPU/SSE state. Clobbered:
 *     rcx, r11 (by SYSCALL itself) and rdi, rsi, rdx, r8, r9, r10 (the
 *     kernel zeroes them rather than leak its own values).
 *   riscv64 (ecall): a7 = number, arguments in a0-a5; result in a0.
 *     Preserved: ra, sp, gp, tp, s0-s11, the FP registers. Clobbered:
 *     a1-a7, t0-t6 (zeroed).
 *
 * Result: a signed 64-bit value. Negative values are Errors (anos/errors.h);
 * zero or positive values are the call's result (a count, an address in the
 * user half, a Handle, whose bit 63 is always clear).
 *
 * Rights: a process may make syscall nr only if bit nr of its syscall-rights
 * set is set (fixed at creation, a subset of its creator's). Otherwise the
 * call does nothing and returns E_PERM. An unknown number returns E_NOSYS.
 */
#ifndef ANOS_SYSCALL_H
#define ANOS_SYSCALL_H

#include <anos/handle.h>
#include <stdint.h>

#define SYS_NOP          0 /* () -> 0; the null syscall */
#define SYS_DEBUG_WRITE  1 /* (const char *buf, uint64_t len) -> len */
#define SYS_PROCESS_EXIT 2 /* (int64_t status) -> does not return */
#define SYS_THREAD_EXIT  3 /* () -> does not return */
#define SYS_THREAD_CREATE                                                                          \
    4                   /* (uintptr_t entry, uintptr_t stack_top, uint64_t arg) -> thread id       \
                         */
#define SYS_YIELD    5  /* () -> 0 */
#define SYS_SLEEP    6  /* (uint64_t ns) -> 0 */
#define SYS_CLOCK    7  /* () -> nanoseconds since boot */
#define SYS_MEMINFO  8  /* (AnosMemInfo *out) -> 0 */
#define SYS_MAP_ANON 9  /* (uintptr_t addr, uint64_t size, uint64_t prot) -> addr */
#define SYS_UNMAP    10 /* (uintptr_t addr, uint64_t size) -> 0 */
#define SYS_MAP_PHYS                                                                               \
    11 /* (Handle range, uintptr_t addr, uint64_t offset, uint64_t size, uint64_t prot) -> addr */
#define SYS_ALLOC_PHYS     12 /* (uint64_t pages, uint64_t *pa_out) -> Handle (a physical range) */
#define SYS_PROCESS_CREATE 13 /* (const AnosProcessSpec *spec) -> Handle (the process) */
#define SYS_PROCESS_WAIT   14 /* (Handle process) -> its exit status (>= 0) */
#define SYS_HANDLE_DUP     15 /* (Handle h, Rights rights) -> Handle */
#define SYS_HANDLE_CLOSE   16 /* (Handle h) -> 0 */
#define SYS_KLOG_READ      17 /* (char *buf, uint64_t len, uint64_t *seq) -> bytes; blocks */
#define SYS_FIRMWARE_MAP                                                                           \
    18 /* (uint64_t phys, uint64_t size) -> address of a read-only mapping; phys 0: the root */
#define SYS_IRQ_ALLOC    19 /* (uint64_t source, AnosIrqInfo *out) -> Handle (an interrupt) */
#define SYS_IRQ_WAIT     20 /* (Handle irq, uint64_t timeout_ns) -> interrupts since the last wait */
#define SYS_PROCESS_KILL 21 /* (Handle process) -> 0 */

/* IPC over channels (docs/IPC.md). Messages travel through an AnosIpcMsg
 * in the caller's memory for now; the register-only fast path will keep
 * these numbers. */
#define SYS_CHANNEL_CREATE  32 /* () -> Handle (send, receive, write, transfer, duplicate) */
#define SYS_CHANNEL_DESTROY 33 /* (Handle ch) -> 0; needs RIGHT_WRITE */
#define SYS_CALL            34 /* (Handle ch, AnosIpcMsg *inout) -> 0, the reply in *inout */
#define SYS_RECV            35 /* (Handle ch, AnosIpcMsg *out) -> 0 */
#define SYS_REPLY           36 /* (Handle ch, const AnosIpcMsg *reply) -> 0 */
#define SYS_REPLY_RECV      37 /* (Handle ch, AnosIpcMsg *inout) -> 0: reply, then receive */

/* One past the highest number the kernel's table covers. */
#define SYS_COUNT 38

/* Exit statuses (SYS_PROCESS_WAIT): a process's own status is 0..255 (the
 * low 8 bits of what it passed to SYS_PROCESS_EXIT); the kernel's are above. */
#define ANOS_EXIT_FAULT  256 /* ended by an unrecoverable fault */
#define ANOS_EXIT_KILLED 257 /* ended by SYS_PROCESS_KILL */

/* prot for SYS_MAP_ANON / SYS_MAP_PHYS: readable is implied; never both
 * WRITE and EXEC (W^X, E_PERM). */
#define ANOS_PROT_READ  0x1u
#define ANOS_PROT_WRITE 0x2u
#define ANOS_PROT_EXEC  0x4u

/* SYS_IRQ_ALLOC's result: how a driver points its device at the vector.
 * x86_64: an MSI vector on one CPU; program the device's MSI address and
 * data registers with msi_address and msi_data. riscv64: the PLIC source
 * the caller named (from the devicetree), routed to one hart. */
typedef struct AnosIrqInfo {
    uint64_t msi_address; /* x86_64; 0 on riscv64 */
    uint32_t msi_data;    /* x86_64: the vector; 0 on riscv64 */
    uint32_t source;      /* riscv64: the PLIC source; x86_64: the vector */
    uint32_t cpu;         /* the CPU (index) that takes it */
    uint32_t reserved;
} AnosIrqInfo;

/* An IPC message: a tag and four words (the kernel's IpcMsg). */
typedef struct AnosIpcMsg {
    uint64_t tag;
    uint64_t words[4];
} AnosIpcMsg;

/* SYS_MEMINFO's result. */
typedef struct AnosMemInfo {
    uint64_t page_size;
    uint64_t total_pages; /* physical pages the kernel manages */
    uint64_t free_pages;
    uint64_t process_pages; /* pages mapped by the caller (its own, not physical ranges) */
} AnosMemInfo;

/* A handle given to a new process by SYS_PROCESS_CREATE. */
typedef struct AnosGiveHandle {
    Handle handle; /* in the creator's table; needs RIGHT_TRANSFER */
    Rights rights; /* what the child gets: a subset of the handle's rights */
    uint32_t tag;  /* passed through to the child (ANOS_START_* or the creator's own) */
    uint32_t move; /* non-zero: the creator's handle is closed once given */
    uint32_t reserved;
} AnosGiveHandle;

#define ANOS_SPEC_MAX_ARGS    64   /* argv + envp entries */
#define ANOS_SPEC_MAX_STRINGS 4096 /* bytes of argument and environment strings */
#define ANOS_SPEC_MAX_HANDLES 16
#define ANOS_SPEC_MAX_ELF     (64ull << 20)

/* SYS_PROCESS_CREATE's argument: everything the kernel needs to start a
 * program. The kernel copies all of it before the call returns. */
typedef struct AnosProcessSpec {
    const void *elf; /* a static ELF executable for this architecture */
    uint64_t elf_size;
    const char *name; /* for the kernel log; may be NULL */
    const char *const *argv;
    uint64_t argc;
    const char *const *envp;
    uint64_t envc;
    const AnosGiveHandle *handles;
    uint64_t handle_count;
    uint64_t syscall_rights[2]; /* bit nr: may make syscall nr; subset of the creator's */
    uint64_t cpu;               /* ANOS_CPU_ANY, or the CPU its threads run on */
} AnosProcessSpec;

#define ANOS_CPU_ANY (~0ull)

#endif
