/*
 * A sparse fake physical memory loaded from a tests/fixtures/acpi image
 * (format: extract_acpi.py), with an AcpiMapper over it, for the ACPI tests.
 * Each chunk gets its own allocation so ASan catches a read past it.
 */
#ifndef ANOS_TEST_ACPI_IMAGE_H
#define ANOS_TEST_ACPI_IMAGE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <test_fixture.h>

#define MAX_CHUNKS 32

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

static inline const void *image_map(void *ctx, uint64_t phys, uint64_t length)
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
 * to 8 bytes). */
static inline void image_load(const char *relative_path)
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

static inline int image_free(void **state)
{
    (void)state;
    for (size_t i = 0; i < image.count; i++) {
        free(image.chunks[i].data);
    }
    image.count = 0;
    return 0;
}

static inline Chunk *image_chunk(uint64_t phys)
{
    for (size_t i = 0; i < image.count; i++) {
        if (image.chunks[i].phys == phys) {
            return &image.chunks[i];
        }
    }
    return NULL;
}

/* The chunk holding the table with signature sig (first match). */
static inline Chunk *image_table(const char *sig)
{
    for (size_t i = 0; i < image.count; i++) {
        if (image.chunks[i].length >= 4 && memcmp(image.chunks[i].data, sig, 4) == 0) {
            return &image.chunks[i];
        }
    }
    return NULL;
}

/* Makes an edited table's checksum (byte 9) right again. */
static inline void image_fix_checksum(uint8_t *table, uint32_t length)
{
    uint8_t sum = 0;
    table[9] = 0;
    for (uint32_t i = 0; i < length; i++) {
        sum = (uint8_t)(sum + table[i]);
    }
    table[9] = (uint8_t)-sum;
}

#endif
