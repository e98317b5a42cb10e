/*
 * MADT, HPET and MCFG decoding (ACPI 6.4 sections 5.2.12, HPET spec 1.0a
 * section 3.2.4, PCI Firmware spec 3.2 section 4.1.2). Fields are read byte
 * by byte: tables are packed and may sit at any alignment.
 */
#include "acpi_tables.h"

#include "acpi.h"

/* MADT layout. */
#define MADT_LAPIC_ADDRESS 36
#define MADT_FLAGS         40
#define MADT_ENTRIES       44
#define MADT_PCAT_COMPAT   (1U << 0)

/* MADT entry types and the length each needs at least. */
#define MADT_TYPE_LAPIC          0
#define MADT_TYPE_IOAPIC         1
#define MADT_TYPE_OVERRIDE       2
#define MADT_TYPE_LAPIC_OVERRIDE 5
#define MADT_TYPE_X2APIC         9
#define MADT_LEN_LAPIC           8
#define MADT_LEN_IOAPIC          12
#define MADT_LEN_OVERRIDE        10
#define MADT_LEN_LAPIC_OVERRIDE  12
#define MADT_LEN_X2APIC          16

/* Local APIC flags: bit 0 enabled; bit 1 online-capable (a CPU that may be
 * hot-added later; not started at boot). */
#define MADT_CPU_ENABLED (1U << 0)

/* An xAPIC id of 0xFF is the broadcast id, never a CPU's. */
#define XAPIC_BROADCAST_ID 0xFF

#define HPET_LENGTH             56
#define HPET_GAS                40
#define HPET_GAS_ADDRESS        44
#define HPET_NUMBER             52
#define HPET_MIN_TICK           53
#define GAS_SPACE_SYSTEM_MEMORY 0

#define MCFG_ENTRIES      44
#define MCFG_ENTRY_LENGTH 16

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

static bool header_ok(const uint8_t *t, size_t length, const char *sig, size_t min_length)
{
    if (t == NULL || length < min_length || length < ACPI_SDT_HEADER_LENGTH) {
        return false;
    }
    for (int i = 0; i < 4; i++) {
        if (t[i] != (uint8_t)sig[i]) {
            return false;
        }
    }
    /* The header's own length must agree with what the caller mapped. */
    return rd32(t + 4) == length;
}

static void madt_add_cpu(MadtInfo *out, uint32_t apic_id, uint32_t uid, uint32_t flags,
                         bool x2apic_entry)
{
    if ((flags & MADT_CPU_ENABLED) == 0) {
        out->cpus_disabled++;
        return;
    }
    /* Firmware may list a CPU both ways; the first entry wins. */
    for (uint32_t i = 0; i < out->cpu_count; i++) {
        if (out->cpus[i].apic_id == apic_id) {
            return;
        }
    }
    if (out->cpu_count == MADT_MAX_CPUS) {
        out->cpus_dropped++;
        return;
    }
    out->cpus[out->cpu_count++] =
        (MadtCpu){.apic_id = apic_id, .acpi_uid = uid, .x2apic_entry = x2apic_entry};
}

/* Decodes one entry e of length len (already checked to fit the table). */
static Error madt_entry(const uint8_t *e, uint8_t len, MadtInfo *out)
{
    switch (e[0]) {
    case MADT_TYPE_LAPIC:
        if (len < MADT_LEN_LAPIC) {
            return E_CORRUPT;
        }
        if (e[3] == XAPIC_BROADCAST_ID) {
            out->cpus_disabled++;
            return E_OK;
        }
        madt_add_cpu(out, e[3], e[2], rd32(e + 4), false);
        return E_OK;
    case MADT_TYPE_X2APIC:
        if (len < MADT_LEN_X2APIC) {
            return E_CORRUPT;
        }
        madt_add_cpu(out, rd32(e + 4), rd32(e + 12), rd32(e + 8), true);
        return E_OK;
    case MADT_TYPE_IOAPIC:
        if (len < MADT_LEN_IOAPIC) {
            return E_CORRUPT;
        }
        if (out->ioapic_count == MADT_MAX_IOAPICS) {
            return E_RANGE;
        }
        out->ioapics[out->ioapic_count++] =
            (MadtIoApic){.id = e[2], .phys = rd32(e + 4), .gsi_base = rd32(e + 8)};
        return E_OK;
    case MADT_TYPE_OVERRIDE:
        if (len < MADT_LEN_OVERRIDE) {
            return E_CORRUPT;
        }
        if (out->override_count == MADT_MAX_OVERRIDES) {
            return E_RANGE;
        }
        out->overrides[out->override_count++] =
            (MadtOverride){.source = e[3], .gsi = rd32(e + 4), .flags = rd16(e + 8)};
        return E_OK;
    case MADT_TYPE_LAPIC_OVERRIDE:
        if (len < MADT_LEN_LAPIC_OVERRIDE) {
            return E_CORRUPT;
        }
        out->lapic_phys = rd64(e + 4);
        return E_OK;
    default: return E_OK; /* NMI sources, GIC entries, ...: not needed */
    }
}

Error acpi_madt_decode(const uint8_t *table, size_t length, MadtInfo *out)
{
    if (!header_ok(table, length, "APIC", MADT_ENTRIES)) {
        return E_CORRUPT;
    }
    *out = (MadtInfo){0};
    out->lapic_phys = rd32(table + MADT_LAPIC_ADDRESS);
    out->pcat_compat = (rd32(table + MADT_FLAGS) & MADT_PCAT_COMPAT) != 0;

    size_t pos = MADT_ENTRIES;
    while (pos < length) {
        if (length - pos < 2) {
            return E_CORRUPT;
        }
        uint8_t len = table[pos + 1];
        if (len < 2 || len > length - pos) {
            return E_CORRUPT; /* a zero length would loop for ever */
        }
        Error err = madt_entry(table + pos, len, out);
        if (err != E_OK) {
            return err;
        }
        pos += len;
    }
    if (out->cpu_count == 0 || out->lapic_phys == 0) {
        return E_CORRUPT; /* at least the CPU reading the table exists */
    }
    return E_OK;
}

Error acpi_hpet_decode(const uint8_t *table, size_t length, HpetInfo *out)
{
    if (!header_ok(table, length, "HPET", HPET_LENGTH)) {
        return E_CORRUPT;
    }
    if (table[HPET_GAS] != GAS_SPACE_SYSTEM_MEMORY) {
        return E_NOSYS;
    }
    uint64_t phys = rd64(table + HPET_GAS_ADDRESS);
    if (phys == 0 || (phys & 0x3FF) != 0) {
        return E_CORRUPT; /* the register block is 1 KiB, 1 KiB aligned */
    }
    *out = (HpetInfo){
        .phys = phys, .number = table[HPET_NUMBER], .min_tick = rd16(table + HPET_MIN_TICK)};
    return E_OK;
}

Error acpi_mcfg_decode(const uint8_t *table, size_t length, McfgInfo *out)
{
    if (!header_ok(table, length, "MCFG", MCFG_ENTRIES) ||
        (length - MCFG_ENTRIES) % MCFG_ENTRY_LENGTH != 0) {
        return E_CORRUPT;
    }
    size_t count = (length - MCFG_ENTRIES) / MCFG_ENTRY_LENGTH;
    if (count > MCFG_MAX_SEGMENTS) {
        return E_RANGE;
    }
    *out = (McfgInfo){0};
    for (size_t i = 0; i < count; i++) {
        const uint8_t *e = table + MCFG_ENTRIES + i * MCFG_ENTRY_LENGTH;
        McfgSegment s = {
            .phys = rd64(e), .segment = rd16(e + 8), .start_bus = e[10], .end_bus = e[11]};
        if (s.phys == 0 || s.end_bus < s.start_bus) {
            return E_CORRUPT;
        }
        out->segments[out->count++] = s;
    }
    return E_OK;
}
