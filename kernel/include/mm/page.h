/* Page-size constants and alignment helpers shared by the memory manager
 * (PMM, VMM, allocators) on both architectures. */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#define MM_PAGE_SHIFT 12
#define MM_PAGE_SIZE  4096ull
#define MM_PAGE_MASK  (MM_PAGE_SIZE - 1)

#define MM_SIZE_2M 0x200000ull
#define MM_SIZE_1G 0x40000000ull

static inline bool mm_is_aligned(uint64_t value, uint64_t align)
{
    return (value & (align - 1)) == 0;
}

static inline uint64_t mm_align_down(uint64_t value, uint64_t align)
{
    return value & ~(align - 1);
}

/* Callers make sure value + align - 1 does not overflow. */
static inline uint64_t mm_align_up(uint64_t value, uint64_t align)
{
    return (value + align - 1) & ~(align - 1);
}

#endif
