/*
 * Physical-range objects. A mapping of a range holds a reference, so owned
 * pages are never returned while some process still maps them.
 */
#include <kstring.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <proc/phys_range.h>
#include <sched/kstack.h>

static void phys_range_destroy(KObject *obj)
{
    PhysRange *r = (PhysRange *)obj;
    if (r->owned) {
        pmm_free_pages(&mm_pmm, r->base, r->size / MM_PAGE_SIZE);
    }
    unsigned long flags = kmem_lock();
    slab_free(r);
    kmem_unlock(flags);
}

static Error phys_range_new(uint64_t base, uint64_t size, bool owned, bool device, PhysRange **out)
{
    if ((base | size) & (MM_PAGE_SIZE - 1)) {
        return E_ALIGN;
    }
    void *mem;
    unsigned long flags = kmem_lock();
    Error err = slab_alloc(sizeof(PhysRange), &mem);
    kmem_unlock(flags);
    if (err != E_OK) {
        return err;
    }
    PhysRange *r = mem;
    kobject_init(&r->obj, KOBJ_PHYS_RANGE, phys_range_destroy);
    r->base = base;
    r->size = size;
    r->owned = owned;
    r->device = device;
    *out = r;
    return E_OK;
}

Error phys_range_create(uint64_t base, uint64_t size, bool device, PhysRange **out)
{
    return phys_range_new(base, size, false, device, out);
}

Error phys_range_alloc(uint64_t pages, PhysRange **out)
{
    if (pages == 0) {
        return E_INVAL;
    }
    uint64_t pa;
    Error err = pmm_alloc_pages(&mm_pmm, pages, &pa);
    if (err != E_OK) {
        return err;
    }
    memset(phys_to_virt(pa), 0, pages * MM_PAGE_SIZE);
    err = phys_range_new(pa, pages * MM_PAGE_SIZE, true, false, out);
    if (err != E_OK) {
        pmm_free_pages(&mm_pmm, pa, pages);
    }
    return err;
}
