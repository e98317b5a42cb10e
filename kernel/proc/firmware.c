/*
 * The kernel's record of the firmware tables, made at boot.
 */
#include <mm/direct_map.h>
#include <proc/firmware.h>

/* The ACPI 2.0+ RSDP (XSDP) is 36 bytes; the devicetree header's totalsize
 * is a big-endian word at offset 4. */
#define ACPI_RSDP_SIZE       36
#define FDT_TOTALSIZE_OFFSET 4

static FirmwareInfo firmware;

static uint64_t firmware_dtb_size(uint64_t dtb)
{
    const uint8_t *p = (const uint8_t *)phys_to_virt(dtb) + FDT_TOTALSIZE_OFFSET;
    return (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
}

void firmware_init(const BootInfo *bi)
{
    if (bi->acpi_rsdp_phys != 0) {
        firmware_info_build(&firmware, bi, bi->acpi_rsdp_phys, ACPI_RSDP_SIZE);
    } else if (bi->dtb_phys != 0) {
        firmware_info_build(&firmware, bi, bi->dtb_phys, firmware_dtb_size(bi->dtb_phys));
    } else {
        firmware_info_build(&firmware, bi, 0, 0);
    }
}

const FirmwareInfo *firmware_info(void)
{
    return &firmware;
}
