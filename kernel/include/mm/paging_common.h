/* Page-table geometry shared by x86_64 4-level paging and RISC-V Sv48: four
 * levels of 512 eight-byte entries, 4 KiB pages, 48-bit virtual addresses.
 * Each arch/paging.h includes this and adds its own PTE bit layout. */
#ifndef MM_PAGING_COMMON_H
#define MM_PAGING_COMMON_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t Pte;

/* Levels count from the leaf: 0 = 4 KiB page, 1 = 2 MiB, 2 = 1 GiB,
 * 3 = the root (512 GiB per entry). */
#define PT_LEVELS            4
#define PT_TOP_LEVEL         3
#define PT_MAX_LEAF_LEVEL    2 /* 1 GiB leaves; the CPU may allow fewer */
#define PT_ENTRIES           512
#define PT_KERNEL_HALF_FIRST 256 /* first root slot of the upper (kernel) half */

/* Index of va's entry in the table at `level`. */
static inline unsigned pt_index(uint64_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * level)) & (PT_ENTRIES - 1);
}

/* Bytes mapped by one entry at `level`. */
static inline uint64_t pt_level_size(int level)
{
    return 1ull << (12 + 9 * level);
}

/* 48-bit canonical: bits 63..47 all equal. */
static inline bool arch_va_canonical(uint64_t va)
{
    int64_t top = (int64_t)va >> 47;
    return top == 0 || top == -1;
}

#endif
