/*
 * The kernel's way into ACPI: tables reached through the direct map from the
 * RSDP the loader put in BootInfo. Kernel only (host tests use their own
 * AcpiMapper over fixtures).
 */
#ifndef ANOS_ARCH_X86_64_ACPI_KERNEL_H
#define ANOS_ARCH_X86_64_ACPI_KERNEL_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <stdint.h>

/* Finds, validates and maps the table with signature sig. E_NOENT without
 * an RSDP or without the table, E_CORRUPT for a malformed one. */
Error acpi_kernel_table(const BootInfo *bi, const char *sig, const uint8_t **table,
                        uint32_t *length);

#endif
