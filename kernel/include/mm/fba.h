/* Fixed-block allocator: page-sized blocks from one preallocated area, with
 * an allocation bitmap that catches bad and double frees. */
#ifndef MM_FBA_H
#define MM_FBA_H

#include <anos/errors.h>
#include <mm/page.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The area's first blocks hold the bitmap (bit set = block allocated); the
 * rest are handed out. Blocks are not zeroed.
 * TODO(smp): a spinlock here, held by every fba_* call that changes state.
 */
typedef struct Fba {
    uintptr_t base; /* first block, page-aligned */
    size_t blocks;  /* blocks after the bitmap */
    size_t free_blocks;
    size_t hint; /* where the next search starts: blocks below it were taken */
    uint64_t *bitmap;
} Fba;

/* Takes over [area, area + pages * MM_PAGE_SIZE). E_ALIGN: area not page
 * aligned; E_INVAL: NULL area, or too small for the bitmap plus one block. */
Error fba_init(Fba *f, void *area, size_t pages);

/* E_NOMEM when every block is taken. */
Error fba_alloc(Fba *f, void **block_out);

/* E_INVAL: not a block of this area, not block-aligned, or not allocated. */
Error fba_free(Fba *f, void *block);

/* True when p points into an allocated block of this area (any offset). */
bool fba_owns(const Fba *f, const void *p);

static inline size_t fba_free_count(const Fba *f)
{
    return f->free_blocks;
}

#endif
