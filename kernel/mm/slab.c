/* Slab allocator: one-page slabs with an in-page header, a free list through
 * the free objects and an allocation bitmap for catching bad frees. */
#include <kstring.h>
#include <mm/slab.h>

#define SLAB_MAGIC       0x534C4142u /* "SLAB" */
#define SLAB_ALIGN       16
#define SLAB_MAX_OBJECTS (MM_PAGE_SIZE / SLAB_ALIGN)
#define SLAB_CLASSES     8 /* 16, 32, ..., 2048 */

/* Lives at the start of its page. Objects follow at `first`. A free object
 * holds the next free object's address in its first word. */
struct SlabPage {
    uint32_t magic;
    uint32_t used;
    SlabPage *self; /* == this page: with magic, tells a slab from other fba pages */
    SlabCache *cache;
    SlabPage *prev;
    SlabPage *next;
    void *free_list;
    uintptr_t first;
    uint64_t allocated[SLAB_MAX_OBJECTS / 64]; /* bit i: object i is allocated */
};

#define SLAB_HEADER_SIZE ((sizeof(SlabPage) + SLAB_ALIGN - 1) & ~(size_t)(SLAB_ALIGN - 1))

static SlabCache slab_classes[SLAB_CLASSES];

static void slab_list_remove(SlabPage **list, SlabPage *s)
{
    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        *list = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    s->prev = s->next = NULL;
}

static void slab_list_push(SlabPage **list, SlabPage *s)
{
    s->prev = NULL;
    s->next = *list;
    if (*list != NULL)
        (*list)->prev = s;
    *list = s;
}

Error slab_cache_init(SlabCache *c, Fba *fba, size_t obj_size)
{
    if (obj_size == 0 || fba == NULL)
        return E_INVAL;
    size_t size = (obj_size + SLAB_ALIGN - 1) & ~(size_t)(SLAB_ALIGN - 1);
    if (size > MM_PAGE_SIZE - SLAB_HEADER_SIZE)
        return E_INVAL;
    c->fba = fba;
    c->obj_size = size;
    c->per_slab = (MM_PAGE_SIZE - SLAB_HEADER_SIZE) / size;
    c->partial = NULL;
    c->full = NULL;
    c->slabs = 0;
    c->in_use = 0;
    return E_OK;
}

static Error slab_grow(SlabCache *c)
{
    void *page;
    Error err = fba_alloc(c->fba, &page);
    if (err != E_OK)
        return err;
    SlabPage *s = page;
    memset(s, 0, sizeof(*s));
    s->magic = SLAB_MAGIC;
    s->self = s;
    s->cache = c;
    s->first = (uintptr_t)page + SLAB_HEADER_SIZE;
    /* Thread the free list in address order. */
    for (size_t i = c->per_slab; i > 0; i--) {
        void **obj = (void **)(s->first + (i - 1) * c->obj_size);
        *obj = s->free_list;
        s->free_list = obj;
    }
    slab_list_push(&c->partial, s);
    c->slabs++;
    return E_OK;
}

Error slab_cache_alloc(SlabCache *c, void **obj_out)
{
    if (c->partial == NULL) {
        Error err = slab_grow(c);
        if (err != E_OK)
            return err;
    }
    SlabPage *s = c->partial;
    void **obj = s->free_list;
    s->free_list = *obj;
    size_t i = ((uintptr_t)obj - s->first) / c->obj_size;
    s->allocated[i / 64] |= 1ull << (i % 64);
    s->used++;
    c->in_use++;
    if (s->used == c->per_slab) {
        slab_list_remove(&c->partial, s);
        slab_list_push(&c->full, s);
    }
    *obj_out = obj;
    return E_OK;
}

/* The slab holding ptr, checked without reading memory outside the fba's
 * allocated blocks; NULL when ptr cannot be an object of any slab. */
static SlabPage *slab_of(Fba *fba, const void *ptr)
{
    if (!fba_owns(fba, ptr))
        return NULL;
    SlabPage *s = (SlabPage *)((uintptr_t)ptr & ~(uintptr_t)MM_PAGE_MASK);
    if (s->magic != SLAB_MAGIC || s->self != s)
        return NULL;
    return s;
}

Error slab_cache_free(SlabCache *c, void *ptr)
{
    SlabPage *s = slab_of(c->fba, ptr);
    if (s == NULL || s->cache != c || (uintptr_t)ptr < s->first)
        return E_INVAL;
    uintptr_t off = (uintptr_t)ptr - s->first;
    size_t i = off / c->obj_size;
    if (off % c->obj_size != 0 || i >= c->per_slab || !((s->allocated[i / 64] >> (i % 64)) & 1))
        return E_INVAL;
    s->allocated[i / 64] &= ~(1ull << (i % 64));
    if (s->used == c->per_slab) {
        slab_list_remove(&c->full, s);
        slab_list_push(&c->partial, s);
    }
    s->used--;
    c->in_use--;
    if (s->used == 0) {
        slab_list_remove(&c->partial, s);
        s->magic = 0; /* a stale pointer into the freed page is no longer a slab */
        c->slabs--;
        return fba_free(c->fba, s);
    }
    *(void **)ptr = s->free_list;
    s->free_list = ptr;
    return E_OK;
}

Error slab_init(Fba *fba)
{
    for (size_t i = 0; i < SLAB_CLASSES; i++) {
        Error err = slab_cache_init(&slab_classes[i], fba, (size_t)SLAB_MIN_SIZE << i);
        if (err != E_OK)
            return err;
    }
    return E_OK;
}

Error slab_alloc(size_t size, void **obj_out)
{
    if (size == 0 || size > SLAB_MAX_SIZE)
        return E_INVAL;
    size_t i = 0;
    while (((size_t)SLAB_MIN_SIZE << i) < size)
        i++;
    return slab_cache_alloc(&slab_classes[i], obj_out);
}

Error slab_free(void *ptr)
{
    if (slab_classes[0].fba == NULL)
        return E_INVAL;
    SlabPage *s = slab_of(slab_classes[0].fba, ptr);
    if (s == NULL || s->cache < &slab_classes[0] || s->cache >= &slab_classes[SLAB_CLASSES])
        return E_INVAL;
    return slab_cache_free(s->cache, ptr);
}

size_t slab_pages_in_use(void)
{
    size_t n = 0;
    for (size_t i = 0; i < SLAB_CLASSES; i++)
        n += slab_classes[i].slabs;
    return n;
}
