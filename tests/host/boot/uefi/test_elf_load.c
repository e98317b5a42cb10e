// Host tests for the kernel ELF validation and loading in boot/uefi/elf_load.c.
// TEST_SOURCES: boot/uefi/elf_load.c
// TEST_CFLAGS: -I.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boot/uefi/elf_load.h"

#define TEXT_VA 0xFFFFFFFF80100000ULL
#define RO_VA   0xFFFFFFFF80102000ULL
#define DATA_VA 0xFFFFFFFF80103000ULL
#define NPHDR   4 /* text, rodata, data+bss, and a PT_NOTE */
#define PHOFF   64
#define FILE_SZ 0x5000

/* A small kernel: text (R X), rodata (R), data + bss (RW), a note. */
typedef struct Fixture {
    uint8_t file[FILE_SZ];
    uint64_t size;
} Fixture;

static Elf64Header *hdr(Fixture *f)
{
    return (Elf64Header *)f->file;
}

static Elf64Phdr *ph(Fixture *f, int i)
{
    return (Elf64Phdr *)(f->file + PHOFF + i * sizeof(Elf64Phdr));
}

static void set_ph(Fixture *f, int i, uint32_t type, uint32_t flags, uint64_t off, uint64_t va,
                   uint64_t filesz, uint64_t memsz)
{
    *ph(f, i) = (Elf64Phdr){.p_type = type,
                            .p_flags = flags,
                            .p_offset = off,
                            .p_vaddr = va,
                            .p_paddr = va,
                            .p_filesz = filesz,
                            .p_memsz = memsz,
                            .p_align = 4096};
}

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof(*f));
    f->size = FILE_SZ;
    Elf64Header *h = hdr(f);
    memcpy(h->e_ident,
           "\x7F"
           "ELF",
           4);
    h->e_ident[ELF_EI_CLASS] = ELF_CLASS64;
    h->e_ident[ELF_EI_DATA] = ELF_DATA2LSB;
    h->e_ident[ELF_EI_VERSION] = ELF_EV_CURRENT;
    h->e_type = ELF_ET_EXEC;
    h->e_machine = ELF_EM_X86_64;
    h->e_version = ELF_EV_CURRENT;
    h->e_entry = TEXT_VA + 0x10;
    h->e_phoff = PHOFF;
    h->e_ehsize = sizeof(Elf64Header);
    h->e_phentsize = sizeof(Elf64Phdr);
    h->e_phnum = NPHDR;
    set_ph(f, 0, ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, TEXT_VA, 0x1100, 0x1100);
    set_ph(f, 1, ELF_PT_LOAD, ELF_PF_R, 0x3000, RO_VA, 0x100, 0x100);
    set_ph(f, 2, ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x4000, DATA_VA, 0x10, 0x3000);
    set_ph(f, 3, 4 /* PT_NOTE */, ELF_PF_R, 0x4ff0, 0x1234, 0x10, 0x10);
    for (int i = 0x1000; i < FILE_SZ; i++)
        f->file[i] = (uint8_t)(i * 7 + 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

/* Validation must fail with err and give a reason. */
static void expect_fail(Fixture *f, Error err)
{
    ElfImage img = {.entry = 42};
    const char *why = NULL;
    assert_int_equal(elf_validate(f->file, f->size, &img, &why), err);
    assert_non_null(why);
    assert_true(strlen(why) > 0);
    assert_int_equal(img.entry, 42); /* out untouched */
}

static void test_valid(void **state)
{
    Fixture *f = *state;
    ElfImage img;
    const char *why = NULL;
    assert_int_equal(elf_validate(f->file, f->size, &img, &why), E_OK);
    assert_int_equal(img.entry, TEXT_VA + 0x10);
    assert_int_equal(img.virt_base, TEXT_VA);
    assert_int_equal(img.span, 0x6000); /* 0x...80100000 .. 0x...80106000 */
    assert_int_equal(img.load_count, 3);
}

static void test_copy_segments(void **state)
{
    Fixture *f = *state;
    ElfImage img;
    assert_int_equal(elf_validate(f->file, f->size, &img, NULL), E_OK);
    uint8_t *dest = malloc(img.span);
    memset(dest, 0xAA, img.span);
    elf_copy_segments(f->file, &img, dest);
    assert_memory_equal(dest, f->file + 0x1000, 0x1100); /* text */
    for (uint64_t i = 0x1100; i < 0x2000; i++)           /* gap after text */
        assert_int_equal(dest[i], 0);
    assert_memory_equal(dest + 0x2000, f->file + 0x3000, 0x100); /* rodata */
    assert_memory_equal(dest + 0x3000, f->file + 0x4000, 0x10);  /* data */
    for (uint64_t i = 0x3010; i < img.span; i++)                 /* bss */
        assert_int_equal(dest[i], 0);
    free(dest);
}

static void test_unaligned_and_shared_page(void **state)
{
    Fixture *f = *state;
    /* rodata right after text in the same page: legal, not overlapping */
    set_ph(f, 1, ELF_PT_LOAD, ELF_PF_R, 0x3000, TEXT_VA + 0x1100, 0x100, 0x100);
    ElfImage img;
    assert_int_equal(elf_validate(f->file, f->size, &img, NULL), E_OK);
    assert_int_equal(img.span, 0x6000);
}

static void test_larger_phentsize_and_empty_load(void **state)
{
    Fixture *f = *state;
    /* Re-lay the table with 64-byte entries; an empty PT_LOAD is ignored. */
    Elf64Phdr saved[NPHDR];
    for (int i = 0; i < NPHDR; i++)
        saved[i] = *ph(f, i);
    memset(f->file + PHOFF, 0, NPHDR * 64 + 64);
    hdr(f)->e_phentsize = 64;
    hdr(f)->e_phnum = NPHDR + 1;
    for (int i = 0; i < NPHDR; i++)
        memcpy(f->file + PHOFF + i * 64, &saved[i], sizeof(Elf64Phdr));
    Elf64Phdr empty = {.p_type = ELF_PT_LOAD, .p_vaddr = 5, .p_memsz = 0};
    memcpy(f->file + PHOFF + NPHDR * 64, &empty, sizeof(empty));
    ElfImage img;
    assert_int_equal(elf_validate(f->file, f->size, &img, NULL), E_OK);
    assert_int_equal(img.load_count, 3);
    Elf64Phdr p;
    elf_phdr(f->file, 2, &p);
    assert_int_equal(p.p_vaddr, DATA_VA);
}

static void test_too_small(void **state)
{
    Fixture *f = *state;
    f->size = sizeof(Elf64Header) - 1;
    expect_fail(f, E_CORRUPT);
    const char *why = NULL;
    ElfImage img;
    assert_int_equal(elf_validate(NULL, 100, &img, &why), E_CORRUPT);
}

static void test_bad_ident(void **state)
{
    Fixture *f = *state;
    static const int fields[] = {0, 1, 2, 3, ELF_EI_CLASS, ELF_EI_DATA, ELF_EI_VERSION};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        uint8_t keep = f->file[fields[i]];
        f->file[fields[i]] ^= 0x40;
        expect_fail(f, E_CORRUPT);
        f->file[fields[i]] = keep;
    }
    hdr(f)->e_ident[ELF_EI_CLASS] = 1; /* ELFCLASS32 */
    expect_fail(f, E_CORRUPT);
}

static void test_bad_header_fields(void **state)
{
    Fixture *f = *state;
    Elf64Header good = *hdr(f);
    hdr(f)->e_version = 2;
    expect_fail(f, E_CORRUPT);
    *hdr(f) = good;
    hdr(f)->e_machine = 183; /* EM_AARCH64 */
    expect_fail(f, E_CORRUPT);
    *hdr(f) = good;
    hdr(f)->e_type = 3; /* ET_DYN */
    expect_fail(f, E_CORRUPT);
    *hdr(f) = good;
    hdr(f)->e_phentsize = sizeof(Elf64Phdr) - 1;
    expect_fail(f, E_CORRUPT);
    *hdr(f) = good;
    hdr(f)->e_phnum = 0;
    expect_fail(f, E_CORRUPT);
    *hdr(f) = good;
    hdr(f)->e_phnum = ELF_MAX_PHDRS + 1;
    expect_fail(f, E_CORRUPT);
    *hdr(f) = good;
    hdr(f)->e_phnum = 0xFFFF; /* PN_XNUM */
    expect_fail(f, E_CORRUPT);
}

static void test_phdrs_outside_file(void **state)
{
    Fixture *f = *state;
    hdr(f)->e_phoff = FILE_SZ - 100; /* table runs past the end */
    expect_fail(f, E_CORRUPT);
    hdr(f)->e_phoff = FILE_SZ + 1;
    expect_fail(f, E_CORRUPT);
    hdr(f)->e_phoff = UINT64_MAX - 8; /* offset + size wraps */
    expect_fail(f, E_CORRUPT);
}

static void test_filesz_gt_memsz(void **state)
{
    Fixture *f = *state;
    ph(f, 2)->p_filesz = ph(f, 2)->p_memsz + 1;
    expect_fail(f, E_CORRUPT);
}

static void test_segment_data_outside_file(void **state)
{
    Fixture *f = *state;
    ph(f, 0)->p_offset = FILE_SZ - 0x100; /* 0x1100 bytes do not fit */
    expect_fail(f, E_CORRUPT);
    ph(f, 0)->p_offset = UINT64_MAX - 0x10; /* wraps */
    expect_fail(f, E_CORRUPT);
}

static void test_segment_outside_kernel_region(void **state)
{
    Fixture *f = *state;
    Elf64Phdr good = *ph(f, 1);
    ph(f, 1)->p_vaddr = 0x100000; /* low half */
    expect_fail(f, E_RANGE);
    *ph(f, 1) = good;
    ph(f, 1)->p_vaddr = 0xFFFFFFFF7FFFF000ULL; /* just below -2 GiB */
    expect_fail(f, E_RANGE);
    *ph(f, 1) = good;
    ph(f, 1)->p_vaddr = 0xFFFFFFFFFFFFF800ULL; /* into the last page */
    ph(f, 1)->p_memsz = 0x100;
    expect_fail(f, E_RANGE);
    *ph(f, 1) = good;
    ph(f, 1)->p_memsz = UINT64_MAX - 0x1000; /* end wraps */
    expect_fail(f, E_RANGE);
}

static void test_overlap(void **state)
{
    Fixture *f = *state;
    ph(f, 1)->p_vaddr = TEXT_VA + 0x10FF; /* last byte of text */
    expect_fail(f, E_CORRUPT);
    ph(f, 1)->p_vaddr = TEXT_VA - 0x80; /* covers text's start */
    expect_fail(f, E_CORRUPT);
}

static void test_no_load(void **state)
{
    Fixture *f = *state;
    for (int i = 0; i < 3; i++)
        ph(f, i)->p_type = 6; /* PT_PHDR */
    expect_fail(f, E_CORRUPT);
}

static void test_span_too_large(void **state)
{
    Fixture *f = *state;
    ph(f, 2)->p_memsz = ELF_MAX_SPAN; /* bss pushes the span past 1 GiB */
    expect_fail(f, E_RANGE);
}

static void test_entry_outside_exec_segment(void **state)
{
    Fixture *f = *state;
    hdr(f)->e_entry = RO_VA; /* in a segment, but not executable */
    expect_fail(f, E_CORRUPT);
    hdr(f)->e_entry = TEXT_VA + 0x1100; /* one past text */
    expect_fail(f, E_CORRUPT);
    hdr(f)->e_entry = 0;
    expect_fail(f, E_CORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_valid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_segments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unaligned_and_shared_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_larger_phentsize_and_empty_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_small, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_ident, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_header_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phdrs_outside_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filesz_gt_memsz, setup, teardown),
        cmocka_unit_test_setup_teardown(test_segment_data_outside_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_segment_outside_kernel_region, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_span_too_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_outside_exec_segment, setup, teardown),
    };
    return cmocka_run_group_tests_name("boot/uefi/elf_load", tests, NULL, NULL);
}
