// Host tests of the RAMFS reader: valid images, each validation rule, corrupt input under ASan.
// TEST_SOURCES: kernel/lib/ramfs.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ramfs.h>

/* ---- A small image builder, independent of mkramfs ---- */

typedef struct TestFile {
    const char *name;
    const char *data;
} TestFile;

static const TestFile sample_files[] = {
    {"hello.txt", "Hello, RAMFS!\n"},
    {"etc/system.conf", "servers = devman kterm\n"},
    {"empty", ""},
    {"bin/a-rather-long-name-that-still-fits-in-63-bytes.elf", "\x7f"
                                                               "ELF and some more bytes"},
};
#define SAMPLE_COUNT (sizeof(sample_files) / sizeof(sample_files[0]))

static size_t align_up(size_t v)
{
    return (v + RAMFS_ALIGN - 1) / RAMFS_ALIGN * RAMFS_ALIGN;
}

static void read_header(const uint8_t *img, RamfsHeader *h)
{
    memcpy(h, img, sizeof(*h));
}

static void write_header(uint8_t *img, const RamfsHeader *h)
{
    memcpy(img, h, sizeof(*h));
}

static void read_entry(const uint8_t *img, size_t i, RamfsEntry *e)
{
    memcpy(e, img + sizeof(RamfsHeader) + i * sizeof(RamfsEntry), sizeof(*e));
}

static void write_entry(uint8_t *img, size_t i, const RamfsEntry *e)
{
    memcpy(img + sizeof(RamfsHeader) + i * sizeof(RamfsEntry), e, sizeof(*e));
}

/*
 * Recomputes the header CRC so that tests reach the checks behind it. A
 * damaged image_size larger than the buffer gets no CRC: it is refused before.
 */
static void fix_crc(uint8_t *img, size_t size)
{
    RamfsHeader h;
    read_header(img, &h);
    h.crc32 = 0;
    write_header(img, &h);
    h.crc32 = ramfs_crc32(0, img, h.image_size <= size ? (size_t)h.image_size : 0);
    write_header(img, &h);
}

/* Builds an image of the given files in an exactly sized malloc'd buffer. */
static uint8_t *build_image(const TestFile *files, size_t n, size_t *size_out)
{
    size_t data_offset = align_up(sizeof(RamfsHeader) + n * sizeof(RamfsEntry));
    size_t size = data_offset;
    for (size_t i = 0; i < n; i++) {
        size = align_up(size + strlen(files[i].data));
    }
    uint8_t *img = calloc(1, size);
    assert_non_null(img);

    RamfsHeader h = {
        .magic = RAMFS_MAGIC,
        .version = RAMFS_VERSION,
        .header_size = sizeof(RamfsHeader),
        .entry_size = sizeof(RamfsEntry),
        .file_count = (uint32_t)n,
        .image_size = size,
        .data_offset = data_offset,
    };
    size_t at = data_offset;
    for (size_t i = 0; i < n; i++) {
        RamfsEntry e = {.offset = at, .size = strlen(files[i].data)};
        strncpy(e.name, files[i].name, sizeof(e.name));
        write_entry(img, i, &e);
        memcpy(img + at, files[i].data, e.size);
        at = align_up(at + e.size);
    }
    write_header(img, &h);
    fix_crc(img, size);
    *size_out = size;
    return img;
}

static uint8_t *build_sample(size_t *size)
{
    return build_image(sample_files, SAMPLE_COUNT, size);
}

static Error open_image(const uint8_t *img, size_t size)
{
    Ramfs fs;
    return ramfs_open(&fs, img, size);
}

/* ---- Valid images ---- */

static void test_crc32_matches_zlib(void **state)
{
    assert_int_equal(ramfs_crc32(0, "123456789", 9), 0xcbf43926u);
    assert_int_equal(ramfs_crc32(0, "", 0), 0);
    /* Incremental use gives the same result as one pass. */
    uint32_t crc = ramfs_crc32(0, "1234", 4);
    assert_int_equal(ramfs_crc32(crc, "56789", 5), 0xcbf43926u);
}

static void test_open_list_and_find(void **state)
{
    size_t size;
    uint8_t *img = build_sample(&size);
    Ramfs fs;
    assert_int_equal(ramfs_open(&fs, img, size), E_OK);
    assert_int_equal(ramfs_file_count(&fs), SAMPLE_COUNT);

    for (uint32_t i = 0; i < SAMPLE_COUNT; i++) {
        RamfsFile f;
        assert_int_equal(ramfs_file_at(&fs, i, &f), E_OK);
        assert_string_equal(f.name, sample_files[i].name);
        assert_int_equal(f.size, strlen(sample_files[i].data));
        assert_memory_equal(f.data, sample_files[i].data, f.size);
        assert_int_equal(((const uint8_t *)f.data - img) % RAMFS_ALIGN, 0);

        const void *data;
        size_t fsize;
        assert_int_equal(ramfs_find(&fs, sample_files[i].name, &data, &fsize), E_OK);
        assert_ptr_equal(data, f.data);
        assert_int_equal(fsize, f.size);
    }
    free(img);
}

static void test_find_and_index_errors(void **state)
{
    size_t size;
    uint8_t *img = build_sample(&size);
    Ramfs fs;
    assert_int_equal(ramfs_open(&fs, img, size), E_OK);

    const void *data = (const void *)0x1;
    size_t fsize = 77;
    assert_int_equal(ramfs_find(&fs, "missing", &data, &fsize), E_NOENT);
    assert_int_equal(ramfs_find(&fs, "hello.tx", &data, &fsize), E_NOENT);
    assert_int_equal(ramfs_find(&fs, "/hello.txt", &data, &fsize), E_NOENT);
    assert_int_equal(ramfs_find(&fs, "", &data, &fsize), E_NOENT);
    assert_ptr_equal(data, (const void *)0x1); /* untouched on failure */
    assert_int_equal(fsize, 77);
    assert_int_equal(ramfs_find(NULL, "hello.txt", &data, &fsize), E_INVAL);
    assert_int_equal(ramfs_find(&fs, NULL, &data, &fsize), E_INVAL);
    assert_int_equal(ramfs_find(&fs, "hello.txt", NULL, &fsize), E_INVAL);
    assert_int_equal(ramfs_find(&fs, "hello.txt", &data, NULL), E_INVAL);

    RamfsFile f;
    assert_int_equal(ramfs_file_at(&fs, SAMPLE_COUNT, &f), E_RANGE);
    assert_int_equal(ramfs_file_at(&fs, UINT32_MAX, &f), E_RANGE);
    assert_int_equal(ramfs_file_at(NULL, 0, &f), E_INVAL);
    assert_int_equal(ramfs_file_at(&fs, 0, NULL), E_INVAL);
    assert_int_equal(ramfs_file_count(NULL), 0);
    free(img);
}

static void test_open_argument_errors(void **state)
{
    size_t size;
    uint8_t *img = build_sample(&size);
    Ramfs fs = {.file_count = 1234};
    assert_int_equal(ramfs_open(NULL, img, size), E_INVAL);
    assert_int_equal(ramfs_open(&fs, NULL, size), E_INVAL);
    assert_int_equal(ramfs_open(&fs, img, 10), E_CORRUPT);
    assert_int_equal(fs.file_count, 1234); /* unchanged on failure */
    free(img);
}

static void test_empty_image(void **state)
{
    size_t size;
    uint8_t *img = build_image(NULL, 0, &size);
    assert_int_equal(size, sizeof(RamfsHeader));
    Ramfs fs;
    assert_int_equal(ramfs_open(&fs, img, size), E_OK);
    assert_int_equal(ramfs_file_count(&fs), 0);
    const void *data;
    size_t fsize;
    assert_int_equal(ramfs_find(&fs, "anything", &data, &fsize), E_NOENT);
    free(img);
}

static void test_unaligned_image_and_trailing_bytes(void **state)
{
    size_t size;
    uint8_t *img = build_sample(&size);
    /* At an odd address, with 100 bytes of unrelated trailing data (like a page-rounded module). */
    uint8_t *copy = malloc(size + 101);
    assert_non_null(copy);
    memset(copy, 0xee, size + 101);
    memcpy(copy + 1, img, size);
    Ramfs fs;
    assert_int_equal(ramfs_open(&fs, copy + 1, size + 100), E_OK);
    assert_int_equal(fs.size, size);
    const void *data;
    size_t fsize;
    assert_int_equal(ramfs_find(&fs, "etc/system.conf", &data, &fsize), E_OK);
    assert_memory_equal(data, sample_files[1].data, fsize);
    free(copy);
    free(img);
}

/* ---- Corrupt input ---- */

/* Every proper prefix of a valid image is refused, and nothing outside it is read. */
static void test_truncation_at_every_length(void **state)
{
    size_t size;
    uint8_t *img = build_sample(&size);
    for (size_t len = 0; len < size; len++) {
        uint8_t *cut = malloc(len > 0 ? len : 1);
        assert_non_null(cut);
        memcpy(cut, img, len);
        assert_int_equal(open_image(cut, len), E_CORRUPT);
        free(cut);
    }
    free(img);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng_next(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

/* A CRC-32 catches every single-byte change. */
static void test_single_byte_flips_fail_crc(void **state)
{
    size_t size;
    uint8_t *img = build_sample(&size);
    for (size_t i = 0; i < size; i++) {
        uint8_t saved = img[i];
        img[i] ^= (uint8_t)(1u + rng_next() % 255u);
        assert_int_equal(open_image(img, size), E_CORRUPT);
        img[i] = saved;
    }
    assert_int_equal(open_image(img, size), E_OK);
    free(img);
}

/* Walks everything an accepted image exposes, so ASan sees any pointer outside it. */
static void touch_all_files(const Ramfs *fs, const uint8_t *img, size_t size)
{
    for (uint32_t i = 0; i < ramfs_file_count(fs); i++) {
        RamfsFile f;
        assert_int_equal(ramfs_file_at(fs, i, &f), E_OK);
        assert_true(strlen(f.name) < RAMFS_NAME_MAX);
        assert_true((const uint8_t *)f.data >= img);
        assert_true((const uint8_t *)f.data + f.size <= img + size);
        volatile uint8_t sum = 0;
        for (size_t b = 0; b < f.size; b++) {
            sum += ((const uint8_t *)f.data)[b];
        }
        (void)sum;
    }
}

/* Random damage with the CRC made right again: the structural checks alone must hold. */
static void test_random_flips_with_fixed_crc(void **state)
{
    size_t size;
    uint8_t *pristine = build_sample(&size);
    int accepted = 0;
    for (int round = 0; round < 20000; round++) {
        uint8_t *img = malloc(size);
        assert_non_null(img);
        memcpy(img, pristine, size);
        int flips = 1 + (int)(rng_next() % 4);
        for (int k = 0; k < flips; k++) {
            /* Favour the header and table, where the structure lives. */
            size_t limit =
                rng_next() % 4 == 0 ? size : sizeof(RamfsHeader) + 4 * sizeof(RamfsEntry);
            img[rng_next() % limit] ^= (uint8_t)(1u << (rng_next() % 8));
        }
        fix_crc(img, size);
        Ramfs fs;
        Error err = ramfs_open(&fs, img, size);
        assert_true(err == E_OK || err == E_CORRUPT);
        if (err == E_OK) {
            touch_all_files(&fs, img, size);
            accepted++;
        }
        free(img);
    }
    /* Flips in file data and padding are harmless, so some images pass. */
    assert_true(accepted > 0);
    free(pristine);
}

typedef void (*HeaderDamage)(RamfsHeader *h);

static void expect_header_refused(HeaderDamage damage)
{
    size_t size;
    uint8_t *img = build_sample(&size);
    RamfsHeader h;
    read_header(img, &h);
    damage(&h);
    write_header(img, &h);
    fix_crc(img, size);
    assert_int_equal(open_image(img, size), E_CORRUPT);
    free(img);
}

static void bad_magic(RamfsHeader *h)
{
    h->magic ^= 1;
}
static void bad_version(RamfsHeader *h)
{
    h->version = RAMFS_VERSION + 1;
}
static void bad_header_size(RamfsHeader *h)
{
    h->header_size = 65;
}
static void bad_entry_size(RamfsHeader *h)
{
    h->entry_size = 95;
}
static void bad_flags(RamfsHeader *h)
{
    h->flags = 1;
}
static void bad_reserved(RamfsHeader *h)
{
    h->reserved[23] = 1;
}
static void image_size_too_big(RamfsHeader *h)
{
    h->image_size += RAMFS_ALIGN;
}
static void image_size_huge(RamfsHeader *h)
{
    h->image_size = UINT64_MAX - 63;
}
static void image_size_unaligned(RamfsHeader *h)
{
    h->image_size -= 1;
}
static void image_size_too_small(RamfsHeader *h)
{
    h->image_size = 0;
}
static void file_count_huge(RamfsHeader *h)
{
    h->file_count = UINT32_MAX;
}
static void file_count_past_data(RamfsHeader *h)
{
    h->file_count += 1; /* the table would run into the data area */
}
static void data_offset_in_table(RamfsHeader *h)
{
    h->data_offset = sizeof(RamfsHeader);
}
static void data_offset_past_end(RamfsHeader *h)
{
    h->data_offset = h->image_size + RAMFS_ALIGN;
}
static void data_offset_unaligned(RamfsHeader *h)
{
    h->data_offset += 8;
}
static void data_offset_huge(RamfsHeader *h)
{
    h->data_offset = UINT64_MAX & ~(uint64_t)(RAMFS_ALIGN - 1);
}

static void test_bad_header_fields(void **state)
{
    static const HeaderDamage damages[] = {
        bad_magic,
        bad_version,
        bad_header_size,
        bad_entry_size,
        bad_flags,
        bad_reserved,
        image_size_too_big,
        image_size_huge,
        image_size_unaligned,
        image_size_too_small,
        file_count_huge,
        file_count_past_data,
        data_offset_in_table,
        data_offset_past_end,
        data_offset_unaligned,
        data_offset_huge,
    };
    for (size_t i = 0; i < sizeof(damages) / sizeof(damages[0]); i++) {
        expect_header_refused(damages[i]);
    }
}

static void test_wrong_crc(void **state)
{
    size_t size;
    uint8_t *img = build_sample(&size);
    RamfsHeader h;
    read_header(img, &h);
    h.crc32 ^= 0x80000000u;
    write_header(img, &h);
    assert_int_equal(open_image(img, size), E_CORRUPT);
    free(img);
}

/* Damages entry `index` (of the sample image), fixes the CRC and expects refusal. */
static void expect_entry_refused(size_t index, void (*damage)(RamfsEntry *e))
{
    size_t size;
    uint8_t *img = build_sample(&size);
    RamfsEntry e;
    read_entry(img, index, &e);
    damage(&e);
    write_entry(img, index, &e);
    fix_crc(img, size);
    assert_int_equal(open_image(img, size), E_CORRUPT);
    free(img);
}

static void name_unterminated(RamfsEntry *e)
{
    memset(e->name, 'n', sizeof(e->name));
}
static void name_empty(RamfsEntry *e)
{
    memset(e->name, 0, sizeof(e->name));
}
static void name_garbage_after_nul(RamfsEntry *e)
{
    e->name[RAMFS_NAME_MAX - 1] = 'x';
}
static void name_absolute(RamfsEntry *e)
{
    strcpy(e->name, "/hello.txt");
}
static void name_dotdot(RamfsEntry *e)
{
    strcpy(e->name, "../escape");
}
static void name_duplicate(RamfsEntry *e)
{
    strcpy(e->name, "hello.txt");
}
static void entry_flags(RamfsEntry *e)
{
    e->flags = 2;
}
static void entry_reserved0(RamfsEntry *e)
{
    e->reserved0 = 1;
}
static void entry_reserved1(RamfsEntry *e)
{
    e->reserved1 = 1ull << 63;
}
static void offset_huge(RamfsEntry *e)
{
    e->offset = UINT64_MAX & ~(uint64_t)(RAMFS_ALIGN - 1);
}
static void offset_and_size_wrap(RamfsEntry *e)
{
    e->size = UINT64_MAX - e->offset + 2; /* offset + size wraps to 1 */
}
static void size_past_end(RamfsEntry *e)
{
    e->size = 4096;
}
static void offset_in_table(RamfsEntry *e)
{
    e->offset = 0;
}
static void offset_unaligned(RamfsEntry *e)
{
    e->offset += 1;
}

static void test_bad_entries(void **state)
{
    static void (*const damages[])(RamfsEntry *) = {
        name_unterminated, name_empty,           name_garbage_after_nul, name_absolute,
        name_dotdot,       entry_flags,          entry_reserved0,        entry_reserved1,
        offset_huge,       offset_and_size_wrap, size_past_end,          offset_in_table,
        offset_unaligned,
    };
    for (size_t i = 0; i < sizeof(damages) / sizeof(damages[0]); i++) {
        expect_entry_refused(0, damages[i]);
        expect_entry_refused(SAMPLE_COUNT - 1, damages[i]);
    }
    expect_entry_refused(2, name_duplicate);
}

/* A file may end exactly at the image end, and an empty file may sit there too. */
static void test_file_at_image_end(void **state)
{
    static const TestFile files[] = {{"a", "0123456789abcdef0123456789abcdef"
                                           "0123456789abcdef0123456789abcdef"}};
    size_t size;
    uint8_t *img = build_image(files, 1, &size);
    RamfsEntry e;
    read_entry(img, 0, &e);
    assert_int_equal(e.offset + e.size, size);
    assert_int_equal(open_image(img, size), E_OK);
    e.offset = size;
    e.size = 0;
    write_entry(img, 0, &e);
    fix_crc(img, size);
    Ramfs fs;
    assert_int_equal(ramfs_open(&fs, img, size), E_OK);
    const void *data;
    size_t fsize;
    assert_int_equal(ramfs_find(&fs, "a", &data, &fsize), E_OK);
    assert_int_equal(fsize, 0);
    free(img);
}

static void test_name_rules(void **state)
{
    static const char *good[] = {"a",      "hello.txt", "etc/system.conf", "a/b/c",     ".hidden",
                                 "..dots", "x..",       "a.b/..c/d.",      "with space"};
    static const char *bad[] = {"/abs",  "trailing/", "a//b", ".",    "..",        "./a",    "../a",
                                "a/./b", "a/../b",    "a/.",  "a/..", "tab\there", "del\x7f"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        assert_true(ramfs_name_valid(good[i], strlen(good[i])));
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(ramfs_name_valid(bad[i], strlen(bad[i])));
    }
    char longest[RAMFS_NAME_MAX];
    memset(longest, 'l', sizeof(longest));
    assert_true(ramfs_name_valid(longest, RAMFS_NAME_MAX - 1));
    assert_false(ramfs_name_valid(longest, RAMFS_NAME_MAX));
    assert_false(ramfs_name_valid("", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_matches_zlib),
        cmocka_unit_test(test_open_list_and_find),
        cmocka_unit_test(test_find_and_index_errors),
        cmocka_unit_test(test_open_argument_errors),
        cmocka_unit_test(test_empty_image),
        cmocka_unit_test(test_unaligned_image_and_trailing_bytes),
        cmocka_unit_test(test_truncation_at_every_length),
        cmocka_unit_test(test_single_byte_flips_fail_crc),
        cmocka_unit_test(test_random_flips_with_fixed_crc),
        cmocka_unit_test(test_bad_header_fields),
        cmocka_unit_test(test_wrong_crc),
        cmocka_unit_test(test_bad_entries),
        cmocka_unit_test(test_file_at_image_end),
        cmocka_unit_test(test_name_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
