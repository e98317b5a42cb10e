/* Virtual memory manager: map, unmap and translate in any address space
 * (4-level tables on both arches), generic over arch/paging.h. */
#ifndef MM_VMM_H
#define MM_VMM_H

#include <anos/errors.h>
#include <mm/page.h>
#include <mm/vmm_flags.h>
#include <stdbool.h>
#include <stdint.h>

/* Where page-table pages come from (the PMM in the kernel; a test double in
 * host tests). alloc returns a page-aligned physical address reachable
 * through the direct map; the VMM zeroes it. */
typedef struct VmmTableAllocator {
    Error (*alloc)(void *ctx, uint64_t *pa_out);
    void (*free)(void *ctx, uint64_t pa);
    void *ctx;
} VmmTableAllocator;

/* Installs the page-table allocator (copied). Set once at boot by mm_init.
 * The VMM takes no lock: callers serialise changes to one address space
 * (kmem_lock for the kernel half, the process's memory mutex for a user
 * half, kernel/proc/vm.c). */
void vmm_set_table_allocator(const VmmTableAllocator *a);

/* Called by vmm_unmap_page after the local TLB flush, so that every other
 * CPU drops the translation (and, with walk_freed, cached walks through
 * freed tables) before the unmap returns. Installed by the SMP layer. */
typedef void (*VmmRemoteFlush)(uint64_t root, uint64_t va, bool walk_freed);
void vmm_set_remote_flush(VmmRemoteFlush fn);

/* Limits leaves to levels 0..level (0: 4 KiB only, 1: up to 2 MiB, 2: up
 * to 1 GiB); larger sizes then fail with E_INVAL and vmm_map_range avoids
 * them. mm_init sets it from arch_paging_max_leaf_level(). */
void vmm_set_max_leaf_level(int level);

/* A new, empty root table. */
Error vmm_root_create(uint64_t *root_out);

/* A new root for a user address space: lower half empty, upper half
 * sharing the kernel root's entries. Kernel-half root slots filled after
 * this call are not propagated (mm_init fills the ones it uses first). */
Error vmm_space_create(uint64_t kernel_root, uint64_t *root_out);

/* Frees every page table of the lower half and the root itself; mapped
 * frames are the caller's and stay allocated. The root must not be live. */
void vmm_space_destroy(uint64_t root);

/* As vmm_space_destroy, calling leaf(ctx, pa, size) for every leaf mapping
 * of the lower half first (the caller frees the frames it owns). No TLB
 * flush: the space must not be live on any CPU. */
typedef void (*VmmLeafFn)(void *ctx, uint64_t pa, uint64_t size);
void vmm_space_destroy_leaves(uint64_t root, VmmLeafFn leaf, void *ctx);

/*
 * Maps one page of `size` (MM_PAGE_SIZE, MM_SIZE_2M or MM_SIZE_1G) at va.
 * flags: VMM_* and must include VMM_READ. Errors, with nothing changed:
 *   E_INVAL unknown flags, no VMM_READ, or an unsupported size;
 *   E_ALIGN va or pa not aligned to size; E_RANGE va not canonical or pa
 *   beyond the physical limit; E_EXIST something is already mapped there;
 *   E_NOMEM a page table could not be allocated.
 */
Error vmm_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t size, unsigned flags);

static inline Error vmm_map_page(uint64_t root, uint64_t va, uint64_t pa, unsigned flags)
{
    return vmm_map(root, va, pa, MM_PAGE_SIZE, flags);
}

/* Removes the leaf mapping va (of any size; va must be its first byte,
 * else E_ALIGN), frees page tables left empty and flushes the TLB of this
 * CPU and, through the remote-flush hook, of every other CPU.
 * E_NOENT: nothing mapped; E_RANGE: va not canonical. */
Error vmm_unmap_page(uint64_t root, uint64_t va);

/* vmm_unmap_page without freeing the tables left empty: for a mapping
 * that comes back at the same place soon (an IPC buffer window), whose
 * tables stay until the address space goes. */
Error vmm_unmap_page_keep_tables(uint64_t root, uint64_t va);

/* Physical address and VMM_* flags of the mapping covering va (any offset).
 * E_NOENT: unmapped; E_RANGE: not canonical. flags_out may be NULL. */
Error vmm_translate(uint64_t root, uint64_t va, uint64_t *pa_out, unsigned *flags_out);

/* Maps [va, va + size) to [pa, pa + size). With `large`, uses 2 MiB and
 * 1 GiB leaves wherever va, pa and the remaining size allow. On error
 * nothing of the range stays mapped. size must be a page multiple and > 0. */
Error vmm_map_range(uint64_t root, uint64_t va, uint64_t pa, uint64_t size, unsigned flags,
                    bool large);

/* Unmaps every leaf in [va, va + size); holes are skipped. A large leaf
 * that sticks out of the range is E_ALIGN, found before anything changes.
 * E_NOENT when nothing in the range was mapped. */
Error vmm_unmap_range(uint64_t root, uint64_t va, uint64_t size);

/* As vmm_unmap_range, calling leaf(ctx, pa, size) for each leaf removed,
 * after its TLB flush (so the frame may be freed there). */
Error vmm_unmap_range_leaves(uint64_t root, uint64_t va, uint64_t size, VmmLeafFn leaf, void *ctx);

#endif
