/*
 * Conversion of the UEFI memory map into BootInfo memory regions. Pure C (no
 * firmware calls, no allocation) so it can run after ExitBootServices and in
 * host tests.
 */
#ifndef BOOT_UEFI_MEMMAP_H
#define BOOT_UEFI_MEMMAP_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <stdint.h>

#define MEMMAP_PAGE_SIZE 4096ULL

/* A range the loader knows better than the firmware (the kernel block, the
 * framebuffer). It competes with the map's entries by BootMemType
 * precedence, and creates a region where the map has none. */
typedef struct MemmapOverride {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* BootMemType */
} MemmapOverride;

/* The raw map as GetMemoryMap returned it. desc_size is the firmware's
 * DescriptorSize, which may exceed sizeof(EFI_MEMORY_DESCRIPTOR). */
typedef struct MemmapInput {
    const void *map;
    uint64_t map_size;
    uint64_t desc_size;
    const MemmapOverride *overrides;
    uint32_t override_count;
} MemmapInput;

/* The BootMemType for a UEFI EFI_MEMORY_TYPE value. */
BootMemType memmap_type_from_efi(uint32_t efi_type);

/* One past the highest physical byte the map describes (0 for an empty map). */
uint64_t memmap_highest_address(const MemmapInput *in);

/*
 * Fill out[0..*count) with regions sorted by base, page aligned, not
 * overlapping, adjacent regions of the same type merged. Where entries
 * overlap, the higher BootMemType wins. Usable and reclaimable ranges are
 * rounded inward to pages, all others outward.
 * Errors: E_INVAL (desc_size smaller than a descriptor), E_CORRUPT (an
 * entry wraps around the address space), E_RANGE (more than max regions).
 */
Error memmap_convert(const MemmapInput *in, BootMemRegion *out, uint32_t max, uint32_t *count);

#endif
