/*
 * Which physical ranges hold firmware tables (pure: host-tested).
 */
#include <proc/firmware.h>
#include <stdbool.h>

static void firmware_add(FirmwareInfo *fw, uint64_t base, uint64_t end)
{
    if (fw->count > 0 && fw->ranges[fw->count - 1].end == base) {
        fw->ranges[fw->count - 1].end = end; /* adjacent: one range */
        return;
    }
    if (fw->count < FIRMWARE_MAX_RANGES) {
        fw->ranges[fw->count].base = base;
        fw->ranges[fw->count].end = end;
        fw->count++;
    }
}

static bool firmware_type(uint32_t type)
{
    return type == BOOT_MEM_ACPI_RECLAIM || type == BOOT_MEM_ACPI_NVS || type == BOOT_MEM_FIRMWARE;
}

void firmware_info_build(FirmwareInfo *fw, const BootInfo *bi, uint64_t root, uint64_t root_size)
{
    fw->count = 0;
    fw->root = root;
    fw->root_size = root != 0 ? root_size : 0;
    uint32_t n = bi->mem_region_count < BOOTINFO_MAX_MEM_REGIONS ? bi->mem_region_count
                                                                 : BOOTINFO_MAX_MEM_REGIONS;
    for (uint32_t i = 0; i < n; i++) {
        const BootMemRegion *r = &bi->mem_regions[i];
        if (firmware_type(r->type) && r->length > 0 && r->base + r->length > r->base) {
            firmware_add(fw, r->base, r->base + r->length);
        }
    }
    /* The root the loader or firmware handed over is readable even where
     * the map calls it something else (a legacy BIOS area, say). */
    if (fw->root_size > 0 && firmware_check(fw, root, fw->root_size) != E_OK &&
        root + fw->root_size > root) {
        firmware_add(fw, root & ~0xFFFull, (root + fw->root_size + 0xFFF) & ~0xFFFull);
    }
}

Error firmware_check(const FirmwareInfo *fw, uint64_t phys, uint64_t size)
{
    if (size == 0) {
        return E_INVAL;
    }
    if (phys + size < phys) {
        return E_RANGE;
    }
    for (uint32_t i = 0; i < fw->count; i++) {
        if (phys >= fw->ranges[i].base && phys + size <= fw->ranges[i].end) {
            return E_OK;
        }
    }
    return E_PERM;
}
