/* Virtual memory manager: walks and edits 4-level page tables through the
 * direct map; the PTE format comes from arch/paging.h, TLB upkeep from arch/tlb.h. */
#include <arch/paging.h>
#include <arch/tlb.h>
#include <kstring.h>
#include <mm/direct_map.h>
#include <mm/vmm.h>
#include <stddef.h>

/* Invariant: no page table other than a root is ever left empty, so a walk
 * that finds a table knows it maps something, and pruning after a failed
 * map frees exactly the tables that map created. */

static VmmTableAllocator vmm_tables;

/* Deepest level allowed to hold a leaf (x86 CPUs without 1 GiB pages: 1). */
static int vmm_max_leaf = PT_MAX_LEAF_LEVEL;

/* Other CPUs' TLBs: installed by the SMP layer, NULL on one CPU. */
static VmmRemoteFlush vmm_remote_flush;

/* The tables on one va's path, root first. level is where the walk stopped:
 * at a leaf (leaf == true) or at a not-present entry. */
typedef struct VmmWalk {
    Pte *table[PT_LEVELS];
    int level;
    bool leaf;
} VmmWalk;

void vmm_set_table_allocator(const VmmTableAllocator *a)
{
    vmm_tables = *a;
}

void vmm_set_remote_flush(VmmRemoteFlush fn)
{
    vmm_remote_flush = fn;
}

void vmm_set_max_leaf_level(int level)
{
    vmm_max_leaf = level < 0 ? 0 : level > PT_MAX_LEAF_LEVEL ? PT_MAX_LEAF_LEVEL : level;
}

static Pte *vmm_table(uint64_t pa)
{
    return phys_to_virt(pa);
}

static Error vmm_alloc_table(uint64_t *pa_out)
{
    if (vmm_tables.alloc == NULL)
        return E_NOMEM;
    uint64_t pa;
    Error err = vmm_tables.alloc(vmm_tables.ctx, &pa);
    if (err != E_OK)
        return err;
    memset(vmm_table(pa), 0, MM_PAGE_SIZE);
    *pa_out = pa;
    return E_OK;
}

static void vmm_walk(uint64_t root, uint64_t va, VmmWalk *w)
{
    Pte *t = vmm_table(root);
    for (int l = PT_TOP_LEVEL; l >= 0; l--) {
        w->table[l] = t;
        Pte e = t[pt_index(va, l)];
        w->level = l;
        w->leaf = arch_pte_present(e) && (l == 0 || arch_pte_is_leaf(e, l));
        if (!arch_pte_present(e) || w->leaf)
            return;
        t = vmm_table(arch_pte_addr(e, l));
    }
}

static bool vmm_table_empty(const Pte *t)
{
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if (t[i] != 0)
            return false;
    }
    return true;
}

/* Frees the empty tables on va's path, bottom up, never the root. Returns
 * true when any was freed (the caller then flushes cached walks). */
static bool vmm_prune(uint64_t root, uint64_t va)
{
    VmmWalk w;
    vmm_walk(root, va, &w);
    bool freed = false;
    for (int l = w.level; l < PT_TOP_LEVEL; l++) {
        if (!vmm_table_empty(w.table[l]))
            break;
        Pte *parent = &w.table[l + 1][pt_index(va, l + 1)];
        uint64_t pa = arch_pte_addr(*parent, l + 1);
        *parent = 0;
        vmm_tables.free(vmm_tables.ctx, pa);
        freed = true;
    }
    return freed;
}

static int vmm_size_level(uint64_t size)
{
    for (int l = 0; l <= vmm_max_leaf; l++) {
        if (pt_level_size(l) == size)
            return l;
    }
    return -1;
}

/* va..va+size-1 canonical, in one half, without wrapping. */
static bool vmm_range_ok(uint64_t va, uint64_t size)
{
    uint64_t last = va + size - 1;
    return last >= va && arch_va_canonical(va) && arch_va_canonical(last) &&
           (va >> 63) == (last >> 63);
}

Error vmm_root_create(uint64_t *root_out)
{
    return vmm_alloc_table(root_out);
}

Error vmm_space_create(uint64_t kernel_root, uint64_t *root_out)
{
    uint64_t root;
    Error err = vmm_alloc_table(&root);
    if (err != E_OK)
        return err;
    const Pte *kernel = vmm_table(kernel_root);
    Pte *t = vmm_table(root);
    for (unsigned i = PT_KERNEL_HALF_FIRST; i < PT_ENTRIES; i++)
        t[i] = kernel[i];
    *root_out = root;
    return E_OK;
}

/* Frees the table that entry e (present, not a leaf, at `level` >= 1)
 * points at and every table below it, telling leaf (when not NULL) about
 * each leaf mapping on the way. Empty entries cost one load and a test:
 * process teardown scans whole tables. */
static void vmm_free_subtree(Pte e, int level, VmmLeafFn leaf, void *ctx)
{
    uint64_t child = arch_pte_addr(e, level);
    if (level > 1 || leaf != NULL) {
        const Pte *t = vmm_table(child);
        for (unsigned i = 0; i < PT_ENTRIES; i++) {
            Pte c = t[i];
            if (!arch_pte_present(c))
                continue;
            if (level == 1 || arch_pte_is_leaf(c, level - 1)) {
                if (leaf != NULL)
                    leaf(ctx, arch_pte_addr(c, level - 1), pt_level_size(level - 1));
            } else {
                vmm_free_subtree(c, level - 1, leaf, ctx);
            }
        }
    }
    vmm_tables.free(vmm_tables.ctx, child);
}

void vmm_space_destroy_leaves(uint64_t root, VmmLeafFn leaf, void *ctx)
{
    const Pte *t = vmm_table(root);
    for (unsigned i = 0; i < PT_KERNEL_HALF_FIRST; i++) {
        Pte e = t[i];
        if (!arch_pte_present(e))
            continue;
        if (arch_pte_is_leaf(e, PT_TOP_LEVEL)) {
            if (leaf != NULL)
                leaf(ctx, arch_pte_addr(e, PT_TOP_LEVEL), pt_level_size(PT_TOP_LEVEL));
        } else {
            vmm_free_subtree(e, PT_TOP_LEVEL, leaf, ctx);
        }
    }
    vmm_tables.free(vmm_tables.ctx, root);
}

void vmm_space_destroy(uint64_t root)
{
    vmm_space_destroy_leaves(root, NULL, NULL);
}

Error vmm_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t size, unsigned flags)
{
    int level = vmm_size_level(size);
    if (level < 0 || (flags & ~VMM_FLAGS_ALL) != 0 || (flags & VMM_READ) == 0)
        return E_INVAL;
    if (!arch_va_canonical(va) || pa >= ARCH_PHYS_ADDR_LIMIT || ARCH_PHYS_ADDR_LIMIT - pa < size)
        return E_RANGE;
    if (!mm_is_aligned(va, size) || !mm_is_aligned(pa, size))
        return E_ALIGN;

    Pte *t = vmm_table(root);
    Error err = E_OK;
    for (int l = PT_TOP_LEVEL; l > level; l--) {
        Pte *e = &t[pt_index(va, l)];
        if (!arch_pte_present(*e)) {
            uint64_t table;
            err = vmm_alloc_table(&table);
            if (err != E_OK)
                goto undo;
            *e = arch_pte_table(table);
        } else if (arch_pte_is_leaf(*e, l)) {
            return E_EXIST; /* a larger page covers va; nothing was created */
        }
        t = vmm_table(arch_pte_addr(*e, l));
    }
    Pte *e = &t[pt_index(va, level)];
    if (arch_pte_present(*e))
        return E_EXIST; /* a leaf or a non-empty table; tables already existed */
    *e = arch_pte_leaf(pa, flags, level);
    arch_tlb_flush_new(va);
    return E_OK;

undo:
    vmm_prune(root, va);
    return err;
}

Error vmm_translate(uint64_t root, uint64_t va, uint64_t *pa_out, unsigned *flags_out)
{
    if (!arch_va_canonical(va))
        return E_RANGE;
    VmmWalk w;
    vmm_walk(root, va, &w);
    if (!w.leaf)
        return E_NOENT;
    Pte e = w.table[w.level][pt_index(va, w.level)];
    *pa_out = arch_pte_addr(e, w.level) + (va & (pt_level_size(w.level) - 1));
    if (flags_out != NULL)
        *flags_out = arch_pte_flags(e, w.level);
    return E_OK;
}

/* vmm_unmap_page, pruning empty tables or not. */
static Error vmm_unmap_leaf(uint64_t root, uint64_t va, bool prune)
{
    if (!arch_va_canonical(va))
        return E_RANGE;
    VmmWalk w;
    vmm_walk(root, va, &w);
    if (!w.leaf)
        return E_NOENT;
    if (!mm_is_aligned(va, pt_level_size(w.level)))
        return E_ALIGN;
    w.table[w.level][pt_index(va, w.level)] = 0;
    arch_tlb_flush_page(va);
    bool pruned = prune && vmm_prune(root, va);
    if (pruned)
        arch_tlb_flush_walk(va);
    if (vmm_remote_flush)
        vmm_remote_flush(root, va, pruned);
    return E_OK;
}

Error vmm_unmap_page(uint64_t root, uint64_t va)
{
    return vmm_unmap_leaf(root, va, true);
}

Error vmm_unmap_page_keep_tables(uint64_t root, uint64_t va)
{
    return vmm_unmap_leaf(root, va, false);
}

Error vmm_map_range(uint64_t root, uint64_t va, uint64_t pa, uint64_t size, unsigned flags,
                    bool large)
{
    if (size == 0)
        return E_INVAL;
    if (!mm_is_aligned(va | pa | size, MM_PAGE_SIZE))
        return E_ALIGN;
    if (!vmm_range_ok(va, size) || pa >= ARCH_PHYS_ADDR_LIMIT || ARCH_PHYS_ADDR_LIMIT - pa < size)
        return E_RANGE;
    uint64_t done = 0;
    while (done < size) {
        uint64_t step = MM_PAGE_SIZE;
        for (int l = large ? vmm_max_leaf : 0; l > 0; l--) {
            uint64_t s = pt_level_size(l);
            if (mm_is_aligned(va + done, s) && mm_is_aligned(pa + done, s) && size - done >= s) {
                step = s;
                break;
            }
        }
        Error err = vmm_map(root, va + done, pa + done, step, flags);
        if (err != E_OK) {
            if (done > 0)
                vmm_unmap_range(root, va, done);
            return err;
        }
        done += step;
    }
    return E_OK;
}

/* Visits the leaves in [va, va + size): checks that each lies wholly inside
 * (E_ALIGN otherwise) or, with apply, unmaps it. Holes are skipped a whole
 * missing table at a time. Sets *found when any leaf was seen. */
static Error vmm_scan_range(uint64_t root, uint64_t va, uint64_t size, bool apply, bool *found,
                            VmmLeafFn leaf, void *ctx)
{
    uint64_t off = 0;
    while (off < size) {
        uint64_t addr = va + off;
        VmmWalk w;
        vmm_walk(root, addr, &w);
        uint64_t lsize = pt_level_size(w.level);
        uint64_t start = mm_align_down(addr, lsize);
        if (w.leaf) {
            if (start < va || start - va + lsize > size)
                return E_ALIGN;
            *found = true;
            if (apply) {
                uint64_t pa = arch_pte_addr(w.table[w.level][pt_index(start, w.level)], w.level);
                vmm_unmap_page(root, start);
                if (leaf != NULL)
                    leaf(ctx, pa, lsize);
            }
        }
        uint64_t next = start + lsize;
        if (next == 0)
            break; /* reached the top of the address space */
        off = next - va;
    }
    return E_OK;
}

Error vmm_unmap_range_leaves(uint64_t root, uint64_t va, uint64_t size, VmmLeafFn leaf, void *ctx)
{
    if (size == 0)
        return E_INVAL;
    if (!mm_is_aligned(va | size, MM_PAGE_SIZE))
        return E_ALIGN;
    if (!vmm_range_ok(va, size))
        return E_RANGE;
    bool found = false;
    Error err = vmm_scan_range(root, va, size, false, &found, NULL, NULL);
    if (err != E_OK)
        return err;
    if (!found)
        return E_NOENT;
    return vmm_scan_range(root, va, size, true, &found, leaf, ctx);
}

Error vmm_unmap_range(uint64_t root, uint64_t va, uint64_t size)
{
    return vmm_unmap_range_leaves(root, va, size, NULL, NULL);
}
