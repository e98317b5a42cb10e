/*
 * The process start-up protocol: the user address-space layout and what the
 * kernel puts on a new process's stack. Shared by the kernel (which builds
 * it) and libanos's start-up code (which reads it). docs/Processes.md.
 *
 * At the first instruction of a process (its ELF entry):
 *   - the stack pointer (rsp / sp) is 16-byte aligned and points at argc;
 *     the first argument register (rdi / a0) holds the same address;
 *   - every other general register is zero, the FPU state is the reset state.
 *
 * The stack, from the stack pointer up (each slot 8 bytes):
 *   argc
 *   argv[0] ... argv[argc - 1], NULL
 *   envp[0] ... envp[envc - 1], NULL
 *   handle_count
 *   handle_count AnosStartHandle entries (two slots each)
 *   then the strings argv and envp point to, then the top of the stack.
 */
#ifndef ANOS_STARTUP_H
#define ANOS_STARTUP_H

#include <anos/handle.h>
#include <stdint.h>

/* The user half: [ANOS_USER_MIN, ANOS_USER_TOP). The last page below 2^47 is
 * never mapped: an x86_64 SYSRET to an address next to the non-canonical
 * hole is a known hazard, and keeping it away costs nothing. */
#define ANOS_USER_MIN 0x10000ull
#define ANOS_USER_TOP 0x00007FFFFFFFF000ull

/* The main thread's stack: lazily allocated, ANOS_STACK_SIZE below
 * ANOS_STACK_TOP, with an unmapped gap above and below. */
#define ANOS_STACK_TOP  0x00007FFFFFF00000ull
#define ANOS_STACK_SIZE (8ull << 20)

/* Where SYS_MAP_ANON / SYS_MAP_PHYS place a mapping when addr is 0: upward
 * from here. Programs are linked below 2 GiB (non-PIE). */
#define ANOS_MAP_BASE 0x0000100000000000ull

/* A handle given to the process at start, and what it is for. */
typedef struct AnosStartHandle {
    Handle handle; /* in the new process's table */
    uint64_t tag;  /* ANOS_START_* or a value the creator chose */
} AnosStartHandle;

/* Tags of the kernel (for SYSTEM) and of SYSTEM (for the programs it
 * starts); other creators choose their own from ANOS_START_USER.
 * ANOS_START_SERVICE: the receive handle of the service the program
 * provides (service= in SYSTEM's configuration). ANOS_START_SYSTEM: a
 * send-only handle to its own service directory channel (anos/directory.h). */
#define ANOS_START_RAMFS   1 /* physical range holding the RAMFS image: map it with SYS_MAP_PHYS */
#define ANOS_START_SELF    2 /* reserved: the process itself */
#define ANOS_START_SERVICE 3 /* its service's channel, RIGHT_RECEIVE */
#define ANOS_START_SYSTEM  4 /* its directory channel, RIGHT_SEND */
#define ANOS_START_USER    0x100

/* Most argv + envp strings a process starts with, in bytes. */
#define ANOS_START_MAX_STRINGS 4096

#endif
