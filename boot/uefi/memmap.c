/*
 * UEFI memory map -> BootInfo regions. A sweep over the boundaries of all
 * entries: O(n^2) for n entries, but it needs no scratch memory and handles
 * unsorted and overlapping input, which firmware maps are allowed to be.
 */
#include "memmap.h"

#include <efi.h>

BootMemType memmap_type_from_efi(uint32_t efi_type)
{
    switch (efi_type) {
    case EfiConventionalMemory:
    case EfiBootServicesCode:
    case EfiBootServicesData: return BOOT_MEM_USABLE;
    case EfiLoaderCode:
    case EfiLoaderData: return BOOT_MEM_RECLAIMABLE;
    case EfiACPIReclaimMemory: return BOOT_MEM_ACPI_RECLAIM;
    case EfiACPIMemoryNVS: return BOOT_MEM_ACPI_NVS;
    case EfiRuntimeServicesCode:
    case EfiRuntimeServicesData: return BOOT_MEM_FIRMWARE;
    case EfiUnusableMemory: return BOOT_MEM_BAD;
    default: return BOOT_MEM_RESERVED; /* MMIO, port space, PAL, persistent, OEM */
    }
}

/* A map entry or override reduced to [base, end) and a type. */
typedef struct Span {
    uint64_t base;
    uint64_t end; /* base == end: the entry covers no whole page */
    uint32_t type;
} Span;

static uint64_t entry_count(const MemmapInput *in)
{
    return in->map_size / in->desc_size + in->override_count;
}

/* Round free kinds inward (never hand out a partial page) and all others
 * outward (never hand out a page that holds part of them). */
static Span make_span(uint64_t base, uint64_t length, uint32_t type)
{
    uint64_t mask = MEMMAP_PAGE_SIZE - 1;
    uint64_t end = base + length;
    Span s = {.type = type};
    if (type == BOOT_MEM_USABLE || type == BOOT_MEM_RECLAIMABLE) {
        s.base = (base + mask) & ~mask;
        s.end = end & ~mask;
        if (s.end < s.base)
            s.end = s.base;
    } else {
        s.base = base & ~mask;
        s.end = end > UINT64_MAX - mask ? UINT64_MAX & ~mask : (end + mask) & ~mask;
    }
    return s;
}

/* Entry i: map descriptors first, then overrides. Range checked already. */
static Span entry_at(const MemmapInput *in, uint64_t i)
{
    uint64_t n_desc = in->map_size / in->desc_size;
    if (i >= n_desc) {
        const MemmapOverride *o = &in->overrides[i - n_desc];
        return make_span(o->base, o->length, o->type);
    }
    EFI_MEMORY_DESCRIPTOR d;
    __builtin_memcpy(&d, (const uint8_t *)in->map + i * in->desc_size, sizeof(d));
    return make_span(d.PhysicalStart, d.NumberOfPages * MEMMAP_PAGE_SIZE,
                     memmap_type_from_efi(d.Type));
}

static Error check_input(const MemmapInput *in)
{
    if (in->desc_size < sizeof(EFI_MEMORY_DESCRIPTOR) || (!in->map && in->map_size != 0) ||
        (!in->overrides && in->override_count != 0))
        return E_INVAL;
    uint64_t n_desc = in->map_size / in->desc_size;
    for (uint64_t i = 0; i < n_desc; i++) {
        EFI_MEMORY_DESCRIPTOR d;
        __builtin_memcpy(&d, (const uint8_t *)in->map + i * in->desc_size, sizeof(d));
        uint64_t room = UINT64_MAX - d.PhysicalStart;
        if (d.NumberOfPages > room / MEMMAP_PAGE_SIZE)
            return E_CORRUPT;
    }
    for (uint32_t i = 0; i < in->override_count; i++) {
        if (in->overrides[i].length > UINT64_MAX - in->overrides[i].base)
            return E_CORRUPT;
    }
    return E_OK;
}

uint64_t memmap_highest_address(const MemmapInput *in)
{
    if (check_input(in) != E_OK)
        return 0;
    uint64_t hi = 0;
    uint64_t n_desc = in->map_size / in->desc_size;
    for (uint64_t i = 0; i < n_desc; i++) {
        Span s = entry_at(in, i);
        if (s.end > s.base && s.end > hi)
            hi = s.end;
    }
    return hi;
}

/* The winning type at address a (0 if nothing covers it) and the next
 * boundary above a (0 if there is none). */
static uint32_t probe(const MemmapInput *in, uint64_t a, uint64_t *next)
{
    uint32_t type = 0;
    uint64_t n = entry_count(in);
    int have_next = 0;
    *next = 0;
    for (uint64_t i = 0; i < n; i++) {
        Span s = entry_at(in, i);
        if (s.base >= s.end)
            continue;
        if (s.base <= a && a < s.end && s.type > type)
            type = s.type;
        uint64_t b = s.base > a ? s.base : s.end;
        if (b > a && (!have_next || b < *next)) {
            *next = b;
            have_next = 1;
        }
    }
    return type;
}

static Error emit(BootMemRegion *out, uint32_t max, uint32_t *count, uint64_t base, uint64_t end,
                  uint32_t type)
{
    if (*count > 0) {
        BootMemRegion *prev = &out[*count - 1];
        if (prev->type == type && prev->base + prev->length == base) {
            prev->length += end - base;
            return E_OK;
        }
    }
    if (*count >= max)
        return E_RANGE;
    out[*count] = (BootMemRegion){.base = base, .length = end - base, .type = type};
    (*count)++;
    return E_OK;
}

Error memmap_convert(const MemmapInput *in, BootMemRegion *out, uint32_t max, uint32_t *count)
{
    Error err = check_input(in);
    if (err != E_OK)
        return err;
    *count = 0;

    /* Start at the lowest boundary: probe from 0 covers an entry at 0 too. */
    uint64_t a = 0, next;
    for (;;) {
        uint32_t type = probe(in, a, &next);
        if (next == 0)
            return E_OK;
        if (type != 0) {
            err = emit(out, max, count, a, next, type);
            if (err != E_OK)
                return err;
        }
        a = next;
    }
}
