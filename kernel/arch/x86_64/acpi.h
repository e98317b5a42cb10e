/*
 * Just enough ACPI to power off: find a table through the RSDP (XSDT, or the
 * RSDT on ACPI 1.0), read the FADT's PM1 control blocks and decode \_S5 from
 * the DSDT. Pure C over a caller-supplied mapping, so host tests can feed it
 * fake tables. Every table touched is checked for signature, length and
 * checksum; anything malformed is refused with E_CORRUPT.
 */
#ifndef ANOS_ARCH_X86_64_ACPI_H
#define ANOS_ARCH_X86_64_ACPI_H

#include <anos/errors.h>
#include <stddef.h>
#include <stdint.h>

/* Tables larger than this are treated as corrupt (QEMU's DSDT is ~8 KiB,
 * real machines' reach a few hundred KiB). */
#define ACPI_MAX_TABLE_LENGTH (16U * 1024 * 1024)

#define ACPI_SDT_HEADER_LENGTH 36
#define ACPI_RSDP_V1_LENGTH    20
#define ACPI_RSDP_V2_LENGTH    36

/* How the lookup reaches physical memory: returns a pointer to length bytes
 * at phys, or NULL when that range cannot be read. */
typedef struct AcpiMapper {
    const void *(*map)(void *ctx, uint64_t phys, uint64_t length);
    void *ctx;
} AcpiMapper;

/* What an S5 (soft-off) request needs. Ports are I/O ports; pm1b_cnt is 0
 * when the machine has no PM1b block. */
typedef struct AcpiS5 {
    uint16_t pm1a_cnt;
    uint16_t pm1b_cnt;
    uint8_t slp_typa; /* 3-bit SLP_TYP values from \_S5 */
    uint8_t slp_typb;
} AcpiS5;

/* Finds the table with signature sig (4 characters, e.g. "FACP") and stores
 * its physical address. E_CORRUPT for a bad RSDP/XSDT/RSDT or a bad table
 * with that signature, E_NOENT when no entry has it. */
Error acpi_find_table(const AcpiMapper *m, uint64_t rsdp_phys, const char *sig,
                      uint64_t *table_phys);

/* As acpi_find_table, and maps the whole validated table: *table points at
 * its first byte (the header), *length is its length from the header. */
Error acpi_get_table(const AcpiMapper *m, uint64_t rsdp_phys, const char *sig,
                     const uint8_t **table, uint32_t *length);

/* Decodes the \_S5 package in an AML body (the DSDT after its header):
 * SLP_TYPa and SLP_TYPb. E_NOENT without a decodable \_S5. */
Error acpi_aml_find_s5(const uint8_t *aml, size_t length, uint8_t *slp_typa, uint8_t *slp_typb);

/* The whole lookup: RSDP -> XSDT/RSDT -> FADT -> PM1 blocks and DSDT -> \_S5.
 * E_NOSYS when the PM1a block is memory-mapped (only I/O is supported). */
Error acpi_s5_lookup(const AcpiMapper *m, uint64_t rsdp_phys, AcpiS5 *out);

#endif
