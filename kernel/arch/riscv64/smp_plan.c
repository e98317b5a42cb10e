/*
 * The pure parts of starting a riscv64 hart: trampoline page tables and the
 * CPU order (smp_plan.h).
 */
#include "smp_plan.h"

#define PTE_V         0x01ull
#define PTE_R         0x02ull
#define PTE_X         0x08ull
#define PTE_A         0x40ull
#define PTE_PPN_SHIFT 10
#define GIB           (1ull << 30)
#define TABLE_ENTRIES 512u
#define KERNEL_SLOT0  256u

static uint64_t pte_for(uint64_t pa, uint64_t flags)
{
    return ((pa >> 12) << PTE_PPN_SHIFT) | flags;
}

Error riscv_smp_trampoline_build(uint64_t *root, uint64_t *ident, const uint64_t *kernel_root,
                                 uint64_t ident_pa, uint64_t entry_pa)
{
    if ((ident_pa & 0xfff) != 0) {
        return E_ALIGN;
    }
    uint32_t slot = (uint32_t)(entry_pa >> 39) & (TABLE_ENTRIES - 1);
    if (slot >= KERNEL_SLOT0 || (entry_pa >> 48) != 0) {
        return E_RANGE;
    }
    for (uint32_t i = 0; i < TABLE_ENTRIES; i++) {
        root[i] = i >= KERNEL_SLOT0 ? kernel_root[i] : 0;
        ident[i] = 0;
    }
    root[slot] = pte_for(ident_pa, PTE_V);
    /* No G: the identity page belongs to the user half, and the hart
     * leaves these tables a few instructions after entering them. */
    uint64_t gib = entry_pa & ~(GIB - 1);
    ident[(entry_pa >> 30) & (TABLE_ENTRIES - 1)] = pte_for(gib, PTE_V | PTE_R | PTE_X | PTE_A);
    return E_OK;
}

uint32_t riscv_smp_order(const uint32_t *ids, uint32_t n, uint32_t boot_id, uint32_t *out,
                         uint32_t max)
{
    uint32_t count = 0;
    if (max == 0) {
        return 0;
    }
    out[count++] = boot_id;
    for (uint32_t i = 0; i < n && count < max; i++) {
        if (ids[i] != boot_id) {
            out[count++] = ids[i];
        }
    }
    return count;
}
