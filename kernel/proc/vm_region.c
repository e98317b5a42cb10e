/*
 * The region set of an address space: a small sorted array, searched
 * linearly (a process has a handful of regions). Pure, so host tests can
 * drive it without page tables.
 */
#include <anos/syscall.h>
#include <proc/vm.h>
#include <stddef.h>

#define VM_PAGE 4096ull

const VmRegion *vm_region_find(const VmRegionSet *s, uint64_t addr)
{
    for (uint32_t i = 0; i < s->count; i++) {
        const VmRegion *r = &s->regions[i];
        if (addr >= r->base && addr - r->base < r->size) {
            return r;
        }
    }
    return NULL;
}

Error vm_region_add(VmRegionSet *s, uint64_t base, uint64_t size, VmRegionKind kind, unsigned prot,
                    uint64_t user_min, uint64_t user_top)
{
    if ((base | size) & (VM_PAGE - 1)) {
        return E_ALIGN;
    }
    if (size == 0 || base < user_min || base >= user_top || size > user_top - base) {
        return E_RANGE;
    }
    uint32_t pos = 0;
    while (pos < s->count && s->regions[pos].base < base) {
        pos++;
    }
    /* Only the neighbours can overlap a sorted, disjoint set. */
    if (pos > 0) {
        const VmRegion *prev = &s->regions[pos - 1];
        if (prev->base + prev->size > base) {
            return E_EXIST;
        }
    }
    if (pos < s->count && base + size > s->regions[pos].base) {
        return E_EXIST;
    }
    if (s->count == VM_MAX_REGIONS) {
        return E_NOMEM;
    }
    for (uint32_t i = s->count; i > pos; i--) {
        s->regions[i] = s->regions[i - 1];
    }
    s->regions[pos] = (VmRegion){.base = base, .size = size, .kind = kind, .prot = (uint8_t)prot};
    s->count++;
    return E_OK;
}

Error vm_region_remove(VmRegionSet *s, uint64_t base, uint64_t size, VmRegion *removed)
{
    for (uint32_t i = 0; i < s->count; i++) {
        if (s->regions[i].base == base && s->regions[i].size == size) {
            if (removed != NULL) {
                *removed = s->regions[i];
            }
            for (uint32_t j = i; j + 1 < s->count; j++) {
                s->regions[j] = s->regions[j + 1];
            }
            s->count--;
            return E_OK;
        }
    }
    return E_NOENT;
}

Error vm_region_find_gap(const VmRegionSet *s, uint64_t hint, uint64_t size, uint64_t user_top,
                         uint64_t *base_out)
{
    if (size == 0 || (size & (VM_PAGE - 1)) || (hint & (VM_PAGE - 1))) {
        return E_INVAL;
    }
    uint64_t candidate = hint;
    for (uint32_t i = 0; i < s->count; i++) {
        const VmRegion *r = &s->regions[i];
        uint64_t end = r->base + r->size;
        if (end <= candidate) {
            continue;
        }
        if (r->base >= candidate && r->base - candidate >= size) {
            break; /* the gap before r fits */
        }
        candidate = end;
    }
    if (candidate >= user_top || user_top - candidate < size) {
        return E_NOMEM;
    }
    *base_out = candidate;
    return E_OK;
}

bool vm_prot_allows(unsigned prot, unsigned access)
{
    if ((access & USER_ACCESS_WRITE) && !(prot & ANOS_PROT_WRITE)) {
        return false;
    }
    if ((access & USER_ACCESS_EXEC) && !(prot & ANOS_PROT_EXEC)) {
        return false;
    }
    return true;
}
