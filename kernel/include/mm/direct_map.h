/* The direct map: all of physical memory at mm_direct_map_base. A variable,
 * not a constant, so host tests can point it at a buffer that plays RAM. */
#ifndef MM_DIRECT_MAP_H
#define MM_DIRECT_MAP_H

#include <stdint.h>

/* Virtual address of physical address 0. Set before paging code runs
 * (kernel: statically DIRECT_MAP_BASE, checked against BootInfo by mm_init);
 * never changes afterwards, so readers need no lock. */
extern uintptr_t mm_direct_map_base;

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(mm_direct_map_base + (uintptr_t)pa);
}

/* Only valid for pointers into the direct map (not the kernel image). */
static inline uint64_t virt_to_phys_direct(const void *va)
{
    return (uint64_t)((uintptr_t)va - mm_direct_map_base);
}

#endif
