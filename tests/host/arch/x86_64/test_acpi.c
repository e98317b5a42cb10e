// Host tests of the ACPI power-off lookup: RSDP -> XSDT/RSDT -> FADT -> DSDT \_S5,
// over fake tables built in memory, including every corruption it must refuse.
// TEST_SOURCES: kernel/arch/x86_64/acpi.c
// TEST_CFLAGS: -Ikernel/arch/x86_64 -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "acpi.h"

/* ---- Fake physical memory: MEM_BASE .. MEM_BASE + sizeof(mem). ---- */

#define MEM_BASE 0x80000ULL
#define RSDP_AT  0x80000ULL
#define XSDT_AT  0x80100ULL
#define RSDT_AT  0x80200ULL
#define FADT_AT  0x80400ULL
#define DSDT_AT  0x80800ULL
#define DSDT2_AT 0x81000ULL
#define OTHER_AT 0x81800ULL

static uint8_t mem[0x4000];

static const void *fake_map(void *ctx, uint64_t phys, uint64_t length)
{
    (void)ctx;
    if (phys < MEM_BASE || phys - MEM_BASE > sizeof(mem) ||
        length > sizeof(mem) - (phys - MEM_BASE)) {
        return NULL;
    }
    return &mem[phys - MEM_BASE];
}

static const AcpiMapper mapper = {.map = fake_map, .ctx = NULL};

static uint8_t *at(uint64_t phys)
{
    return &mem[phys - MEM_BASE];
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++) {
        s = (uint8_t)(s + p[i]);
    }
    return s;
}

/* Recomputes the checksum byte of the SDT at phys from its length field. */
static void sdt_fix(uint64_t phys)
{
    uint8_t *t = at(phys);
    t[9] = 0;
    t[9] = (uint8_t)(0 - sum(t, get32(t + 4)));
}

static void sdt_put(uint64_t phys, const char *sig, uint32_t length)
{
    uint8_t *t = at(phys);
    memset(t, 0, length);
    memcpy(t, sig, 4);
    put32(t + 4, length);
    t[8] = 2;
    memcpy(t + 10, "ANOSTS", 6);
    sdt_fix(phys);
}

static void rsdp_put(uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
    uint8_t *r = at(RSDP_AT);
    memset(r, 0, 36);
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "ANOSTS", 6);
    r[15] = revision;
    put32(r + 16, rsdt);
    put32(r + 20, 36);
    put64(r + 24, xsdt);
    r[8] = (uint8_t)(0 - sum(r, 20));
    r[32] = (uint8_t)(0 - sum(r, 36));
}

/* A DSDT whose body is aml[0..n). */
static void dsdt_put(uint64_t phys, const uint8_t *aml, size_t n)
{
    sdt_put(phys, "DSDT", (uint32_t)(36 + n));
    memcpy(at(phys) + 36, aml, n);
    sdt_fix(phys);
}

/* Name(_S5_, Package(4) {5, 5, Zero, Zero}) after some unrelated AML. */
static const uint8_t s5_aml[] = {
    0x10, 0x05, '_',  'S',  'B',  '_',              /* Scope(_SB_) stub */
    0x08, '_',  'S',  '5',  '_',  0x12, 0x08, 0x04, /* Name, Package, len, 4 */
    0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00,
};

/* The standard machine: ACPI 2.0 RSDP with XSDT and RSDT, FADT with PM1a at
 * 0x604 (legacy field only), DSDT with s5_aml. */
static int setup_machine(void **state)
{
    (void)state;
    memset(mem, 0, sizeof(mem));
    sdt_put(OTHER_AT, "APIC", 44);

    sdt_put(FADT_AT, "FACP", 276);
    put32(at(FADT_AT) + 40, (uint32_t)DSDT_AT);
    put32(at(FADT_AT) + 64, 0x604);
    sdt_fix(FADT_AT);
    dsdt_put(DSDT_AT, s5_aml, sizeof(s5_aml));

    sdt_put(XSDT_AT, "XSDT", 36 + 16);
    put64(at(XSDT_AT) + 36, OTHER_AT);
    put64(at(XSDT_AT) + 44, FADT_AT);
    sdt_fix(XSDT_AT);

    sdt_put(RSDT_AT, "RSDT", 36 + 8);
    put32(at(RSDT_AT) + 36, (uint32_t)OTHER_AT);
    put32(at(RSDT_AT) + 40, (uint32_t)FADT_AT);
    sdt_fix(RSDT_AT);

    rsdp_put(2, (uint32_t)RSDT_AT, XSDT_AT);
    return 0;
}

static void expect_s5(uint16_t pm1a, uint16_t pm1b, uint8_t a, uint8_t b)
{
    AcpiS5 s5;
    assert_int_equal(acpi_s5_lookup(&mapper, RSDP_AT, &s5), E_OK);
    assert_int_equal(s5.pm1a_cnt, pm1a);
    assert_int_equal(s5.pm1b_cnt, pm1b);
    assert_int_equal(s5.slp_typa, a);
    assert_int_equal(s5.slp_typb, b);
}

static void expect_error(Error expected)
{
    AcpiS5 s5;
    assert_int_equal(acpi_s5_lookup(&mapper, RSDP_AT, &s5), expected);
}

/* ---- Success paths ---- */

static void test_xsdt_path(void **state)
{
    expect_s5(0x604, 0, 5, 5);
    uint64_t phys;
    assert_int_equal(acpi_find_table(&mapper, RSDP_AT, "APIC", &phys), E_OK);
    assert_int_equal(phys, OTHER_AT);
}

static void test_rsdt_only_acpi1(void **state)
{
    rsdp_put(0, (uint32_t)RSDT_AT, 0);
    memset(at(XSDT_AT), 0, 64); /* the XSDT must not be used */
    expect_s5(0x604, 0, 5, 5);
}

static void test_corrupt_xsdt_falls_back_to_rsdt(void **state)
{
    at(XSDT_AT)[20] ^= 0xFF;
    expect_s5(0x604, 0, 5, 5);
}

static void test_zero_one_constants_and_root_prefix(void **state)
{
    static const uint8_t aml[] = {0x08, '\\', '_',  'S',  '5',  '_', 0x12,
                                  0x06, 0x04, 0x01, 0x00, 0x00, 0x00};
    dsdt_put(DSDT_AT, aml, sizeof(aml));
    expect_s5(0x604, 0, 1, 0);
}

static void test_word_prefix_and_two_byte_pkglength(void **state)
{
    /* PkgLength lead byte 0x40: one more length byte follows. */
    static const uint8_t aml[] = {0x08, '_',  'S',  '5',  '_',  0x12, 0x47,
                                  0x00, 0x02, 0x0B, 0x07, 0x00, 0x0A, 0x03};
    dsdt_put(DSDT_AT, aml, sizeof(aml));
    expect_s5(0x604, 0, 7, 3);
}

static void test_s5_string_outside_name_skipped(void **state)
{
    /* A "_S5_" in a string comes first; the real Name follows. */
    static const uint8_t aml[] = {0x0D, '_', 'S',  '5',  '_',  0x00, 0x08, '_',  'S',
                                  '5',  '_', 0x12, 0x04, 0x02, 0x0A, 0x06, 0x0A, 0x06};
    dsdt_put(DSDT_AT, aml, sizeof(aml));
    expect_s5(0x604, 0, 6, 6);
}

static void test_x_fields_preferred(void **state)
{
    /* X_DSDT points at a second DSDT; X_PM1a/X_PM1b are I/O GAS. */
    static const uint8_t aml[] = {0x08, '_',  'S',  '5',  '_',  0x12,
                                  0x07, 0x02, 0x0A, 0x02, 0x0A, 0x04};
    dsdt_put(DSDT2_AT, aml, sizeof(aml));
    uint8_t *f = at(FADT_AT);
    put64(f + 140, DSDT2_AT);
    f[172] = 1; /* SystemIO */
    put64(f + 176, 0xB004);
    f[184] = 1;
    put64(f + 188, 0xB008);
    sdt_fix(FADT_AT);
    expect_s5(0xB004, 0xB008, 2, 4);
}

static void test_legacy_pm1b(void **state)
{
    put32(at(FADT_AT) + 68, 0x608);
    sdt_fix(FADT_AT);
    expect_s5(0x604, 0x608, 5, 5);
}

static void test_acpi1_fadt_length(void **state)
{
    /* An ACPI 1.0 FADT (116 bytes, no X_ fields) is enough. */
    put32(at(FADT_AT) + 4, 116);
    sdt_fix(FADT_AT);
    expect_s5(0x604, 0, 5, 5);
}

/* ---- Refusals ---- */

static void test_rsdp_bad_signature(void **state)
{
    at(RSDP_AT)[0] = 'X';
    expect_error(E_CORRUPT);
}

static void test_rsdp_bad_checksum(void **state)
{
    at(RSDP_AT)[8] ^= 1;
    expect_error(E_CORRUPT);
}

static void test_rsdp_bad_extended_checksum(void **state)
{
    at(RSDP_AT)[32] ^= 1;
    expect_error(E_CORRUPT);
}

static void test_rsdp_null_or_unmapped(void **state)
{
    AcpiS5 s5;
    assert_int_equal(acpi_s5_lookup(&mapper, 0, &s5), E_CORRUPT);
    assert_int_equal(acpi_s5_lookup(&mapper, 0x1000, &s5), E_CORRUPT);
}

static void test_both_roots_corrupt(void **state)
{
    at(XSDT_AT)[0] = 'Y';
    at(RSDT_AT)[9] ^= 1;
    expect_error(E_CORRUPT);
}

static void test_root_length_too_short(void **state)
{
    rsdp_put(0, (uint32_t)RSDT_AT, 0);
    put32(at(RSDT_AT) + 4, 20);
    sdt_fix(RSDT_AT);
    expect_error(E_CORRUPT);
}

static void test_fadt_bad_checksum(void **state)
{
    at(FADT_AT)[64] = 0x05;
    expect_error(E_CORRUPT);
}

static void test_fadt_length_beyond_memory(void **state)
{
    put32(at(FADT_AT) + 4, 0x100000);
    expect_error(E_CORRUPT);
    put32(at(FADT_AT) + 4, 0xFFFFFFFF);
    expect_error(E_CORRUPT);
}

static void test_fadt_too_short_for_pm1(void **state)
{
    put32(at(FADT_AT) + 4, 100);
    sdt_fix(FADT_AT);
    expect_error(E_CORRUPT);
}

static void test_no_fadt(void **state)
{
    at(FADT_AT)[0] = 'X';
    sdt_fix(FADT_AT);
    expect_error(E_NOENT);
}

static void test_fadt_without_pm1a(void **state)
{
    put32(at(FADT_AT) + 64, 0);
    sdt_fix(FADT_AT);
    expect_error(E_NOENT);
}

static void test_pm1a_memory_mapped_unsupported(void **state)
{
    uint8_t *f = at(FADT_AT);
    f[172] = 0; /* SystemMemory */
    put64(f + 176, 0xFED00000);
    sdt_fix(FADT_AT);
    expect_error(E_NOSYS);
}

static void test_pm1a_port_out_of_range(void **state)
{
    put32(at(FADT_AT) + 64, 0x10000);
    sdt_fix(FADT_AT);
    expect_error(E_CORRUPT);
}

static void test_dsdt_bad_checksum(void **state)
{
    at(DSDT_AT)[40] ^= 0x55;
    expect_error(E_CORRUPT);
}

static void test_dsdt_bad_signature(void **state)
{
    at(DSDT_AT)[0] = 'S';
    sdt_fix(DSDT_AT);
    expect_error(E_CORRUPT);
}

static void test_dsdt_missing(void **state)
{
    put32(at(FADT_AT) + 40, 0);
    sdt_fix(FADT_AT);
    expect_error(E_CORRUPT);
}

static void test_dsdt_without_s5(void **state)
{
    static const uint8_t aml[] = {0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0x00, 0x00};
    dsdt_put(DSDT_AT, aml, sizeof(aml));
    expect_error(E_NOENT);
}

static void test_s5_truncated(void **state)
{
    static const uint8_t aml[] = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0A};
    dsdt_put(DSDT_AT, aml, sizeof(aml));
    expect_error(E_NOENT);
}

static void test_s5_not_a_package_or_bad_value(void **state)
{
    uint8_t a, b;
    static const uint8_t not_package[] = {0x08, '_', 'S', '5', '_', 0x0A, 0x05};
    assert_int_equal(acpi_aml_find_s5(not_package, sizeof(not_package), &a, &b), E_NOENT);
    static const uint8_t too_big[] = {0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0A, 0x08};
    assert_int_equal(acpi_aml_find_s5(too_big, sizeof(too_big), &a, &b), E_NOENT);
    static const uint8_t empty[] = {0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00};
    assert_int_equal(acpi_aml_find_s5(empty, sizeof(empty), &a, &b), E_NOENT);
    assert_int_equal(acpi_aml_find_s5(not_package, 3, &a, &b), E_NOENT);
    assert_int_equal(acpi_aml_find_s5(not_package, 0, &a, &b), E_NOENT);
}

static void test_table_entry_unmapped_skipped(void **state)
{
    /* An XSDT entry pointing nowhere is skipped, not followed. */
    put64(at(XSDT_AT) + 36, 0xDEAD0000ULL);
    sdt_fix(XSDT_AT);
    expect_s5(0x604, 0, 5, 5);
}

#define MACHINE_TEST(t) cmocka_unit_test_setup(t, setup_machine)

int main(void)
{
    const struct CMUnitTest tests[] = {
        MACHINE_TEST(test_xsdt_path),
        MACHINE_TEST(test_rsdt_only_acpi1),
        MACHINE_TEST(test_corrupt_xsdt_falls_back_to_rsdt),
        MACHINE_TEST(test_zero_one_constants_and_root_prefix),
        MACHINE_TEST(test_word_prefix_and_two_byte_pkglength),
        MACHINE_TEST(test_s5_string_outside_name_skipped),
        MACHINE_TEST(test_x_fields_preferred),
        MACHINE_TEST(test_legacy_pm1b),
        MACHINE_TEST(test_acpi1_fadt_length),
        MACHINE_TEST(test_rsdp_bad_signature),
        MACHINE_TEST(test_rsdp_bad_checksum),
        MACHINE_TEST(test_rsdp_bad_extended_checksum),
        MACHINE_TEST(test_rsdp_null_or_unmapped),
        MACHINE_TEST(test_both_roots_corrupt),
        MACHINE_TEST(test_root_length_too_short),
        MACHINE_TEST(test_fadt_bad_checksum),
        MACHINE_TEST(test_fadt_length_beyond_memory),
        MACHINE_TEST(test_fadt_too_short_for_pm1),
        MACHINE_TEST(test_no_fadt),
        MACHINE_TEST(test_fadt_without_pm1a),
        MACHINE_TEST(test_pm1a_memory_mapped_unsupported),
        MACHINE_TEST(test_pm1a_port_out_of_range),
        MACHINE_TEST(test_dsdt_bad_checksum),
        MACHINE_TEST(test_dsdt_bad_signature),
        MACHINE_TEST(test_dsdt_missing),
        MACHINE_TEST(test_dsdt_without_s5),
        MACHINE_TEST(test_s5_truncated),
        MACHINE_TEST(test_s5_not_a_package_or_bad_value),
        MACHINE_TEST(test_table_entry_unmapped_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
