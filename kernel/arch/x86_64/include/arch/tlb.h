/* x86_64 TLB maintenance and the page-table root (CR3), for the VMM.
 * Local CPU only: cross-CPU shootdown by IPI is a later layer. */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include <stdint.h>

/* Drops the translation of va (any page size). */
static inline void arch_tlb_flush_page(uintptr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* After page tables on va's path were freed: INVLPG also drops every
 * paging-structure-cache entry (SDM 4.10.4.1), so it suffices. */
static inline void arch_tlb_flush_walk(uintptr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* After a not-present entry became present: x86 never caches
 * not-present entries, so nothing to do. */
static inline void arch_tlb_flush_new(uintptr_t va)
{
    (void)va;
}

/* Everything, global entries included: toggling CR4.PGE flushes them;
 * without PGE a CR3 reload is enough. */
static inline void arch_tlb_flush_all(void)
{
    uint64_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    if (cr4 & (1ull << 7)) {
        __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 & ~(1ull << 7)) : "memory");
        __asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
    } else {
        uint64_t cr3;
        __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
        __asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
    }
}

/* Loads a new root (PML4 physical address; PCID 0, PWT/PCD clear). */
static inline void arch_set_root(uint64_t root_pa)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(root_pa) : "memory");
}

static inline uint64_t arch_get_root(void)
{
    uint64_t cr3;
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    return cr3 & 0x000FFFFFFFFFF000ull;
}

#endif
