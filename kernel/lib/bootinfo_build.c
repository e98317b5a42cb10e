/*
 * BootInfo construction and validation shared by every boot path: the memory
 * map is kept sorted, page-aligned, non-overlapping and merged as it grows.
 */
#include <bootinfo_build.h>
#include <kstring.h>
#include <stdbool.h>

#define PAGE_MASK ((uint64_t)BOOTINFO_PAGE_SIZE - 1)

/* Where bootinfo_add_region assembles the new map before committing it, so
 * that a map that would overflow leaves the old one untouched. */
static BootMemRegion scratch_regions[BOOTINFO_MAX_MEM_REGIONS];

typedef struct RegionSink {
    BootMemRegion *regions;
    uint32_t count;
    bool overflow;
} RegionSink;

void bootinfo_init(BootInfo *bi)
{
    memset(bi, 0, sizeof(*bi));
    bi->magic = BOOTINFO_MAGIC;
    bi->version = BOOTINFO_VERSION;
    bi->size = sizeof(BootInfo);
}

static bool bootinfo_type_valid(uint32_t type)
{
    return type >= BOOT_MEM_USABLE && type <= BOOT_MEM_BAD;
}

/* Appends [base, end) to the sink, merging with the last region when it
 * touches it with the same type. */
static void sink_emit(RegionSink *sink, uint64_t base, uint64_t end, uint32_t type)
{
    if (end <= base) {
        return;
    }
    if (sink->count > 0) {
        BootMemRegion *last = &sink->regions[sink->count - 1];
        if (last->type == type && last->base + last->length == base) {
            last->length += end - base;
            return;
        }
    }
    if (sink->count == BOOTINFO_MAX_MEM_REGIONS) {
        sink->overflow = true;
        return;
    }
    sink->regions[sink->count++] = (BootMemRegion){
        .base = base,
        .length = end - base,
        .type = type,
    };
}

/*
 * One sweep over the sorted map with the new range [b, e) of type t: parts
 * of the map outside it are copied, overlapped parts take the higher type,
 * and the gaps inside it get t. `cursor` is the start of the part of [b, e)
 * not yet emitted.
 */
static void bootinfo_paint(const BootInfo *bi, RegionSink *sink, uint64_t b, uint64_t e, uint32_t t)
{
    uint64_t cursor = b;
    for (uint32_t i = 0; i < bi->mem_region_count; i++) {
        const BootMemRegion *r = &bi->mem_regions[i];
        uint64_t rb = r->base, re = r->base + r->length;
        if (re <= b || rb >= e) {
            if (rb >= e && cursor < e) {
                sink_emit(sink, cursor, e, t);
                cursor = e;
            }
            sink_emit(sink, rb, re, r->type);
            continue;
        }
        if (rb < b) {
            sink_emit(sink, rb, b, r->type);
        }
        if (cursor < rb) {
            sink_emit(sink, cursor, rb, t);
        }
        uint64_t ov_b = rb > b ? rb : b;
        uint64_t ov_e = re < e ? re : e;
        sink_emit(sink, ov_b, ov_e, r->type > t ? r->type : t);
        cursor = ov_e;
        if (re > e) {
            sink_emit(sink, e, re, r->type);
        }
    }
    if (cursor < e) {
        sink_emit(sink, cursor, e, t);
    }
}

Error bootinfo_add_region(BootInfo *bi, uint64_t base, uint64_t length, BootMemType type)
{
    if (bi == NULL || !bootinfo_type_valid(type)) {
        return E_INVAL;
    }
    if (length == 0) {
        return E_OK;
    }
    uint64_t end = base + length;
    if (end < base) {
        return E_RANGE;
    }
    uint64_t b, e;
    if (type == BOOT_MEM_USABLE) {
        b = (base + PAGE_MASK) & ~PAGE_MASK;
        e = end & ~PAGE_MASK;
        if (b < base || e <= b) {
            return E_OK; /* no whole page inside */
        }
    } else {
        b = base & ~PAGE_MASK;
        e = (end + PAGE_MASK) & ~PAGE_MASK;
        if (e < end) {
            return E_RANGE; /* the last page would end past 2^64 */
        }
    }

    RegionSink sink = {.regions = scratch_regions};
    bootinfo_paint(bi, &sink, b, e, type);
    if (sink.overflow) {
        return E_NOMEM;
    }
    memcpy(bi->mem_regions, scratch_regions, sink.count * sizeof(BootMemRegion));
    bi->mem_region_count = sink.count;
    return E_OK;
}

Error bootinfo_set_kernel(BootInfo *bi, uint64_t phys_base, uint64_t size, uint64_t virt_base)
{
    if (bi == NULL || size == 0) {
        return E_INVAL;
    }
    if ((phys_base & PAGE_MASK) != 0 || (virt_base & PAGE_MASK) != 0) {
        return E_ALIGN;
    }
    uint64_t pages_size = (size + PAGE_MASK) & ~PAGE_MASK;
    if (pages_size < size || phys_base + pages_size < phys_base) {
        return E_RANGE;
    }
    Error err = bootinfo_add_region(bi, phys_base, pages_size, BOOT_MEM_KERNEL);
    if (err != E_OK) {
        return err;
    }
    bi->kernel_phys_base = phys_base;
    bi->kernel_phys_size = pages_size;
    bi->kernel_virt_base = virt_base;
    return E_OK;
}

Error bootinfo_set_cmdline(BootInfo *bi, const char *s)
{
    if (bi == NULL || s == NULL) {
        return E_INVAL;
    }
    size_t len = strnlen(s, BOOTINFO_CMDLINE_MAX);
    Error err = E_OK;
    if (len >= BOOTINFO_CMDLINE_MAX) {
        len = BOOTINFO_CMDLINE_MAX - 1;
        err = E_RANGE;
    }
    memcpy(bi->cmdline, s, len);
    memset(bi->cmdline + len, 0, BOOTINFO_CMDLINE_MAX - len);
    return err;
}

/* Whether every byte of [base, base + size) lies in KERNEL regions. */
static bool bootinfo_kernel_covered(const BootInfo *bi, uint64_t base, uint64_t size)
{
    uint64_t cursor = base, end = base + size;
    for (uint32_t i = 0; i < bi->mem_region_count && cursor < end; i++) {
        const BootMemRegion *r = &bi->mem_regions[i];
        uint64_t re = r->base + r->length;
        if (re <= cursor) {
            continue;
        }
        if (r->base > cursor || r->type != BOOT_MEM_KERNEL) {
            return false;
        }
        cursor = re;
    }
    return cursor >= end;
}

static Error bootinfo_validate_map(const BootInfo *bi)
{
    uint64_t prev_end = 0;
    for (uint32_t i = 0; i < bi->mem_region_count; i++) {
        const BootMemRegion *r = &bi->mem_regions[i];
        if (r->length == 0 || ((r->base | r->length) & PAGE_MASK) != 0 ||
            r->base + r->length < r->base || !bootinfo_type_valid(r->type)) {
            return E_CORRUPT;
        }
        if (i > 0 && r->base < prev_end) {
            return E_CORRUPT; /* out of order or overlapping */
        }
        prev_end = r->base + r->length;
    }
    return E_OK;
}

Error bootinfo_validate(const BootInfo *bi)
{
    if (bi == NULL) {
        return E_INVAL;
    }
    if (bi->magic != BOOTINFO_MAGIC) {
        return E_CORRUPT;
    }
    if (bi->version != BOOTINFO_VERSION || bi->size != sizeof(BootInfo)) {
        return E_INVAL;
    }
    if (bi->mem_region_count > BOOTINFO_MAX_MEM_REGIONS) {
        return E_CORRUPT;
    }
    Error err = bootinfo_validate_map(bi);
    if (err != E_OK) {
        return err;
    }
    uint64_t kb = bi->kernel_phys_base, ks = bi->kernel_phys_size;
    if (ks == 0 || ((kb | ks) & PAGE_MASK) != 0 || kb + ks < kb ||
        !bootinfo_kernel_covered(bi, kb, ks)) {
        return E_CORRUPT;
    }
    if (strnlen(bi->cmdline, BOOTINFO_CMDLINE_MAX) >= BOOTINFO_CMDLINE_MAX) {
        return E_CORRUPT;
    }
    return E_OK;
}

const char *bootinfo_mem_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_USABLE: return "usable";
    case BOOT_MEM_RECLAIMABLE: return "reclaimable";
    case BOOT_MEM_ACPI_RECLAIM: return "acpi-reclaim";
    case BOOT_MEM_ACPI_NVS: return "acpi-nvs";
    case BOOT_MEM_FIRMWARE: return "firmware";
    case BOOT_MEM_FRAMEBUFFER: return "framebuffer";
    case BOOT_MEM_KERNEL: return "kernel";
    case BOOT_MEM_RESERVED: return "reserved";
    case BOOT_MEM_BAD: return "bad";
    default: return "?";
    }
}
