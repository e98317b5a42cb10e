/* Fixed-block allocator: a bitmap over an area of page-sized blocks, with a
 * search hint so runs of allocations stay cheap. */
#include <kstring.h>
#include <mm/fba.h>

#define BITS_PER_WORD 64
#define BITS_PER_PAGE (MM_PAGE_SIZE * 8)

Error fba_init(Fba *f, void *area, size_t pages)
{
    if (area == NULL)
        return E_INVAL;
    if (!mm_is_aligned((uintptr_t)area, MM_PAGE_SIZE))
        return E_ALIGN;
    /* One bitmap page covers 32768 blocks, itself included. */
    size_t map_pages = (pages + BITS_PER_PAGE - 1) / BITS_PER_PAGE;
    if (pages <= map_pages)
        return E_INVAL;
    memset(area, 0, map_pages * MM_PAGE_SIZE);
    f->bitmap = area;
    f->base = (uintptr_t)area + map_pages * MM_PAGE_SIZE;
    f->blocks = pages - map_pages;
    f->free_blocks = f->blocks;
    f->hint = 0;
    return E_OK;
}

Error fba_alloc(Fba *f, void **block_out)
{
    if (f->free_blocks == 0)
        return E_NOMEM;
    /* Every block below hint is taken, so the search starts there; a free
     * block exists, so it ends before blocks. */
    size_t i = f->hint;
    for (;;) {
        uint64_t word = f->bitmap[i / BITS_PER_WORD];
        if (i % BITS_PER_WORD == 0 && word == UINT64_MAX) {
            i += BITS_PER_WORD;
            continue;
        }
        if (!((word >> (i % BITS_PER_WORD)) & 1))
            break;
        i++;
    }
    f->bitmap[i / BITS_PER_WORD] |= 1ull << (i % BITS_PER_WORD);
    f->free_blocks--;
    f->hint = i + 1;
    *block_out = (void *)(f->base + i * MM_PAGE_SIZE);
    return E_OK;
}

/* Block index of p (any offset), or false when p is outside the area. */
static bool fba_index(const Fba *f, const void *p, size_t *index)
{
    uintptr_t a = (uintptr_t)p;
    if (a < f->base || (a - f->base) / MM_PAGE_SIZE >= f->blocks)
        return false;
    *index = (a - f->base) / MM_PAGE_SIZE;
    return true;
}

static bool fba_taken(const Fba *f, size_t i)
{
    return (f->bitmap[i / BITS_PER_WORD] >> (i % BITS_PER_WORD)) & 1;
}

bool fba_owns(const Fba *f, const void *p)
{
    size_t i;
    return fba_index(f, p, &i) && fba_taken(f, i);
}

Error fba_free(Fba *f, void *block)
{
    size_t i;
    if (!mm_is_aligned((uintptr_t)block, MM_PAGE_SIZE) || !fba_index(f, block, &i) ||
        !fba_taken(f, i))
        return E_INVAL;
    f->bitmap[i / BITS_PER_WORD] &= ~(1ull << (i % BITS_PER_WORD));
    f->free_blocks++;
    if (i < f->hint)
        f->hint = i;
    return E_OK;
}
