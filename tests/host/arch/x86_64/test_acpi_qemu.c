// Host tests of the ACPI power-off lookup over real tables dumped from QEMU 7.2
// q35 (SeaBIOS: ACPI 1.0 RSDP and RSDT; OVMF: ACPI 2.0 RSDP and XSDT).
// TEST_SOURCES: kernel/arch/x86_64/acpi.c
// TEST_CFLAGS: -Ikernel/arch/x86_64 -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <test_fixture.h>

#include "acpi.h"

#define MAX_CHUNKS 32

/* A sparse physical memory: the chunks of one fixture file. */
typedef struct Chunk {
    uint64_t phys;
    uint64_t length;
    uint8_t *data;
} Chunk;

typedef struct PhysImage {
    uint64_t rsdp;
    size_t count;
    Chunk chunks[MAX_CHUNKS];
} PhysImage;

static PhysImage image;

static const void *image_map(void *ctx, uint64_t phys, uint64_t length)
{
    PhysImage *img = ctx;
    for (size_t i = 0; i < img->count; i++) {
        Chunk *c = &img->chunks[i];
        if (phys >= c->phys && phys - c->phys <= c->length &&
            length <= c->length - (phys - c->phys)) {
            return c->data + (phys - c->phys);
        }
    }
    return NULL;
}

/* File format: "ANOSPHYS", rsdp, then chunks of (phys, length, data padded
 * to 8 bytes). Each chunk gets its own allocation so ASan catches a read
 * past it. */
static void image_load(const char *relative_path)
{
    size_t size;
    uint8_t *file = fixture_load(relative_path, &size);
    assert_true(size >= 16);
    assert_memory_equal(file, "ANOSPHYS", 8);
    memcpy(&image.rsdp, file + 8, 8);
    image.count = 0;
    size_t pos = 16;
    uint64_t hdr[2];
    while (size - pos >= sizeof(hdr)) {
        memcpy(hdr, file + pos, sizeof(hdr));
        pos += sizeof(hdr);
        assert_true(image.count < MAX_CHUNKS);
        Chunk *c = &image.chunks[image.count++];
        c->phys = hdr[0];
        c->length = hdr[1];
        c->data = malloc(hdr[1] + 8);
        assert_non_null(c->data);
        size_t padded = (size_t)((hdr[1] + 7) & ~7ULL);
        assert_true(padded <= size - pos);
        memcpy(c->data, file + pos, padded);
        pos += padded;
    }
    free(file);
}

static int image_free(void **state)
{
    for (size_t i = 0; i < image.count; i++) {
        free(image.chunks[i].data);
    }
    image.count = 0;
    return 0;
}

static Chunk *image_chunk(uint64_t phys)
{
    for (size_t i = 0; i < image.count; i++) {
        if (image.chunks[i].phys == phys) {
            return &image.chunks[i];
        }
    }
    return NULL;
}

static void check_qemu_s5(const char *relative_path)
{
    image_load(relative_path);
    AcpiMapper m = {.map = image_map, .ctx = &image};
    AcpiS5 s5;
    assert_int_equal(acpi_s5_lookup(&m, image.rsdp, &s5), E_OK);
    /* QEMU's ICH9 PM block at 0x600 (PM1a_CNT = +4), \_S5 = {0, 0, 0, 0}. */
    assert_int_equal(s5.pm1a_cnt, 0x604);
    assert_int_equal(s5.pm1b_cnt, 0);
    assert_int_equal(s5.slp_typa, 0);
    assert_int_equal(s5.slp_typb, 0);

    uint64_t phys;
    assert_int_equal(acpi_find_table(&m, image.rsdp, "APIC", &phys), E_OK);
    assert_int_equal(acpi_find_table(&m, image.rsdp, "HPET", &phys), E_OK);
    assert_int_equal(acpi_find_table(&m, image.rsdp, "MCFG", &phys), E_OK);
    assert_int_equal(acpi_find_table(&m, image.rsdp, "SRAT", &phys), E_NOENT);

    /* One flipped byte anywhere in the FADT is refused. */
    assert_int_equal(acpi_find_table(&m, image.rsdp, "FACP", &phys), E_OK);
    Chunk *fadt = image_chunk(phys);
    assert_non_null(fadt);
    fadt->data[fadt->length / 2] ^= 0x10;
    assert_int_equal(acpi_s5_lookup(&m, image.rsdp, &s5), E_CORRUPT);
}

static void test_qemu_q35_seabios(void **state)
{
    check_qemu_s5("acpi/acpi-q35-seabios.bin");
}

static void test_qemu_q35_ovmf(void **state)
{
    check_qemu_s5("acpi/acpi-q35-ovmf.bin");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_qemu_q35_seabios, image_free),
        cmocka_unit_test_teardown(test_qemu_q35_ovmf, image_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
