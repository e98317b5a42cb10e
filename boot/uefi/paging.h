/*
 * The x86_64 4-level page tables handed to the kernel: identity map and
 * direct map of physical memory, kernel segments at -2 GiB. Pure C over an
 * arena of pre-allocated pages, so host tests can build and walk them.
 */
#ifndef BOOT_UEFI_PAGING_H
#define BOOT_UEFI_PAGING_H

#include <anos/errors.h>
#include <stdint.h>

#define PAGING_DIRECT_MAP_BASE 0xFFFF800000000000ULL
/* 128 PML4 slots of 512 GiB each: keeps the direct map below the kernel. */
#define PAGING_MAX_PHYS (64ULL << 40)

#define PAGING_GIB (1ULL << 30)

/* Page table entry bits. */
#define PTE_P         (1ULL << 0)
#define PTE_W         (1ULL << 1)
#define PTE_PS        (1ULL << 7)
#define PTE_NX        (1ULL << 63)
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ULL

/* What paging_map_range is asked for; turned into PTE bits. */
#define PAGING_WRITE 1u
#define PAGING_EXEC  2u

/* Tables are carved from [mem, mem + pages * 4096), which sits at physical
 * mem_phys. Entries hold physical addresses; the loader runs identity
 * mapped, so there mem == mem_phys. */
typedef struct PageTables {
    uint8_t *mem;
    uint64_t mem_phys;
    uint64_t pages;
    uint64_t used;
    uint64_t root_phys; /* the PML4, for CR3 */
    int nx;             /* EFER.NXE is on: PTE_NX may be set */
} PageTables;

/* Upper bound of the arena pages the tables need. */
uint64_t paging_pages_needed(uint64_t phys_limit, int use_1g, uint64_t kernel_span);

/* Take the arena (4 KiB aligned) and allocate the PML4.
 * E_INVAL: bad arena; E_NOMEM: arena empty. */
Error paging_init(PageTables *pt, void *mem, uint64_t mem_phys, uint64_t pages, int nx);

/* Map physical [0, phys_limit rounded up to 1 GiB) twice, at 0 (identity,
 * executable, for the loader's last instructions) and at
 * PAGING_DIRECT_MAP_BASE (no-execute when pt->nx), both sharing the same
 * lower-level tables, with 1 GiB pages when use_1g, else 2 MiB pages.
 * E_RANGE: phys_limit is 0 or above PAGING_MAX_PHYS; E_EXIST: mapped
 * already; E_NOMEM: arena too small. */
Error paging_map_physical(PageTables *pt, uint64_t phys_limit, int use_1g);

/* Map [va, va + size) to [pa, ...) with 4 KiB pages; flags PAGING_*.
 * A page mapped twice to the same frame gets the union of the rights (two
 * segments sharing a page). E_ALIGN: va/pa/size not page aligned; E_RANGE:
 * va not canonical or the range wraps; E_EXIST: the page maps another
 * frame or lies under a large page; E_NOMEM: arena too small. */
Error paging_map_range(PageTables *pt, uint64_t va, uint64_t pa, uint64_t size, unsigned flags);

#endif
