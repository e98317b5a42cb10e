/*
 * The firmware tables a process with the firmware_map right may read: the
 * ACPI tables on x86_64, the devicetree blob on riscv64. The kernel keeps
 * only what it needs of them; devman reads the rest from user space.
 */
#ifndef ANOS_KERNEL_PROC_FIRMWARE_H
#define ANOS_KERNEL_PROC_FIRMWARE_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <stdint.h>

#define FIRMWARE_MAX_RANGES 32

/* Physical memory that holds firmware tables and nothing of the kernel's:
 * the boot map's ACPI reclaim, ACPI NVS and firmware regions (adjacent ones
 * merged), plus the root itself. */
typedef struct FirmwareInfo {
    uint64_t root;      /* RSDP (x86_64) or devicetree blob (riscv64); 0 = none */
    uint64_t root_size; /* 36 (the ACPI 2.0 RSDP) or the blob's totalsize */
    uint32_t count;
    struct {
        uint64_t base;
        uint64_t end; /* exclusive */
    } ranges[FIRMWARE_MAX_RANGES];
} FirmwareInfo;

/* Fills fw from the boot map and the root (pure). Ranges beyond
 * FIRMWARE_MAX_RANGES are dropped (their tables cannot be mapped). */
void firmware_info_build(FirmwareInfo *fw, const BootInfo *bi, uint64_t root, uint64_t root_size);

/* Whether [phys, phys + size) lies wholly inside one firmware range (pure).
 * E_INVAL size 0; E_RANGE the range wraps; E_PERM anything else: usable
 * RAM, the kernel, devices, or memory the boot map does not list. */
Error firmware_check(const FirmwareInfo *fw, uint64_t phys, uint64_t size);

/* Records the boot CPU's view at boot (reads the blob's header on
 * riscv64). Once, from kernel_main, before SYSTEM starts. */
void firmware_init(const BootInfo *bi);

const FirmwareInfo *firmware_info(void);

#endif
