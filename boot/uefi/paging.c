/*
 * Building the hand-over page tables. Intermediate entries are present and
 * writable; rights are decided at the leaves, except that the direct map's
 * PML4 slots carry NX so that the shared tables stay executable through the
 * identity map.
 */
#include "paging.h"

#define PAGE       4096ULL
#define ENTRIES    512
#define PML4_SHIFT 39
#define PDPT_SHIFT 30
#define PD_SHIFT   21
#define PT_SHIFT   12

static uint64_t *table_at(PageTables *pt, uint64_t phys)
{
    return (uint64_t *)(pt->mem + (phys - pt->mem_phys));
}

static Error alloc_table(PageTables *pt, uint64_t *phys)
{
    if (pt->used >= pt->pages)
        return E_NOMEM;
    *phys = pt->mem_phys + pt->used * PAGE;
    __builtin_memset(pt->mem + pt->used * PAGE, 0, PAGE);
    pt->used++;
    return E_OK;
}

uint64_t paging_pages_needed(uint64_t phys_limit, int use_1g, uint64_t kernel_span)
{
    uint64_t gib = (phys_limit + PAGING_GIB - 1) / PAGING_GIB;
    uint64_t n = 1 + (gib + ENTRIES - 1) / ENTRIES;
    if (!use_1g)
        n += gib;
    n += 1 + (kernel_span >> PDPT_SHIFT) + 2 + (kernel_span >> PD_SHIFT) + 2;
    return n;
}

Error paging_init(PageTables *pt, void *mem, uint64_t mem_phys, uint64_t pages, int nx)
{
    if (!pt || !mem || (mem_phys & (PAGE - 1)) || ((uintptr_t)mem & (PAGE - 1)))
        return E_INVAL;
    *pt = (PageTables){.mem = mem, .mem_phys = mem_phys, .pages = pages, .nx = nx};
    return alloc_table(pt, &pt->root_phys);
}

/* One PDPT covering physical [first_gib, first_gib + 512) GiB, up to gibs. */
static Error fill_pdpt(PageTables *pt, uint64_t pdpt, uint64_t first_gib, uint64_t gibs, int use_1g)
{
    uint64_t *t = table_at(pt, pdpt);
    for (uint64_t j = 0; j < ENTRIES && first_gib + j < gibs; j++) {
        uint64_t base = (first_gib + j) << PDPT_SHIFT;
        if (use_1g) {
            t[j] = base | PTE_P | PTE_W | PTE_PS;
            continue;
        }
        uint64_t pd;
        Error err = alloc_table(pt, &pd);
        if (err != E_OK)
            return err;
        uint64_t *d = table_at(pt, pd);
        for (uint64_t k = 0; k < ENTRIES; k++)
            d[k] = (base + (k << PD_SHIFT)) | PTE_P | PTE_W | PTE_PS;
        t[j] = pd | PTE_P | PTE_W;
    }
    return E_OK;
}

Error paging_map_physical(PageTables *pt, uint64_t phys_limit, int use_1g)
{
    if (phys_limit == 0 || phys_limit > PAGING_MAX_PHYS)
        return E_RANGE;
    uint64_t *pml4 = table_at(pt, pt->root_phys);
    uint64_t direct = (PAGING_DIRECT_MAP_BASE >> PML4_SHIFT) & (ENTRIES - 1);
    if (pml4[0] & PTE_P || pml4[direct] & PTE_P)
        return E_EXIST;

    uint64_t gibs = (phys_limit + PAGING_GIB - 1) / PAGING_GIB;
    for (uint64_t i = 0; i * ENTRIES < gibs; i++) {
        uint64_t pdpt;
        Error err = alloc_table(pt, &pdpt);
        if (err == E_OK)
            err = fill_pdpt(pt, pdpt, i * ENTRIES, gibs, use_1g);
        if (err != E_OK)
            return err;
        pml4[i] = pdpt | PTE_P | PTE_W;
        pml4[direct + i] = pdpt | PTE_P | PTE_W | (pt->nx ? PTE_NX : 0);
    }
    return E_OK;
}

/* The table entry at `shift` for va, allocating the next level if absent. */
static Error next_table(PageTables *pt, uint64_t table, uint64_t va, int shift, uint64_t *next)
{
    uint64_t *e = &table_at(pt, table)[(va >> shift) & (ENTRIES - 1)];
    if (*e & PTE_P) {
        if (*e & PTE_PS)
            return E_EXIST;
        *next = *e & PTE_ADDR_MASK;
        return E_OK;
    }
    Error err = alloc_table(pt, next);
    if (err == E_OK)
        *e = *next | PTE_P | PTE_W;
    return err;
}

static Error map_page(PageTables *pt, uint64_t va, uint64_t pa, unsigned flags)
{
    uint64_t t = pt->root_phys;
    static const int shifts[] = {PML4_SHIFT, PDPT_SHIFT, PD_SHIFT};
    for (int level = 0; level < 3; level++) {
        Error err = next_table(pt, t, va, shifts[level], &t);
        if (err != E_OK)
            return err;
    }
    uint64_t *e = &table_at(pt, t)[(va >> PT_SHIFT) & (ENTRIES - 1)];
    uint64_t want = pa | PTE_P | ((flags & PAGING_WRITE) ? PTE_W : 0) |
                    ((pt->nx && !(flags & PAGING_EXEC)) ? PTE_NX : 0);
    if (!(*e & PTE_P)) {
        *e = want;
        return E_OK;
    }
    if ((*e & PTE_ADDR_MASK) != pa)
        return E_EXIST;
    /* Shared page: writable if either wants it, executable if either does. */
    *e = (*e | (want & PTE_W)) & ~(PTE_NX & ~want);
    return E_OK;
}

static int canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1FFFF;
}

Error paging_map_range(PageTables *pt, uint64_t va, uint64_t pa, uint64_t size, unsigned flags)
{
    if ((va | pa | size) & (PAGE - 1))
        return E_ALIGN;
    if (size == 0)
        return E_OK;
    if (va + size - 1 < va || pa + size - 1 < pa || pa + size - 1 > (PTE_ADDR_MASK | (PAGE - 1)) ||
        !canonical(va) || !canonical(va + size - 1) || (va >> 47) != ((va + size - 1) >> 47))
        return E_RANGE;
    for (uint64_t off = 0; off < size; off += PAGE) {
        Error err = map_page(pt, va + off, pa + off, flags);
        if (err != E_OK)
            return err;
    }
    return E_OK;
}
