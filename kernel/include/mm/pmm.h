/* Physical memory manager: a stack of run-length-encoded free regions
 * (base, page count) with O(1) single-page allocation and free. */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <mm/page.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A run of free pages [base, base + pages * MM_PAGE_SIZE). */
typedef struct PmmRegion {
    uint64_t base;
    uint64_t pages;
} PmmRegion;

typedef struct PmmStats {
    uint64_t total_pages; /* usable pages at or above the low limit, meta included */
    uint64_t free_pages;
    uint64_t used_pages; /* total - free: allocated plus meta */
    uint64_t meta_pages; /* the PMM's own storage: region stack and bitmaps */
} PmmStats;

/*
 * All PMM state. Invariants between calls:
 *   - every page with its free bit set appears in exactly one stack entry,
 *     and every stack entry covers only free pages;
 *   - free bits are only ever set on managed pages;
 *   - free_pages == number of set free bits.
 * The stack may hold adjacent runs as separate entries; pmm_alloc_pages and
 * a full stack rebuild it from the free bitmap, which merges them.
 *
 * `lock` protects everything below it: every pmm_* call that changes the
 * state takes it with interrupts off, so the PMM may be used from any CPU
 * and from interrupt handlers. pmm_stats reads without it (a snapshot).
 */
typedef struct Pmm {
    Spinlock lock;
    PmmRegion *stack; /* stack[top - 1] is the top; lives in the direct map */
    uint64_t capacity;
    uint64_t top;
    uint64_t *managed;  /* bit i: page first_pfn + i is usable RAM the PMM hands out */
    uint64_t *free_map; /* bit i: page first_pfn + i is free */
    uint64_t first_pfn;
    uint64_t span_pages; /* pages covered by the bitmaps */
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t meta_base; /* physical address of the PMM's own storage */
    uint64_t meta_pages;
} Pmm;

/* Builds the PMM from a boot memory map (sorted, non-overlapping). Only
 * BOOT_MEM_USABLE at or above low_limit (rounded up, at least one page so
 * physical 0 is never handed out) becomes free; the PMM's storage is carved
 * from the first usable region large enough. Usable regions are trimmed to
 * whole pages. E_INVAL: unsorted or overlapping map; E_NOMEM: no usable
 * memory, or none large enough for the storage. */
Error pmm_init(Pmm *p, const BootMemRegion *regions, size_t count, uint64_t low_limit);

/* O(1). E_NOMEM when no page is free. */
Error pmm_alloc_page(Pmm *p, uint64_t *pa_out);

/* O(1). E_INVAL: misaligned, not usable RAM the PMM owns, or already free. */
Error pmm_free_page(Pmm *p, uint64_t pa);

/* n physically contiguous pages (for DMA). E_INVAL: n == 0; E_NOMEM: no
 * free run is long enough. */
Error pmm_alloc_pages(Pmm *p, uint64_t n, uint64_t *pa_out);

/* Frees n contiguous pages; checks them all before changing anything
 * (same errors as pmm_free_page; n == 0 is E_INVAL). */
Error pmm_free_pages(Pmm *p, uint64_t pa, uint64_t n);

/* True when pa is a usable page the PMM hands out (free or allocated);
 * false for its own storage. */
bool pmm_owns(const Pmm *p, uint64_t pa);

void pmm_stats(const Pmm *p, PmmStats *out);

#endif
