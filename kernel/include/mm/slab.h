/* Slab allocator for small kernel objects: caches of one object size, each
 * slab one page from the fixed-block allocator; generic power-of-two classes
 * 16..2048 behind slab_alloc / slab_free. */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <anos/errors.h>
#include <mm/fba.h>
#include <stddef.h>
#include <stdint.h>

#define SLAB_MIN_SIZE 16
#define SLAB_MAX_SIZE 2048

typedef struct SlabPage SlabPage;

/* Objects of one size. Slabs with a free object are on `partial`, full ones
 * on `full`; a slab that becomes empty goes back to the fba at once.
 * TODO(smp): a spinlock per cache, held by alloc and free. */
typedef struct SlabCache {
    Fba *fba;
    size_t obj_size; /* a multiple of 16 */
    size_t per_slab;
    SlabPage *partial;
    SlabPage *full;
    size_t slabs;
    size_t in_use;
} SlabCache;

/* E_INVAL: size 0 or too large for a page with its header. */
Error slab_cache_init(SlabCache *c, Fba *fba, size_t obj_size);

/* Objects are 16-byte aligned and not zeroed. E_NOMEM: no page for a slab. */
Error slab_cache_alloc(SlabCache *c, void **obj_out);

/* E_INVAL: ptr is not an allocated object of this cache (wrong cache,
 * not a slab page, inside an object, or already free). */
Error slab_cache_free(SlabCache *c, void *ptr);

/* Sets up the generic size classes over fba; call once before slab_alloc
 * (host tests call it again to start afresh). */
Error slab_init(Fba *fba);

/* The smallest class >= size. E_INVAL: size 0 or > SLAB_MAX_SIZE;
 * E_NOMEM: out of slab pages. */
Error slab_alloc(size_t size, void **obj_out);

/* Frees an object from slab_alloc; E_INVAL for anything else, including
 * double frees and pointers outside the slab area. */
Error slab_free(void *ptr);

/* Slab pages the generic classes hold (for self-tests and statistics). */
size_t slab_pages_in_use(void);

#endif
