/*
 * Handles and rights: how user space names a kernel object. Shared by the
 * kernel, libanos and host tests; docs/Capabilities.md explains the model.
 */
#ifndef ANOS_HANDLE_H
#define ANOS_HANDLE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A handle is a 64-bit value, local to one process's handle table:
 *
 *   bit 63       reserved, always 0 in a valid handle
 *   bits 16..62  generation (47 bits), never 0 in a valid handle
 *   bits  0..15  index into the process's handle table
 *
 * 64 bits because a handle travels in one register on both architectures
 * anyway, and a 47-bit generation means a slot must be reused 2^47 times
 * before it runs out (the kernel then retires it, so a stale handle can
 * never match a later object). Because the generation is never 0, the value
 * 0 is never a handle: HANDLE_NONE is a safe "no handle" in a zeroed variable.
 */
typedef uint64_t Handle;

#define HANDLE_NONE ((Handle)0)

#define HANDLE_INDEX_BITS 16
#define HANDLE_GEN_BITS   47
#define HANDLE_INDEX_MASK ((1ull << HANDLE_INDEX_BITS) - 1)
#define HANDLE_GEN_MAX    ((1ull << HANDLE_GEN_BITS) - 1)
#define HANDLE_RESERVED   (1ull << 63)

/* The most slots one handle table can have. */
#define HANDLE_INDEX_LIMIT (1u << HANDLE_INDEX_BITS)

static inline Handle handle_make(uint32_t index, uint64_t gen)
{
    return ((Handle)index & HANDLE_INDEX_MASK) | ((gen & HANDLE_GEN_MAX) << HANDLE_INDEX_BITS);
}

static inline uint32_t handle_index(Handle h)
{
    return (uint32_t)(h & HANDLE_INDEX_MASK);
}

static inline uint64_t handle_gen(Handle h)
{
    return (h >> HANDLE_INDEX_BITS) & HANDLE_GEN_MAX;
}

/*
 * Rights: a 32-bit mask carried by every handle. Bits 0..15 mean the same for
 * every object type; bits 16..31 are object-specific (their meaning depends
 * on the handle's type, so two types may share a bit).
 */
typedef uint32_t Rights;

#define RIGHT_READ      (1u << 0) /* read state or contents */
#define RIGHT_WRITE     (1u << 1) /* change state or contents */
#define RIGHT_MAP       (1u << 2) /* map into an address space */
#define RIGHT_TRANSFER  (1u << 3) /* move to another process (IPC, process create) */
#define RIGHT_DUPLICATE (1u << 4) /* make another handle with equal or fewer rights */

#define RIGHTS_GENERIC_MASK  0x0000FFFFu
#define RIGHTS_SPECIFIC_MASK 0xFFFF0000u
#define RIGHTS_ALL           0xFFFFFFFFu
#define RIGHTS_NONE          0u

/* Channels. */
#define RIGHT_SEND    (1u << 16) /* call on the channel */
#define RIGHT_RECEIVE (1u << 17) /* recv / reply on the channel */

/* Interrupt vectors. */
#define RIGHT_WAIT (1u << 16) /* wait for the interrupt */

/* Processes and threads. */
#define RIGHT_KILL (1u << 16) /* end the process or thread */

/* True if every right in `sub` is also in `super`. */
static inline bool rights_subset(Rights sub, Rights super)
{
    return (sub & ~super) == 0;
}

#endif
