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
#define SYS_THREAD_PRIORITY                                                                        \
    22 /* (uint64_t level) -> 0: the calling thread's priority, 0 (most urgent) .. 254 */

/* IPC over channels (docs/IPC.md). A message is a tag and four words,
 * carried in registers: x86_64 rsi = tag, rdx, r10, r8, r9 = words 0-3;
 * riscv64 a1 = tag, a2-a5 = words 0-3; the channel handle is the first
 * argument (rdi / a0). The calls that deliver a message (SYS_CALL's reply,
 * SYS_RECV, SYS_REPLY_RECV) return it in the same registers, with the result
 * in rax / a0; after an error those registers are zero. Tag bits 62 and 63
 * are the kernel's (ANOS_IPC_TAG_*): a message with them carries a lent
 * buffer or handles, described in the thread's AnosIpcArea. */
#define SYS_CHANNEL_CREATE  32 /* () -> Handle (send, receive, write, transfer, duplicate) */
#define SYS_CHANNEL_DESTROY 33 /* (Handle ch) -> 0; needs RIGHT_WRITE */
#define SYS_IPC_AREA        34 /* (AnosIpcArea *area, or NULL for none) -> 0; per thread */
#define SYS_REPLY           35 /* (Handle ch, tag, w0, w1, w2, w3) -> 0 */
#define SYS_CALL            60 /* (Handle ch, tag, w0, w1, w2, w3) -> 0 and the reply */
#define SYS_RECV            61 /* (Handle ch) -> 0 and the message */
#define SYS_REPLY_RECV      62 /* (Handle ch, tag, w0..w3) -> 0 and the next message */

/* The calls that deliver a message into the registers are exactly
 * [SYS_MSG_FIRST, SYS_COUNT): the entry code tells them apart with one
 * compare. New calls that do not deliver messages go below 60. */
#define SYS_MSG_FIRST 60

/* One past the highest number the kernel's table covers. */
#define SYS_COUNT 63

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

/* An IPC message: a tag and four words (the kernel's IpcMsg). libanos
 * moves it to and from the message registers. */
typedef struct AnosIpcMsg {
    uint64_t tag;
    uint64_t words[4];
} AnosIpcMsg;

/* Tag bits the kernel reads and sets; the other 62 bits are the sender's. */
#define ANOS_IPC_TAG_BUFFER  (1ull << 63) /* a call lends AnosIpcArea.send_buffer */
#define ANOS_IPC_TAG_HANDLES (1ull << 62) /* carries AnosIpcArea.send_handles */
#define ANOS_IPC_TAG_KERNEL  (ANOS_IPC_TAG_BUFFER | ANOS_IPC_TAG_HANDLES)

#define ANOS_IPC_BUFFER_MAX  4096 /* bytes a call may lend */
#define ANOS_IPC_MAX_HANDLES 4    /* handles one message may carry */

/* One handle in a message. Sending: handle is the sender's and rights
 * what the receiver gets (a subset of the handle's); with
 * ANOS_IPC_HANDLE_MOVE the handle leaves the sender (needs RIGHT_TRANSFER),
 * without it the sender keeps it (needs RIGHT_DUPLICATE). Receiving: the
 * receiver's new handle and its rights, or HANDLE_NONE when its table was
 * full (the object is then released). */
typedef struct AnosIpcHandle {
    Handle handle;
    Rights rights;
    uint32_t flags;
} AnosIpcHandle;

#define ANOS_IPC_HANDLE_MOVE 1u

/* A thread's IPC area (SYS_IPC_AREA), in its own writable memory: where it
 * describes the buffer and handles of messages it sends, and where the
 * kernel describes those of messages it receives. A thread without one
 * can send and receive only register messages: sending extras fails with
 * E_INVAL, and extras sent to it are dropped (the tag shows neither bit). */
typedef struct AnosIpcArea {
    /* Read by the kernel when a sent tag has ANOS_IPC_TAG_BUFFER. Page
     * aligned, 1..ANOS_IPC_BUFFER_MAX bytes of the caller's writable
     * memory; mapped into the receiver until it replies. */
    uint64_t send_buffer;
    uint64_t send_length;
    /* Read when a sent tag has ANOS_IPC_TAG_HANDLES: 1..4 handles. */
    uint32_t send_handle_count;
    uint32_t reserved0;
    AnosIpcHandle send_handles[ANOS_IPC_MAX_HANDLES];
    /* Written by the kernel with a received message that has the bits. */
    uint64_t recv_buffer; /* the lent buffer's address in the receiver */
    uint64_t recv_length;
    uint32_t recv_handle_count;
    uint32_t reserved1;
    AnosIpcHandle recv_handles[ANOS_IPC_MAX_HANDLES];
} AnosIpcArea;

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
