/*
 * ACPI table lookup and \_S5 decoding for power-off (ACPI 6.4 sections 5.2
 * and 20.2). Reads every multi-byte field byte by byte: tables are packed and
 * may sit at any alignment.
 */
#include "acpi.h"

#include <stdbool.h>

/* FADT field offsets (ACPI 6.4 table 5.9). */
#define FADT_DSDT           40
#define FADT_PM1A_CNT_BLK   64
#define FADT_PM1B_CNT_BLK   68
#define FADT_V1_LENGTH      116 /* everything up to the ACPI 1.0 fields */
#define FADT_X_DSDT         140
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_PM1B_CNT_BLK 184
#define GAS_LENGTH          12
#define GAS_ADDRESS         4
#define GAS_SPACE_SYSTEM_IO 1

/* AML opcodes used by a \_S5 package (ACPI 6.4 section 20.2). */
#define AML_ZERO         0x00
#define AML_ONE          0x01
#define AML_NAME_OP      0x08
#define AML_BYTE_PREFIX  0x0A
#define AML_WORD_PREFIX  0x0B
#define AML_DWORD_PREFIX 0x0C
#define AML_PACKAGE_OP   0x12
#define AML_ROOT_CHAR    0x5C /* '\' */

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

static bool bytes_equal(const uint8_t *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != (uint8_t)b[i]) {
            return false;
        }
    }
    return true;
}

static bool checksum_ok(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum = (uint8_t)(sum + p[i]);
    }
    return sum == 0;
}

/* Maps the RSDP and returns it, or NULL when signature or checksums fail. */
static const uint8_t *rsdp_map(const AcpiMapper *m, uint64_t phys)
{
    const uint8_t *r = m->map(m->ctx, phys, ACPI_RSDP_V1_LENGTH);
    if (r == NULL || !bytes_equal(r, "RSD PTR ", 8) || !checksum_ok(r, ACPI_RSDP_V1_LENGTH)) {
        return NULL;
    }
    if (r[15] < 2) {
        return r;
    }
    /* ACPI 2.0+: the extended checksum covers the whole structure. */
    r = m->map(m->ctx, phys, ACPI_RSDP_V2_LENGTH);
    if (r == NULL) {
        return NULL;
    }
    uint32_t length = rd32(r + 20);
    if (length < ACPI_RSDP_V2_LENGTH || length > 4096) {
        return NULL;
    }
    r = m->map(m->ctx, phys, length);
    return r != NULL && checksum_ok(r, length) ? r : NULL;
}

/* Maps a whole system description table after checking its signature (NULL
 * sig: any), length and checksum; stores its length. NULL when it fails. */
static const uint8_t *sdt_map(const AcpiMapper *m, uint64_t phys, const char *sig,
                              uint32_t *length_out)
{
    if (phys == 0) {
        return NULL;
    }
    const uint8_t *h = m->map(m->ctx, phys, ACPI_SDT_HEADER_LENGTH);
    if (h == NULL || (sig != NULL && !bytes_equal(h, sig, 4))) {
        return NULL;
    }
    uint32_t length = rd32(h + 4);
    if (length < ACPI_SDT_HEADER_LENGTH || length > ACPI_MAX_TABLE_LENGTH) {
        return NULL;
    }
    const uint8_t *t = m->map(m->ctx, phys, length);
    if (t == NULL || !checksum_ok(t, length)) {
        return NULL;
    }
    *length_out = length;
    return t;
}

/* Looks sig up in a validated XSDT (entry_size 8) or RSDT (4). */
static Error root_table_find(const AcpiMapper *m, const uint8_t *root, uint32_t length,
                             size_t entry_size, const char *sig, uint64_t *table_phys)
{
    size_t count = (length - ACPI_SDT_HEADER_LENGTH) / entry_size;
    for (size_t i = 0; i < count; i++) {
        const uint8_t *e = root + ACPI_SDT_HEADER_LENGTH + i * entry_size;
        uint64_t phys = entry_size == 8 ? rd64(e) : rd32(e);
        const uint8_t *h = phys != 0 ? m->map(m->ctx, phys, ACPI_SDT_HEADER_LENGTH) : NULL;
        if (h == NULL || !bytes_equal(h, sig, 4)) {
            continue;
        }
        uint32_t table_length;
        if (sdt_map(m, phys, sig, &table_length) == NULL) {
            return E_CORRUPT;
        }
        *table_phys = phys;
        return E_OK;
    }
    return E_NOENT;
}

Error acpi_get_table(const AcpiMapper *m, uint64_t rsdp_phys, const char *sig,
                     const uint8_t **table, uint32_t *length)
{
    uint64_t phys;
    Error err = acpi_find_table(m, rsdp_phys, sig, &phys);
    if (err != E_OK) {
        return err;
    }
    /* Mapped again: the mapper may hand out a new window each time. */
    const uint8_t *t = sdt_map(m, phys, sig, length);
    if (t == NULL) {
        return E_CORRUPT;
    }
    *table = t;
    return E_OK;
}

Error acpi_find_table(const AcpiMapper *m, uint64_t rsdp_phys, const char *sig,
                      uint64_t *table_phys)
{
    const uint8_t *rsdp = rsdp_phys != 0 ? rsdp_map(m, rsdp_phys) : NULL;
    if (rsdp == NULL) {
        return E_CORRUPT;
    }
    uint32_t length;
    if (rsdp[15] >= 2) {
        /* The XSDT supersedes the RSDT when both exist; a broken XSDT
         * falls back to the RSDT rather than losing power-off. */
        const uint8_t *xsdt = sdt_map(m, rd64(rsdp + 24), "XSDT", &length);
        if (xsdt != NULL) {
            return root_table_find(m, xsdt, length, 8, sig, table_phys);
        }
    }
    const uint8_t *rsdt = sdt_map(m, rd32(rsdp + 16), "RSDT", &length);
    if (rsdt == NULL) {
        return E_CORRUPT;
    }
    return root_table_find(m, rsdt, length, 4, sig, table_phys);
}

/* Reads one AML integer constant at *pos (Zero, One, or a byte, word or
 * dword constant), advancing *pos. False if out of bounds or not one. */
static bool aml_read_integer(const uint8_t *aml, size_t length, size_t *pos, uint32_t *value)
{
    if (*pos >= length) {
        return false;
    }
    uint8_t op = aml[(*pos)++];
    size_t size;
    switch (op) {
    case AML_ZERO: *value = 0; return true;
    case AML_ONE: *value = 1; return true;
    case AML_BYTE_PREFIX: size = 1; break;
    case AML_WORD_PREFIX: size = 2; break;
    case AML_DWORD_PREFIX: size = 4; break;
    default: return false;
    }
    if (length - *pos < size) {
        return false;
    }
    const uint8_t *p = aml + *pos;
    *value = size == 1 ? p[0] : size == 2 ? rd16(p) : rd32(p);
    *pos += size;
    return true;
}

/* Decodes "Name(_S5_, Package(n) {a, b, ...})" with its name at pos. */
static bool aml_decode_s5_at(const uint8_t *aml, size_t length, size_t pos, uint8_t *typa,
                             uint8_t *typb)
{
    /* The name must follow NameOp, directly or after a root prefix '\'. */
    bool named = (pos >= 1 && aml[pos - 1] == AML_NAME_OP) ||
                 (pos >= 2 && aml[pos - 1] == AML_ROOT_CHAR && aml[pos - 2] == AML_NAME_OP);
    pos += 4;
    if (!named || pos >= length || aml[pos] != AML_PACKAGE_OP) {
        return false;
    }
    pos++;
    /* PkgLength: bits 7:6 of the lead byte count the bytes that follow. */
    if (pos >= length) {
        return false;
    }
    pos += 1 + (aml[pos] >> 6);
    if (pos >= length) {
        return false;
    }
    uint8_t elements = aml[pos++];
    uint32_t a, b = 0;
    if (elements < 1 || !aml_read_integer(aml, length, &pos, &a)) {
        return false;
    }
    if (elements >= 2 && !aml_read_integer(aml, length, &pos, &b)) {
        return false;
    }
    if (a > 7 || b > 7) {
        return false; /* SLP_TYP is a 3-bit field */
    }
    *typa = (uint8_t)a;
    *typb = (uint8_t)b;
    return true;
}

Error acpi_aml_find_s5(const uint8_t *aml, size_t length, uint8_t *slp_typa, uint8_t *slp_typb)
{
    /* A linear scan rather than an AML interpreter: the first "_S5_" that
     * decodes as a named package is the one. */
    for (size_t pos = 0; length >= 4 && pos <= length - 4; pos++) {
        if (bytes_equal(aml + pos, "_S5_", 4) &&
            aml_decode_s5_at(aml, length, pos, slp_typa, slp_typb)) {
            return E_OK;
        }
    }
    return E_NOENT;
}

/* A PM1 control block: the X_ GAS (ACPI 2.0+) when present and non-zero,
 * else the 32-bit port field. Stores 0 when the FADT has none. */
static Error fadt_pm1_port(const uint8_t *fadt, uint32_t length, size_t legacy, size_t gas,
                           uint16_t *port)
{
    uint64_t address = rd32(fadt + legacy);
    if (length >= gas + GAS_LENGTH && rd64(fadt + gas + GAS_ADDRESS) != 0) {
        if (fadt[gas] != GAS_SPACE_SYSTEM_IO) {
            return E_NOSYS;
        }
        address = rd64(fadt + gas + GAS_ADDRESS);
    }
    if (address > 0xFFFF) {
        return E_CORRUPT;
    }
    *port = (uint16_t)address;
    return E_OK;
}

Error acpi_s5_lookup(const AcpiMapper *m, uint64_t rsdp_phys, AcpiS5 *out)
{
    uint64_t fadt_phys;
    Error err = acpi_find_table(m, rsdp_phys, "FACP", &fadt_phys);
    if (err != E_OK) {
        return err;
    }
    uint32_t fadt_length;
    const uint8_t *fadt = sdt_map(m, fadt_phys, "FACP", &fadt_length);
    if (fadt == NULL || fadt_length < FADT_V1_LENGTH) {
        return E_CORRUPT;
    }

    AcpiS5 s5 = {0};
    err = fadt_pm1_port(fadt, fadt_length, FADT_PM1A_CNT_BLK, FADT_X_PM1A_CNT_BLK, &s5.pm1a_cnt);
    if (err != E_OK) {
        return err;
    }
    if (s5.pm1a_cnt == 0) {
        return E_NOENT;
    }
    err = fadt_pm1_port(fadt, fadt_length, FADT_PM1B_CNT_BLK, FADT_X_PM1B_CNT_BLK, &s5.pm1b_cnt);
    if (err != E_OK) {
        return err;
    }

    uint64_t dsdt_phys = rd32(fadt + FADT_DSDT);
    if (fadt_length >= FADT_X_DSDT + 8 && rd64(fadt + FADT_X_DSDT) != 0) {
        dsdt_phys = rd64(fadt + FADT_X_DSDT);
    }
    uint32_t dsdt_length;
    const uint8_t *dsdt = sdt_map(m, dsdt_phys, "DSDT", &dsdt_length);
    if (dsdt == NULL) {
        return E_CORRUPT;
    }
    err = acpi_aml_find_s5(dsdt + ACPI_SDT_HEADER_LENGTH, dsdt_length - ACPI_SDT_HEADER_LENGTH,
                           &s5.slp_typa, &s5.slp_typb);
    if (err != E_OK) {
        return err;
    }
    *out = s5;
    return E_OK;
}
