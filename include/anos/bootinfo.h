/*
 * The boot protocol: what the x86_64 UEFI loader and the riscv64 entry stub
 * hand to the kernel. Everything after the entry stub sees only this.
 * See docs/Boot.md. Shared by the loader, the kernel and host tests.
 */
#ifndef ANOS_BOOTINFO_H
#define ANOS_BOOTINFO_H

#include <stdint.h>

#define BOOTINFO_MAGIC   0x464E49424F534F4EULL /* "NOSOBINF" little-endian */
#define BOOTINFO_VERSION 1

#define BOOTINFO_MAX_MEM_REGIONS 256
#define BOOTINFO_CMDLINE_MAX     256

/* Kinds of physical memory, in the order of precedence used when ranges
 * overlap (a higher value wins). Only BOOT_MEM_USABLE is free at hand-over;
 * BOOT_MEM_RECLAIMABLE (loader data, page tables, this struct) becomes free
 * once the kernel has copied what it needs. */
typedef enum BootMemType {
    BOOT_MEM_USABLE = 1,
    BOOT_MEM_RECLAIMABLE = 2,
    BOOT_MEM_ACPI_RECLAIM = 3,
    BOOT_MEM_ACPI_NVS = 4,
    BOOT_MEM_FIRMWARE = 5, /* UEFI runtime, OpenSBI, devicetree blob */
    BOOT_MEM_FRAMEBUFFER = 6,
    BOOT_MEM_KERNEL = 7, /* the kernel image, RAMFS included */
    BOOT_MEM_RESERVED = 8,
    BOOT_MEM_BAD = 9,
} BootMemType;

/* One physical range. base and length are multiples of 4 KiB. */
typedef struct BootMemRegion {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* BootMemType */
    uint32_t reserved;
} BootMemRegion;

typedef enum BootFbFormat {
    BOOT_FB_NONE = 0,
    BOOT_FB_RGBX8888 = 1, /* byte order in memory: R, G, B, X */
    BOOT_FB_BGRX8888 = 2, /* byte order in memory: B, G, R, X */
} BootFbFormat;

typedef struct BootFramebuffer {
    uint64_t phys_base;
    uint64_t size;
    uint32_t width;
    uint32_t height;
    uint32_t pitch;  /* bytes per scanline */
    uint32_t format; /* BootFbFormat */
} BootFramebuffer;

/*
 * Hand-over state. The loader keeps the struct in reclaimable memory that is
 * reached through the direct map; the kernel copies it before reusing memory.
 * Invariants the kernel relies on (checked by bootinfo_validate):
 *   - mem_map is sorted by base, regions do not overlap, all page-aligned;
 *   - the kernel image [kernel_phys_base, +kernel_phys_size) is BOOT_MEM_KERNEL.
 */
typedef struct BootInfo {
    uint64_t magic;   /* BOOTINFO_MAGIC */
    uint32_t version; /* BOOTINFO_VERSION */
    uint32_t size;    /* sizeof(BootInfo) as the producer built it */

    uint64_t kernel_phys_base;
    uint64_t kernel_phys_size;
    uint64_t kernel_virt_base;
    uint64_t direct_map_base; /* virtual address of physical 0 */

    uint64_t acpi_rsdp_phys; /* 0 when absent (riscv64) */
    uint64_t dtb_phys;       /* 0 when absent (x86_64) */
    uint64_t boot_cpu_id;    /* hart id on riscv64, LAPIC id on x86_64 */

    BootFramebuffer framebuffer;

    char cmdline[BOOTINFO_CMDLINE_MAX]; /* NUL-terminated */

    uint32_t mem_region_count;
    uint32_t pad;
    BootMemRegion mem_regions[BOOTINFO_MAX_MEM_REGIONS];
} BootInfo;

#endif
