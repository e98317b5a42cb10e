/* riscv64 Sv48 paging: PTE bits and the helpers kernel/mm/vmm.c uses to
 * build, read and convert entries (RISC-V privileged spec, section Sv48). */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <mm/paging_common.h>
#include <mm/vmm_flags.h>
#include <stdbool.h>
#include <stdint.h>

/* Table geometry (levels, indices, canonical addresses) is in
 * mm/paging_common.h; level 1 leaves are megapages, level 2 gigapages. */

/* Sv48 PTEs hold a 44-bit PPN: 56-bit physical addresses. */
#define ARCH_PHYS_ADDR_LIMIT (1ull << 56)

/* Policy: only page 0 is kept from the PMM (RAM starts at 2 GiB on virt anyway). */
#define ARCH_PMM_LOW_LIMIT 0x1000ull

#define SATP_MODE_SV48 9ull

#define RV_PTE_V (1ull << 0)
#define RV_PTE_R (1ull << 1)
#define RV_PTE_W (1ull << 2)
#define RV_PTE_X (1ull << 3)
#define RV_PTE_U (1ull << 4)
#define RV_PTE_G (1ull << 5)
#define RV_PTE_A (1ull << 6)
#define RV_PTE_D (1ull << 7)

#define RV_PTE_PPN_SHIFT 10
#define RV_PTE_PPN_MASK  ((1ull << 44) - 1)

static inline bool arch_pte_present(Pte e)
{
    return (e & RV_PTE_V) != 0;
}

/* Any of R, W, X makes a valid entry a leaf, at any level. */
static inline bool arch_pte_is_leaf(Pte e, int level)
{
    (void)level;
    return (e & (RV_PTE_R | RV_PTE_W | RV_PTE_X)) != 0;
}

static inline uint64_t arch_pte_addr(Pte e, int level)
{
    (void)level;
    return ((e >> RV_PTE_PPN_SHIFT) & RV_PTE_PPN_MASK) << 12;
}

/* A pointer to the next level: V alone. G/U/A/D must be clear here. */
static inline Pte arch_pte_table(uint64_t table_pa)
{
    return ((table_pa >> 12) << RV_PTE_PPN_SHIFT) | RV_PTE_V;
}

/* A and D are always set: hardware may fault instead of setting them.
 * VMM_NOCACHE has no PTE bit without Svpbmt (QEMU 7.2 virt lacks it);
 * the platform's PMAs make MMIO uncached. */
static inline Pte arch_pte_leaf(uint64_t pa, unsigned flags, int level)
{
    (void)level;
    Pte e = ((pa >> 12) << RV_PTE_PPN_SHIFT) | RV_PTE_V | RV_PTE_A | RV_PTE_D;
    if (flags & VMM_READ)
        e |= RV_PTE_R;
    if (flags & VMM_WRITE)
        e |= RV_PTE_W;
    if (flags & VMM_EXEC)
        e |= RV_PTE_X;
    if (flags & VMM_USER)
        e |= RV_PTE_U;
    if (flags & VMM_GLOBAL)
        e |= RV_PTE_G;
    return e;
}

static inline unsigned arch_pte_flags(Pte e, int level)
{
    unsigned flags = 0;
    (void)level;
    if (e & RV_PTE_R)
        flags |= VMM_READ;
    if (e & RV_PTE_W)
        flags |= VMM_WRITE;
    if (e & RV_PTE_X)
        flags |= VMM_EXEC;
    if (e & RV_PTE_U)
        flags |= VMM_USER;
    if (e & RV_PTE_G)
        flags |= VMM_GLOBAL;
    return flags;
}

/* Sv48 requires megapages and gigapages on every hart. */
static inline int arch_paging_max_leaf_level(void)
{
    return PT_MAX_LEAF_LEVEL;
}

#endif
