/*
 * Decoders for the ACPI tables the interrupt, clock and PCI code need: MADT
 * (CPUs, I/O APICs, overrides), HPET and MCFG. Pure C over a validated table
 * (see acpi_get_table), so host tests can feed them real and broken tables.
 */
#ifndef ANOS_ARCH_X86_64_ACPI_TABLES_H
#define ANOS_ARCH_X86_64_ACPI_TABLES_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Capacities. Enabled CPUs past MADT_MAX_CPUS are counted, not stored. */
#define MADT_MAX_CPUS      64
#define MADT_MAX_IOAPICS   16
#define MADT_MAX_OVERRIDES 32
#define MCFG_MAX_SEGMENTS  16

/* One usable CPU: its local APIC (or x2APIC) id and ACPI processor UID. */
typedef struct MadtCpu {
    uint32_t apic_id;
    uint32_t acpi_uid;
    bool x2apic_entry; /* listed by a type-9 (x2APIC) entry */
} MadtCpu;

typedef struct MadtIoApic {
    uint8_t id;
    uint32_t phys; /* MMIO base */
    uint32_t gsi_base;
} MadtIoApic;

/* An ISA IRQ routed to another global system interrupt. flags: bits 1:0
 * polarity, 3:2 trigger mode (ACPI 6.4 table 5.50). */
typedef struct MadtOverride {
    uint8_t source;
    uint32_t gsi;
    uint16_t flags;
} MadtOverride;

typedef struct MadtInfo {
    uint64_t lapic_phys;    /* after any address override entry */
    bool pcat_compat;       /* a legacy 8259 pair is present (to be masked) */
    uint32_t cpu_count;     /* enabled CPUs stored in cpus[] */
    uint32_t cpus_dropped;  /* enabled CPUs beyond MADT_MAX_CPUS */
    uint32_t cpus_disabled; /* entries neither enabled nor to be used */
    MadtCpu cpus[MADT_MAX_CPUS];
    uint32_t ioapic_count;
    MadtIoApic ioapics[MADT_MAX_IOAPICS];
    uint32_t override_count;
    MadtOverride overrides[MADT_MAX_OVERRIDES];
} MadtInfo;

typedef struct HpetInfo {
    uint64_t phys; /* register block base */
    uint8_t number;
    uint16_t min_tick;
} HpetInfo;

/* One ECAM window: buses start_bus..end_bus of a PCI segment. */
typedef struct McfgSegment {
    uint64_t phys; /* ECAM base (the address of bus 0 even when start_bus > 0) */
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
} McfgSegment;

typedef struct McfgInfo {
    uint32_t count;
    McfgSegment segments[MCFG_MAX_SEGMENTS];
} McfgInfo;

/* Each decoder takes a whole table (header included) of length bytes whose
 * checksum acpi_get_table has already checked, rechecks its signature and
 * minimum length, and fills *out. E_CORRUPT for a table too short for its
 * fixed fields, an entry that runs past the end or is shorter than its type
 * requires, or contradictory contents; out is then unspecified. */
Error acpi_madt_decode(const uint8_t *table, size_t length, MadtInfo *out);

/* E_NOSYS when the registers are not in system memory. */
Error acpi_hpet_decode(const uint8_t *table, size_t length, HpetInfo *out);

/* E_RANGE when there are more than MCFG_MAX_SEGMENTS windows. */
Error acpi_mcfg_decode(const uint8_t *table, size_t length, McfgInfo *out);

#endif
