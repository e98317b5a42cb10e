/* riscv64 TLB maintenance (sfence.vma) and the page-table root (satp, Sv48),
 * for the VMM. Local hart only: remote shootdown by IPI is a later layer. */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include <stdint.h>

/* Drops the leaf translation of va, all address spaces. */
static inline void arch_tlb_flush_page(uintptr_t va)
{
    __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}

/* After page tables on va's path were freed: an address-specific fence
 * only orders leaf entries, so non-leaf changes need a full fence. */
static inline void arch_tlb_flush_walk(uintptr_t va)
{
    (void)va;
    __asm__ volatile("sfence.vma zero, zero" : : : "memory");
}

/* After an invalid entry became valid: implementations may cache invalid
 * entries, so fence the address (as Linux does in update_mmu_cache). */
static inline void arch_tlb_flush_new(uintptr_t va)
{
    __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}

static inline void arch_tlb_flush_all(void)
{
    __asm__ volatile("sfence.vma zero, zero" : : : "memory");
}

/* satp = MODE Sv48 | ASID 0 | PPN of the root. If the hart lacks Sv48 the
 * write is ignored: callers check arch_get_root() afterwards. */
static inline void arch_set_root(uint64_t root_pa)
{
    uint64_t satp = (9ull << 60) | (root_pa >> 12);
    __asm__ volatile("sfence.vma zero, zero\n\tcsrw satp, %0\n\tsfence.vma zero, zero"
                     :
                     : "r"(satp)
                     : "memory");
}

/* The root's physical address; 0 when satp's mode is not Sv48. */
static inline uint64_t arch_get_root(void)
{
    uint64_t satp;
    __asm__ volatile("csrr %0, satp" : "=r"(satp));
    if ((satp >> 60) != 9)
        return 0;
    return (satp & ((1ull << 44) - 1)) << 12;
}

#endif
