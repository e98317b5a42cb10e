/* Physical memory manager: free pages kept as a stack of runs, with two
 * bitmaps (owned, free) that catch bad and double frees. See docs/MemoryMap.md. */
#include <kstring.h>
#include <mm/direct_map.h>
#include <mm/pmm.h>

#define BITS_PER_WORD 64

static bool bit_get(const uint64_t *map, uint64_t i)
{
    return (map[i / BITS_PER_WORD] >> (i % BITS_PER_WORD)) & 1;
}

static void bit_set(uint64_t *map, uint64_t i)
{
    map[i / BITS_PER_WORD] |= 1ull << (i % BITS_PER_WORD);
}

static void bit_clear(uint64_t *map, uint64_t i)
{
    map[i / BITS_PER_WORD] &= ~(1ull << (i % BITS_PER_WORD));
}

/* Index of pa in the bitmaps, or false when pa lies outside the span. */
static bool pmm_page_index(const Pmm *p, uint64_t pa, uint64_t *index)
{
    uint64_t pfn = pa >> MM_PAGE_SHIFT;
    if (pfn < p->first_pfn || pfn - p->first_pfn >= p->span_pages)
        return false;
    *index = pfn - p->first_pfn;
    return true;
}

bool pmm_owns(const Pmm *p, uint64_t pa)
{
    uint64_t i;
    return mm_is_aligned(pa, MM_PAGE_SIZE) && pmm_page_index(p, pa, &i) && bit_get(p->managed, i);
}

/* Replaces the stack with the maximal free runs read from the free bitmap,
 * which merges runs the O(1) paths left apart. The capacity bound chosen in
 * pmm_init guarantees the runs fit. */
static void pmm_rebuild(Pmm *p)
{
    p->top = 0;
    uint64_t i = 0;
    while (i < p->span_pages) {
        if (i % BITS_PER_WORD == 0 && p->free_map[i / BITS_PER_WORD] == 0) {
            i += BITS_PER_WORD;
            continue;
        }
        if (!bit_get(p->free_map, i)) {
            i++;
            continue;
        }
        uint64_t start = i;
        while (i < p->span_pages && bit_get(p->free_map, i))
            i++;
        p->stack[p->top].base = (p->first_pfn + start) << MM_PAGE_SHIFT;
        p->stack[p->top].pages = i - start;
        p->top++;
    }
}

/* Records a run whose free bits are already set: merges with the top entry
 * when adjacent on either side, else pushes; a full stack is rebuilt from
 * the bitmap instead (the new run is already in it). */
static void pmm_push_run(Pmm *p, uint64_t base, uint64_t pages)
{
    if (p->top > 0) {
        PmmRegion *top = &p->stack[p->top - 1];
        if (base + pages * MM_PAGE_SIZE == top->base) {
            top->base = base;
            top->pages += pages;
            return;
        }
        if (top->base + top->pages * MM_PAGE_SIZE == base) {
            top->pages += pages;
            return;
        }
    }
    if (p->top == p->capacity) {
        pmm_rebuild(p);
        return;
    }
    p->stack[p->top].base = base;
    p->stack[p->top].pages = pages;
    p->top++;
}

/* Clips a boot region to whole pages at or above low; false when empty. */
static bool pmm_clip(const BootMemRegion *r, uint64_t low, uint64_t *base, uint64_t *end)
{
    if (r->type != BOOT_MEM_USABLE)
        return false;
    uint64_t b = r->base < low ? low : r->base;
    uint64_t e = r->base + r->length;
    b = mm_align_up(b, MM_PAGE_SIZE);
    e = mm_align_down(e, MM_PAGE_SIZE);
    if (b >= e)
        return false;
    *base = b;
    *end = e;
    return true;
}

/* First pass of pmm_init: checks the map and measures the usable span. */
static Error pmm_measure(const BootMemRegion *regions, size_t count, uint64_t low, uint64_t *lo,
                         uint64_t *hi, uint64_t *total, uint64_t *nregions)
{
    uint64_t prev_end = 0;
    *lo = UINT64_MAX;
    *hi = 0;
    *total = 0;
    *nregions = 0;
    for (size_t i = 0; i < count; i++) {
        const BootMemRegion *r = &regions[i];
        uint64_t end = r->base + r->length;
        if (end < r->base || r->base < prev_end)
            return E_INVAL;
        prev_end = end;
        uint64_t b, e;
        if (!pmm_clip(r, low, &b, &e))
            continue;
        if (b < *lo)
            *lo = b;
        *hi = e;
        *total += (e - b) >> MM_PAGE_SHIFT;
        (*nregions)++;
    }
    return *total == 0 ? E_NOMEM : E_OK;
}

Error pmm_init(Pmm *p, const BootMemRegion *regions, size_t count, uint64_t low_limit)
{
    uint64_t low = low_limit < MM_PAGE_SIZE ? MM_PAGE_SIZE : low_limit;
    uint64_t lo, hi, total, nregions;
    Error err = pmm_measure(regions, count, low, &lo, &hi, &total, &nregions);
    if (err != E_OK)
        return err;

    /* A run needs a used page after it, so a region of n pages holds at most
     * ceil(n / 2) maximal free runs: this bounds the stack after a rebuild. */
    uint64_t span = (hi - lo) >> MM_PAGE_SHIFT;
    uint64_t words = (span + BITS_PER_WORD - 1) / BITS_PER_WORD;
    uint64_t capacity = total / 2 + nregions + 2;
    uint64_t meta_bytes = capacity * sizeof(PmmRegion) + 2 * words * sizeof(uint64_t);
    uint64_t meta_pages = mm_align_up(meta_bytes, MM_PAGE_SIZE) >> MM_PAGE_SHIFT;

    uint64_t meta_base = 0;
    for (size_t i = 0; i < count && meta_base == 0; i++) {
        uint64_t b, e;
        if (pmm_clip(&regions[i], low, &b, &e) && (e - b) >> MM_PAGE_SHIFT >= meta_pages)
            meta_base = b;
    }
    if (meta_base == 0)
        return E_NOMEM;

    uint8_t *meta = phys_to_virt(meta_base);
    memset(meta, 0, meta_pages * MM_PAGE_SIZE);
    spin_init(&p->lock);
    p->stack = (PmmRegion *)meta;
    p->managed = (uint64_t *)(meta + capacity * sizeof(PmmRegion));
    p->free_map = p->managed + words;
    p->capacity = capacity;
    p->top = 0;
    p->first_pfn = lo >> MM_PAGE_SHIFT;
    p->span_pages = span;
    p->total_pages = total;
    p->free_pages = 0;
    p->meta_base = meta_base;
    p->meta_pages = meta_pages;

    uint64_t meta_end = meta_base + meta_pages * MM_PAGE_SIZE;
    for (size_t i = 0; i < count; i++) {
        uint64_t b, e;
        if (!pmm_clip(&regions[i], low, &b, &e))
            continue;
        if (b == meta_base)
            b = meta_end; /* the storage is never owned, so never freed */
        if (b == e)
            continue;
        for (uint64_t pa = b; pa < e; pa += MM_PAGE_SIZE) {
            bit_set(p->managed, (pa >> MM_PAGE_SHIFT) - p->first_pfn);
            bit_set(p->free_map, (pa >> MM_PAGE_SHIFT) - p->first_pfn);
        }
        p->free_pages += (e - b) >> MM_PAGE_SHIFT;
        pmm_push_run(p, b, (e - b) >> MM_PAGE_SHIFT);
    }
    return E_OK;
}

static Error pmm_alloc_page_locked(Pmm *p, uint64_t *pa_out)
{
    if (p->top == 0)
        return E_NOMEM;
    PmmRegion *top = &p->stack[p->top - 1];
    uint64_t pa = top->base;
    top->base += MM_PAGE_SIZE;
    if (--top->pages == 0)
        p->top--;
    bit_clear(p->free_map, (pa >> MM_PAGE_SHIFT) - p->first_pfn);
    p->free_pages--;
    *pa_out = pa;
    return E_OK;
}

/* Checks that [pa, pa + n pages) are owned, allocated pages. */
static Error pmm_check_allocated(const Pmm *p, uint64_t pa, uint64_t n)
{
    if (n == 0 || !mm_is_aligned(pa, MM_PAGE_SIZE) || n > p->span_pages)
        return E_INVAL;
    uint64_t first;
    if (!pmm_page_index(p, pa, &first) || first + n > p->span_pages)
        return E_INVAL;
    for (uint64_t i = first; i < first + n; i++) {
        if (!bit_get(p->managed, i) || bit_get(p->free_map, i))
            return E_INVAL;
    }
    return E_OK;
}

static Error pmm_free_pages_locked(Pmm *p, uint64_t pa, uint64_t n)
{
    Error err = pmm_check_allocated(p, pa, n);
    if (err != E_OK)
        return err;
    uint64_t first = (pa >> MM_PAGE_SHIFT) - p->first_pfn;
    for (uint64_t i = first; i < first + n; i++)
        bit_set(p->free_map, i);
    p->free_pages += n;
    pmm_push_run(p, pa, n);
    return E_OK;
}

Error pmm_alloc_page(Pmm *p, uint64_t *pa_out)
{
    unsigned long flags = spin_lock_irqsave(&p->lock);
    Error err = pmm_alloc_page_locked(p, pa_out);
    spin_unlock_irqrestore(&p->lock, flags);
    return err;
}

Error pmm_free_pages(Pmm *p, uint64_t pa, uint64_t n)
{
    unsigned long flags = spin_lock_irqsave(&p->lock);
    Error err = pmm_free_pages_locked(p, pa, n);
    spin_unlock_irqrestore(&p->lock, flags);
    return err;
}

Error pmm_free_page(Pmm *p, uint64_t pa)
{
    return pmm_free_pages(p, pa, 1);
}

/* First entry (from the top) holding at least n pages, or -1. */
static int64_t pmm_find_run(const Pmm *p, uint64_t n)
{
    for (uint64_t i = p->top; i > 0; i--) {
        if (p->stack[i - 1].pages >= n)
            return (int64_t)(i - 1);
    }
    return -1;
}

static Error pmm_alloc_pages_locked(Pmm *p, uint64_t n, uint64_t *pa_out)
{
    if (n == 0)
        return E_INVAL;
    if (n == 1)
        return pmm_alloc_page_locked(p, pa_out);
    int64_t slot = pmm_find_run(p, n);
    if (slot < 0) {
        pmm_rebuild(p); /* adjacent entries may add up to a long enough run */
        slot = pmm_find_run(p, n);
        if (slot < 0)
            return E_NOMEM;
    }
    /* Take the run's tail so the entry only shrinks; an emptied entry is
     * replaced by the top one. */
    PmmRegion *r = &p->stack[slot];
    r->pages -= n;
    uint64_t pa = r->base + r->pages * MM_PAGE_SIZE;
    if (r->pages == 0)
        *r = p->stack[--p->top];
    uint64_t first = (pa >> MM_PAGE_SHIFT) - p->first_pfn;
    for (uint64_t i = first; i < first + n; i++)
        bit_clear(p->free_map, i);
    p->free_pages -= n;
    *pa_out = pa;
    return E_OK;
}

Error pmm_alloc_pages(Pmm *p, uint64_t n, uint64_t *pa_out)
{
    unsigned long flags = spin_lock_irqsave(&p->lock);
    Error err = pmm_alloc_pages_locked(p, n, pa_out);
    spin_unlock_irqrestore(&p->lock, flags);
    return err;
}

void pmm_stats(const Pmm *p, PmmStats *out)
{
    out->total_pages = p->total_pages;
    out->free_pages = p->free_pages;
    out->used_pages = p->total_pages - p->free_pages;
    out->meta_pages = p->meta_pages;
}
