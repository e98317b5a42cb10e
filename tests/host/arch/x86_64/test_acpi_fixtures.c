// Host tests of the ACPI lookup and the MADT, HPET and MCFG decoders over real
// q35 tables captured from QEMU 7.2 (SeaBIOS and OVMF at -smp 1, 4 and 16; see
// tests/fixtures/acpi/README.md), and over corrupted copies of each: a flipped
// byte, a shrunk length, the MADT dropped from the root tables.
// TEST_SOURCES: kernel/arch/x86_64/acpi.c kernel/arch/x86_64/acpi_tables.c
// TEST_CFLAGS: -Ikernel/arch/x86_64 -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "acpi.h"
#include "acpi_image.h"
#include "acpi_tables.h"

typedef struct Fixture {
    const char *path; /* below tests/fixtures */
    const char *name;
    uint32_t cpus; /* the -smp it was captured at */
    bool xsdt;     /* OVMF: ACPI 2.0 RSDP with an XSDT besides the RSDT */
} Fixture;

static const Fixture fixtures[] = {
    {"acpi/acpi-q35-seabios.bin", "seabios-smp1", 1, false},
    {"acpi/acpi-q35-seabios-smp4.bin", "seabios-smp4", 4, false},
    {"acpi/acpi-q35-seabios-smp16.bin", "seabios-smp16", 16, false},
    {"acpi/acpi-q35-ovmf.bin", "ovmf-smp1", 1, true},
    {"acpi/acpi-q35-ovmf-smp4.bin", "ovmf-smp4", 4, true},
    {"acpi/acpi-q35-ovmf-smp16.bin", "ovmf-smp16", 16, true},
};
#define FIXTURE_COUNT (sizeof(fixtures) / sizeof(fixtures[0]))

static int fixture_setup(void **state)
{
    const Fixture *f = *state;
    image_load(f->path);
    return 0;
}

static Error image_get(const char *sig, const uint8_t **t, uint32_t *len)
{
    AcpiMapper m = {.map = image_map, .ctx = &image};
    return acpi_get_table(&m, image.rsdp, sig, t, len);
}

/* QEMU's q35 MADT: IRQ0 -> GSI 2 (edge, bus default), then the SCI (9) and
 * the PCI link IRQs 5, 10, 11 level-triggered, active high. */
static const MadtOverride q35_overrides[] = {
    {.source = 0, .gsi = 2, .flags = 0x0},   {.source = 5, .gsi = 5, .flags = 0xD},
    {.source = 9, .gsi = 9, .flags = 0xD},   {.source = 10, .gsi = 10, .flags = 0xD},
    {.source = 11, .gsi = 11, .flags = 0xD},
};

static void test_madt(void **state)
{
    const Fixture *f = *state;
    const uint8_t *t;
    uint32_t len;
    static MadtInfo madt;
    assert_int_equal(image_get("APIC", &t, &len), E_OK);
    assert_int_equal(acpi_madt_decode(t, len, &madt), E_OK);
    assert_int_equal(madt.lapic_phys, 0xFEE00000);
    assert_true(madt.pcat_compat);
    /* Exactly the -smp CPUs, xAPIC entries with ids and UIDs 0..N-1. */
    assert_int_equal(madt.cpu_count, f->cpus);
    assert_int_equal(madt.cpus_disabled, 0);
    assert_int_equal(madt.cpus_dropped, 0);
    for (uint32_t i = 0; i < f->cpus; i++) {
        assert_int_equal(madt.cpus[i].apic_id, i);
        assert_int_equal(madt.cpus[i].acpi_uid, i);
        assert_false(madt.cpus[i].x2apic_entry);
    }
    assert_int_equal(madt.ioapic_count, 1);
    assert_int_equal(madt.ioapics[0].id, 0);
    assert_int_equal(madt.ioapics[0].phys, 0xFEC00000);
    assert_int_equal(madt.ioapics[0].gsi_base, 0);
    size_t n = sizeof(q35_overrides) / sizeof(q35_overrides[0]);
    assert_int_equal(madt.override_count, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(madt.overrides[i].source, q35_overrides[i].source);
        assert_int_equal(madt.overrides[i].gsi, q35_overrides[i].gsi);
        assert_int_equal(madt.overrides[i].flags, q35_overrides[i].flags);
    }
}

static void test_hpet_mcfg(void **state)
{
    const uint8_t *t;
    uint32_t len;
    HpetInfo hpet;
    assert_int_equal(image_get("HPET", &t, &len), E_OK);
    assert_int_equal(acpi_hpet_decode(t, len, &hpet), E_OK);
    assert_int_equal(hpet.phys, 0xFED00000);
    assert_int_equal(hpet.number, 0);
    assert_int_equal(hpet.min_tick, 0); /* QEMU leaves it 0 */

    static McfgInfo mcfg;
    assert_int_equal(image_get("MCFG", &t, &len), E_OK);
    assert_int_equal(acpi_mcfg_decode(t, len, &mcfg), E_OK);
    assert_int_equal(mcfg.count, 1);
    assert_int_equal(mcfg.segments[0].phys, 0xB0000000);
    assert_int_equal(mcfg.segments[0].segment, 0);
    assert_int_equal(mcfg.segments[0].start_bus, 0);
    assert_int_equal(mcfg.segments[0].end_bus, 255);

    assert_int_equal(image_get("SRAT", &t, &len), E_NOENT); /* no NUMA */
}

/* Adding 1 to any byte of a table breaks its checksum; every byte of the
 * MADT, HPET and MCFG in turn, and the root tables and RSDP. */
static void test_bad_checksum(void **state)
{
    const Fixture *f = *state;
    static const char *const sigs[] = {"APIC", "HPET", "MCFG"};
    const uint8_t *t;
    uint32_t len;
    for (size_t s = 0; s < 3; s++) {
        Chunk *c = image_table(sigs[s]);
        assert_non_null(c);
        for (size_t i = 0; i < c->length; i++) {
            c->data[i]++;
            /* A changed signature no longer names the table at all. */
            Error want = i < 4 ? E_NOENT : E_CORRUPT;
            assert_int_equal(image_get(sigs[s], &t, &len), want);
            c->data[i]--;
        }
        assert_int_equal(image_get(sigs[s], &t, &len), E_OK);
    }

    /* A broken XSDT falls back to the RSDT; with both broken, or without an
     * XSDT, nothing is found. */
    Chunk *rsdt = image_table("RSDT");
    Chunk *xsdt = image_table("XSDT");
    assert_non_null(rsdt);
    assert_true((xsdt != NULL) == f->xsdt);
    if (xsdt != NULL) {
        xsdt->data[xsdt->length - 1] ^= 0x01;
        assert_int_equal(image_get("APIC", &t, &len), E_OK);
    }
    rsdt->data[rsdt->length - 1] ^= 0x01;
    assert_int_equal(image_get("APIC", &t, &len), E_CORRUPT);
    rsdt->data[rsdt->length - 1] ^= 0x01;
    if (xsdt != NULL) {
        xsdt->data[xsdt->length - 1] ^= 0x01;
    }
    assert_int_equal(image_get("APIC", &t, &len), E_OK);

    Chunk *rsdp = image_chunk(image.rsdp);
    assert_non_null(rsdp);
    rsdp->data[8] ^= 0x01; /* covered by both RSDP checksums */
    assert_int_equal(image_get("APIC", &t, &len), E_CORRUPT);
}

/* Decodes the first len bytes of a real table (header length and checksum
 * made to match) from a buffer of exactly len bytes, so that ASan catches
 * any read past the end. */
static Error decode_prefix(const Chunk *c, uint32_t len, MadtInfo *madt)
{
    uint8_t *copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, c->data, len);
    if (len >= 8) {
        memcpy(copy + 4, &len, 4);
    }
    if (len >= 10) {
        image_fix_checksum(copy, len);
    }
    Error err;
    HpetInfo hpet;
    static McfgInfo mcfg;
    if (memcmp(c->data, "APIC", 4) == 0) {
        err = acpi_madt_decode(copy, len, madt);
    } else if (memcmp(c->data, "HPET", 4) == 0) {
        err = acpi_hpet_decode(copy, len, &hpet);
    } else {
        err = acpi_mcfg_decode(copy, len, &mcfg);
    }
    free(copy);
    return err;
}

/* Every shorter length of the MADT: refused unless the cut falls between two
 * entries after at least one CPU, which is a well-formed shorter MADT. */
static void test_truncated_madt(void **state)
{
    const Fixture *f = *state;
    Chunk *c = image_table("APIC");
    assert_non_null(c);
    static MadtInfo madt;
    uint32_t next_entry = 44; /* the end of the fixed fields */
    uint32_t cpus_before = 0; /* CPU entries before next_entry */
    for (uint32_t len = 0; len < c->length; len++) {
        Error err = decode_prefix(c, len, &madt);
        if (len == next_entry) {
            if (cpus_before > 0) {
                assert_int_equal(err, E_OK);
                assert_int_equal(madt.cpu_count, cpus_before);
            } else {
                assert_int_equal(err, E_CORRUPT);
            }
            cpus_before += c->data[len] == 0; /* a local APIC entry */
            next_entry += c->data[len + 1];
        } else {
            assert_int_equal(err, E_CORRUPT);
        }
    }
    assert_int_equal(cpus_before, f->cpus);

    /* Through the lookup: a shrunk header length with a matching checksum
     * is a valid table to acpi_get_table and a broken MADT to the decoder;
     * below the header size, or past the memory behind it, the lookup
     * itself refuses it. */
    const uint8_t *t;
    uint32_t got;
    uint32_t full = (uint32_t)c->length;
    uint32_t cut = full - 3;
    memcpy(c->data + 4, &cut, 4);
    image_fix_checksum(c->data, cut);
    assert_int_equal(image_get("APIC", &t, &got), E_OK);
    assert_int_equal(got, cut);
    assert_int_equal(acpi_madt_decode(t, got, &madt), E_CORRUPT);
    cut = 20;
    memcpy(c->data + 4, &cut, 4);
    image_fix_checksum(c->data, cut);
    assert_int_equal(image_get("APIC", &t, &got), E_CORRUPT);
    cut = full + 8;
    memcpy(c->data + 4, &cut, 4);
    assert_int_equal(image_get("APIC", &t, &got), E_CORRUPT);
}

/* Every shorter length of the HPET and MCFG tables. An MCFG cut after its
 * fixed fields is a well-formed table with no windows. */
static void test_truncated_hpet_mcfg(void **state)
{
    Chunk *h = image_table("HPET");
    Chunk *m = image_table("MCFG");
    assert_non_null(h);
    assert_non_null(m);
    assert_int_equal(h->length, 56);
    assert_int_equal(m->length, 60);
    for (uint32_t len = 0; len < h->length; len++) {
        assert_int_equal(decode_prefix(h, len, NULL), E_CORRUPT);
    }
    for (uint32_t len = 0; len < m->length; len++) {
        assert_int_equal(decode_prefix(m, len, NULL), len == 44 ? E_OK : E_CORRUPT);
    }
}

/* Removes the entry for phys from a root table (entry size esize), fixing
 * its length and checksum, as firmware without that table would build it. */
static void root_drop(Chunk *root, size_t esize, uint64_t phys)
{
    uint32_t len;
    memcpy(&len, root->data + 4, 4);
    bool found = false;
    for (size_t pos = 36; pos + esize <= len; pos += esize) {
        uint64_t entry = 0;
        memcpy(&entry, root->data + pos, esize);
        if (entry == phys) {
            memmove(root->data + pos, root->data + pos + esize, len - pos - esize);
            len -= (uint32_t)esize;
            found = true;
            break;
        }
    }
    assert_true(found);
    memcpy(root->data + 4, &len, 4);
    image_fix_checksum(root->data, len);
}

/* The XSDT, when there is one, is the only root consulted: dropping the
 * MADT from the RSDT alone changes nothing, from the XSDT alone loses it. */
static void test_missing_madt(void **state)
{
    const Fixture *f = *state;
    uint64_t madt_phys = image_table("APIC")->phys;
    Chunk *rsdt = image_table("RSDT");
    Chunk *xsdt = image_table("XSDT");
    const uint8_t *t;
    uint32_t len;

    root_drop(rsdt, 4, madt_phys);
    assert_int_equal(image_get("APIC", &t, &len), f->xsdt ? E_OK : E_NOENT);
    if (f->xsdt) {
        root_drop(xsdt, 8, madt_phys);
        assert_int_equal(image_get("APIC", &t, &len), E_NOENT);
    }
    /* The rest is intact. */
    HpetInfo hpet;
    assert_int_equal(image_get("HPET", &t, &len), E_OK);
    assert_int_equal(acpi_hpet_decode(t, len, &hpet), E_OK);
    assert_int_equal(image_get("MCFG", &t, &len), E_OK);
    assert_int_equal(image_get("FACP", &t, &len), E_OK);
}

/* OVMF: the MADT dropped from the XSDT alone is missing, although the RSDT
 * still lists it. SeaBIOS: an ACPI 1.0 RSDP and an RSDT only. */
static void test_xsdt_only(void **state)
{
    const Fixture *f = *state;
    Chunk *rsdp = image_chunk(image.rsdp);
    assert_non_null(rsdp);
    assert_int_equal(rsdp->data[15] >= 2, f->xsdt);
    Chunk *xsdt = image_table("XSDT");
    if (!f->xsdt) {
        assert_null(xsdt);
        return;
    }
    const uint8_t *t;
    uint32_t len;
    root_drop(xsdt, 8, image_table("APIC")->phys);
    assert_int_equal(image_get("APIC", &t, &len), E_NOENT);
}

typedef struct Check {
    const char *name;
    CMUnitTestFunction fn;
} Check;

static const Check checks[] = {
    {"madt", test_madt},
    {"hpet_mcfg", test_hpet_mcfg},
    {"bad_checksum", test_bad_checksum},
    {"truncated_madt", test_truncated_madt},
    {"truncated_hpet_mcfg", test_truncated_hpet_mcfg},
    {"missing_madt", test_missing_madt},
    {"xsdt_only", test_xsdt_only},
};
#define CHECK_COUNT (sizeof(checks) / sizeof(checks[0]))

/* One cmocka test per check and fixture, named "<check> <fixture>". */
int main(void)
{
    static struct CMUnitTest tests[CHECK_COUNT * FIXTURE_COUNT];
    static char names[CHECK_COUNT * FIXTURE_COUNT][64];
    size_t n = 0;
    for (size_t c = 0; c < CHECK_COUNT; c++) {
        for (size_t f = 0; f < FIXTURE_COUNT; f++, n++) {
            snprintf(names[n], sizeof(names[n]), "%s %s", checks[c].name, fixtures[f].name);
            tests[n] = (struct CMUnitTest){.name = names[n],
                                           .test_func = checks[c].fn,
                                           .setup_func = fixture_setup,
                                           .teardown_func = image_free,
                                           .initial_state = (void *)&fixtures[f]};
        }
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
