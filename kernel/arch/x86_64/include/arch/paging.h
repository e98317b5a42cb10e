/* x86_64 4-level paging: PTE bits and the helpers kernel/mm/vmm.c uses to
 * build, read and convert entries (Intel SDM vol. 3, chapter 4.5). */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <mm/paging_common.h>
#include <mm/vmm_flags.h>
#include <stdbool.h>
#include <stdint.h>

/* Table geometry (levels, indices, canonical addresses) is in
 * mm/paging_common.h; levels 0..3 are the PT, PD, PDPT and PML4. */

/* Highest physical address a PTE can hold (MAXPHYADDR = 52 at most). */
#define ARCH_PHYS_ADDR_LIMIT (1ull << 52)

/* Policy: the PMM leaves physical memory below 1 MiB alone (BIOS data, the
 * AP start trampoline, which uses a USABLE page there of its own choosing). */
#define ARCH_PMM_LOW_LIMIT 0x100000ull

#define X86_PTE_P    (1ull << 0)
#define X86_PTE_RW   (1ull << 1)
#define X86_PTE_US   (1ull << 2)
#define X86_PTE_PWT  (1ull << 3)
#define X86_PTE_PCD  (1ull << 4)
#define X86_PTE_A    (1ull << 5)
#define X86_PTE_D    (1ull << 6)
#define X86_PTE_PS   (1ull << 7) /* in PD/PDPT entries: this is a 2 MiB / 1 GiB leaf */
#define X86_PTE_G    (1ull << 8)
#define X86_PTE_NX   (1ull << 63)
#define X86_PTE_ADDR 0x000FFFFFFFFFF000ull

static inline bool arch_pte_present(Pte e)
{
    return (e & X86_PTE_P) != 0;
}

/* A present entry is a leaf at level 0, or with PS at levels 1 and 2. */
static inline bool arch_pte_is_leaf(Pte e, int level)
{
    return level == 0 || (e & X86_PTE_PS) != 0;
}

/* Physical address an entry points at. Large leaves keep PAT in bit 12,
 * so the mask drops the bits below the page size. */
static inline uint64_t arch_pte_addr(Pte e, int level)
{
    uint64_t mask = X86_PTE_ADDR;
    if (level > 0 && (e & X86_PTE_PS))
        mask &= ~(pt_level_size(level) - 1);
    return e & mask;
}

/* Intermediate entries allow everything; the leaf decides. */
static inline Pte arch_pte_table(uint64_t table_pa)
{
    return (table_pa & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_RW | X86_PTE_US;
}

/* x86 cannot express a present page that is not readable: VMM_READ is
 * implied by P (the VMM insists callers pass it anyway). */
static inline Pte arch_pte_leaf(uint64_t pa, unsigned flags, int level)
{
    Pte e = (pa & X86_PTE_ADDR) | X86_PTE_P;
    if (level > 0)
        e |= X86_PTE_PS;
    if (flags & VMM_WRITE)
        e |= X86_PTE_RW;
    if (flags & VMM_USER)
        e |= X86_PTE_US;
    if (flags & VMM_GLOBAL)
        e |= X86_PTE_G;
    if (flags & VMM_NOCACHE)
        e |= X86_PTE_PCD | X86_PTE_PWT;
    if (!(flags & VMM_EXEC))
        e |= X86_PTE_NX;
    return e;
}

static inline unsigned arch_pte_flags(Pte e, int level)
{
    unsigned flags = VMM_READ;
    (void)level;
    if (e & X86_PTE_RW)
        flags |= VMM_WRITE;
    if (e & X86_PTE_US)
        flags |= VMM_USER;
    if (e & X86_PTE_G)
        flags |= VMM_GLOBAL;
    if (e & X86_PTE_PCD)
        flags |= VMM_NOCACHE;
    if (!(e & X86_PTE_NX))
        flags |= VMM_EXEC;
    return flags;
}

/* Deepest level that may hold a leaf on this CPU: 1 GiB pages need
 * CPUID.80000001H:EDX.Page1GB[bit 26] (QEMU's Haswell models lack it). */
static inline int arch_paging_max_leaf_level(void)
{
    uint32_t eax = 0x80000001u, ebx, ecx = 0, edx;
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
    return (edx & (1u << 26)) ? 2 : 1;
}

#endif
