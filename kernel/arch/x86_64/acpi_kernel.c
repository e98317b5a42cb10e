/*
 * acpi_kernel_table: acpi_get_table over the direct map, for the interrupt
 * and clock code.
 */
#include "acpi_kernel.h"

#include <mm/direct_map.h>
#include <stddef.h>

#include "acpi.h"

/* The direct map reaches 64 TiB of physical space (PML4 slots 256-383). */
#define ACPI_DIRECT_MAP_LIMIT (1ULL << 46)

static const void *acpi_direct_map(void *ctx, uint64_t phys, uint64_t length)
{
    (void)ctx;
    if (phys >= ACPI_DIRECT_MAP_LIMIT || length > ACPI_DIRECT_MAP_LIMIT - phys) {
        return NULL;
    }
    return phys_to_virt(phys);
}

Error acpi_kernel_table(const BootInfo *bi, const char *sig, const uint8_t **table,
                        uint32_t *length)
{
    if (bi->acpi_rsdp_phys == 0) {
        return E_NOENT;
    }
    AcpiMapper mapper = {.map = acpi_direct_map, .ctx = NULL};
    return acpi_get_table(&mapper, bi->acpi_rsdp_phys, sig, table, length);
}
