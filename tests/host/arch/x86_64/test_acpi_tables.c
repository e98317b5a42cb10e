// Host tests of the MADT, HPET and MCFG decoders over hand-built tables: every
// entry type, capacities, malformed entries. test_acpi_fixtures.c runs them
// over real QEMU tables and corrupted copies of those.
// TEST_SOURCES: kernel/arch/x86_64/acpi.c kernel/arch/x86_64/acpi_tables.c
// TEST_CFLAGS: -Ikernel/arch/x86_64 -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "acpi.h"
#include "acpi_image.h"
#include "acpi_tables.h"

/* A hand-built table: header, then body bytes. */
typedef struct Table {
    uint8_t bytes[4096];
    size_t length;
} Table;

static void table_begin(Table *t, const char *sig)
{
    memset(t, 0, sizeof(*t));
    memcpy(t->bytes, sig, 4);
    t->length = 36;
}

static void table_put(Table *t, const void *data, size_t n)
{
    memcpy(t->bytes + t->length, data, n);
    t->length += n;
}

static void table_u8(Table *t, uint8_t v)
{
    table_put(t, &v, 1);
}

static void table_u16(Table *t, uint16_t v)
{
    table_put(t, &v, 2);
}

static void table_u32(Table *t, uint32_t v)
{
    table_put(t, &v, 4);
}

static void table_u64(Table *t, uint64_t v)
{
    table_put(t, &v, 8);
}

static void table_end(Table *t)
{
    uint32_t len = (uint32_t)t->length;
    memcpy(t->bytes + 4, &len, 4);
    image_fix_checksum(t->bytes, len);
}

static void madt_begin(Table *t)
{
    table_begin(t, "APIC");
    table_u32(t, 0xFEE00000);
    table_u32(t, 0); /* no 8259s */
}

static void madt_lapic(Table *t, uint8_t uid, uint8_t id, uint32_t flags)
{
    table_u8(t, 0);
    table_u8(t, 8);
    table_u8(t, uid);
    table_u8(t, id);
    table_u32(t, flags);
}

static void madt_x2apic(Table *t, uint32_t id, uint32_t flags, uint32_t uid)
{
    table_u8(t, 9);
    table_u8(t, 16);
    table_u16(t, 0);
    table_u32(t, id);
    table_u32(t, flags);
    table_u32(t, uid);
}

static void madt_ioapic(Table *t, uint8_t id, uint32_t phys, uint32_t gsi)
{
    table_u8(t, 1);
    table_u8(t, 12);
    table_u8(t, id);
    table_u8(t, 0);
    table_u32(t, phys);
    table_u32(t, gsi);
}

static void test_madt_cpus_and_x2apic(void **state)
{
    static Table t;
    static MadtInfo madt;
    madt_begin(&t);
    madt_lapic(&t, 0, 0, 1);
    madt_lapic(&t, 1, 1, 0);    /* disabled */
    madt_lapic(&t, 2, 2, 2);    /* online-capable only: not started */
    madt_lapic(&t, 3, 0xFF, 1); /* the broadcast id: never a CPU */
    madt_x2apic(&t, 300, 1, 7); /* beyond xAPIC ids */
    madt_x2apic(&t, 0, 1, 0);   /* the boot CPU again: deduplicated */
    madt_ioapic(&t, 4, 0xFEC00000, 0);
    madt_ioapic(&t, 5, 0xFEC01000, 24);
    /* An override: ISA IRQ 9 -> GSI 20, level, active low. */
    table_u8(&t, 2);
    table_u8(&t, 10);
    table_u8(&t, 0);
    table_u8(&t, 9);
    table_u32(&t, 20);
    table_u16(&t, 0xF);
    /* LAPIC NMI (ignored), then the 64-bit LAPIC address override. */
    uint8_t nmi[6] = {4, 6, 0xFF, 0, 0, 1};
    table_put(&t, nmi, sizeof(nmi));
    table_u8(&t, 5);
    table_u8(&t, 12);
    table_u16(&t, 0);
    table_u64(&t, 0x1FEE00000ULL);
    table_end(&t);

    assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_OK);
    assert_false(madt.pcat_compat);
    assert_int_equal(madt.lapic_phys, 0x1FEE00000ULL);
    assert_int_equal(madt.cpu_count, 2);
    assert_int_equal(madt.cpus[0].apic_id, 0);
    assert_int_equal(madt.cpus[1].apic_id, 300);
    assert_int_equal(madt.cpus[1].acpi_uid, 7);
    assert_true(madt.cpus[1].x2apic_entry);
    assert_int_equal(madt.cpus_disabled, 3);
    assert_int_equal(madt.cpus_dropped, 0);
    assert_int_equal(madt.ioapic_count, 2);
    assert_int_equal(madt.ioapics[1].id, 5);
    assert_int_equal(madt.ioapics[1].gsi_base, 24);
    assert_int_equal(madt.override_count, 1);
    assert_int_equal(madt.overrides[0].source, 9);
    assert_int_equal(madt.overrides[0].gsi, 20);
    assert_int_equal(madt.overrides[0].flags, 0xF);
}

static void test_madt_too_many(void **state)
{
    static Table t;
    static MadtInfo madt;
    madt_begin(&t);
    for (uint32_t i = 0; i < MADT_MAX_CPUS + 3; i++) {
        madt_x2apic(&t, i, 1, i);
    }
    table_end(&t);
    assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_OK);
    assert_int_equal(madt.cpu_count, MADT_MAX_CPUS);
    assert_int_equal(madt.cpus_dropped, 3);
    assert_int_equal(madt.cpus[MADT_MAX_CPUS - 1].apic_id, MADT_MAX_CPUS - 1);

    madt_begin(&t);
    madt_lapic(&t, 0, 0, 1);
    for (uint32_t i = 0; i <= MADT_MAX_IOAPICS; i++) {
        madt_ioapic(&t, (uint8_t)i, 0xFEC00000 + i * 0x1000, i * 24);
    }
    table_end(&t);
    assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_RANGE);
}

static void test_madt_malformed(void **state)
{
    static Table t;
    static MadtInfo madt;

    /* An entry of length 0 (would loop for ever) and of length 1. */
    for (uint8_t bad = 0; bad < 2; bad++) {
        madt_begin(&t);
        madt_lapic(&t, 0, 0, 1);
        table_u8(&t, 0x7F);
        table_u8(&t, bad);
        table_u16(&t, 0);
        table_end(&t);
        assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_CORRUPT);
    }
    /* A local APIC entry shorter than its type needs. */
    madt_begin(&t);
    uint8_t short_lapic[6] = {0, 6, 0, 0, 1, 0};
    table_put(&t, short_lapic, sizeof(short_lapic));
    table_end(&t);
    assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_CORRUPT);
    /* An entry running past the end of the table. */
    madt_begin(&t);
    madt_lapic(&t, 0, 0, 1);
    uint8_t overrun[4] = {1, 12, 0, 0};
    table_put(&t, overrun, sizeof(overrun));
    table_end(&t);
    assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_CORRUPT);
    /* A lone trailing byte. */
    madt_begin(&t);
    madt_lapic(&t, 0, 0, 1);
    table_u8(&t, 0);
    table_end(&t);
    assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_CORRUPT);
    /* No usable CPU at all. */
    madt_begin(&t);
    madt_lapic(&t, 0, 0, 0);
    table_end(&t);
    assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_CORRUPT);
    /* Wrong signature; a length that disagrees with the header; NULL. */
    madt_begin(&t);
    madt_lapic(&t, 0, 0, 1);
    table_end(&t);
    assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_OK);
    assert_int_equal(acpi_madt_decode(t.bytes, t.length - 1, &madt), E_CORRUPT);
    t.bytes[0] = 'X';
    assert_int_equal(acpi_madt_decode(t.bytes, t.length, &madt), E_CORRUPT);
    assert_int_equal(acpi_madt_decode(NULL, 0, &madt), E_CORRUPT);
}

static void hpet_build(Table *t, uint8_t space, uint64_t address)
{
    table_begin(t, "HPET");
    table_u32(t, 0x8086A201);
    table_u8(t, space);
    table_u8(t, 64);
    table_u8(t, 0);
    table_u8(t, 0);
    table_u64(t, address);
    table_u8(t, 0);
    table_u16(t, 0x80);
    table_u8(t, 0);
    table_end(t);
}

static void test_hpet(void **state)
{
    static Table t;
    HpetInfo hpet;
    hpet_build(&t, 0, 0xFED00000);
    assert_int_equal(acpi_hpet_decode(t.bytes, t.length, &hpet), E_OK);
    assert_int_equal(hpet.phys, 0xFED00000);
    assert_int_equal(hpet.min_tick, 0x80);
    hpet_build(&t, 1, 0xFED00000); /* I/O space */
    assert_int_equal(acpi_hpet_decode(t.bytes, t.length, &hpet), E_NOSYS);
    hpet_build(&t, 0, 0);
    assert_int_equal(acpi_hpet_decode(t.bytes, t.length, &hpet), E_CORRUPT);
    hpet_build(&t, 0, 0xFED00200); /* not 1 KiB aligned */
    assert_int_equal(acpi_hpet_decode(t.bytes, t.length, &hpet), E_CORRUPT);
}

static void mcfg_build(Table *t, size_t count, uint8_t end_bus)
{
    table_begin(t, "MCFG");
    table_u64(t, 0);
    for (size_t i = 0; i < count; i++) {
        table_u64(t, 0xE0000000ULL + i * 0x10000000ULL);
        table_u16(t, (uint16_t)i);
        table_u8(t, 0);
        table_u8(t, end_bus);
        table_u32(t, 0);
    }
    table_end(t);
}

static void test_mcfg(void **state)
{
    static Table t;
    static McfgInfo mcfg;
    mcfg_build(&t, 2, 63);
    assert_int_equal(acpi_mcfg_decode(t.bytes, t.length, &mcfg), E_OK);
    assert_int_equal(mcfg.count, 2);
    assert_int_equal(mcfg.segments[1].phys, 0xF0000000ULL);
    assert_int_equal(mcfg.segments[1].segment, 1);
    assert_int_equal(mcfg.segments[1].end_bus, 63);
    mcfg_build(&t, 0, 0);
    assert_int_equal(acpi_mcfg_decode(t.bytes, t.length, &mcfg), E_OK);
    assert_int_equal(mcfg.count, 0);
    mcfg_build(&t, MCFG_MAX_SEGMENTS + 1, 255);
    assert_int_equal(acpi_mcfg_decode(t.bytes, t.length, &mcfg), E_RANGE);
    /* end_bus below start_bus. */
    mcfg_build(&t, 1, 0);
    t.bytes[44 + 10] = 5;
    table_end(&t);
    assert_int_equal(acpi_mcfg_decode(t.bytes, t.length, &mcfg), E_CORRUPT);
    /* A partial entry. */
    mcfg_build(&t, 1, 255);
    t.length -= 4;
    table_end(&t);
    assert_int_equal(acpi_mcfg_decode(t.bytes, t.length, &mcfg), E_CORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_madt_cpus_and_x2apic),
        cmocka_unit_test(test_madt_too_many),
        cmocka_unit_test(test_madt_malformed),
        cmocka_unit_test(test_hpet),
        cmocka_unit_test(test_mcfg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
