// Host tests of the user-program ELF validator on damaged input under ASan:
// every truncation, random corruption, and real linker output (both arches).
// TEST_SOURCES: kernel/lib/elf_image.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <elf_image.h>
#include <mm/vmm_flags.h>
#include <test_fixture.h>

#include "elf_image_builder.h"

static void test_truncation_at_every_length(void **state)
{
    Img img;
    build(&img);
    for (size_t size = 0; size < IMG_SIZE; size++) {
        /* An exact-size heap copy, so that ASan sees any read past the end. */
        uint8_t *buf = malloc(size ? size : 1);
        assert_non_null(buf);
        memcpy(buf, img.b, size);
        ElfImage out;
        Error err = elf_image_parse(buf, size, ELF_EM_X86_64, &limits, &out);
        if (err != E_CORRUPT)
            fail_msg("size %zu: got %s", size, error_name(err));
        assert_non_null(out.reason);
        free(buf);
    }
    ElfImage out;
    expect_ok(&img, &out);
}

/* ---- Random corruption ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* What an accepted image promises the loader, checked independently. */
static void check_promises(const ElfImage *out, size_t size)
{
    assert_true(out->segment_count >= 1 && out->segment_count <= ELF_IMAGE_MAX_SEGMENTS);
    assert_true(out->total <= limits.max_total);
    bool entry_ok = false;
    for (uint32_t i = 0; i < out->segment_count; i++) {
        const ElfSegment *s = &out->segments[i];
        assert_true(s->filesz <= s->memsz && s->memsz > 0);
        assert_true(s->offset <= size && s->filesz <= size - s->offset);
        assert_true(s->vaddr >= limits.user_min && s->vaddr < limits.user_top);
        assert_true(s->memsz <= limits.user_top - s->vaddr);
        assert_true(s->vaddr >= out->lowest && s->vaddr + s->memsz <= out->highest);
        assert_false((s->flags & VMM_WRITE) && (s->flags & VMM_EXEC));
        if ((s->flags & VMM_EXEC) && out->entry >= s->vaddr && out->entry < s->vaddr + s->filesz)
            entry_ok = true;
        for (uint32_t j = 0; j < i; j++) {
            const ElfSegment *t = &out->segments[j];
            assert_true((s->vaddr + s->memsz + 0xFFF) / 0x1000 <= t->vaddr / 0x1000 ||
                        (t->vaddr + t->memsz + 0xFFF) / 0x1000 <= s->vaddr / 0x1000);
        }
    }
    assert_true(entry_ok);
}

static void test_random_corruption(void **state)
{
    Img base;
    build(&base);
    Elf64Phdr tls = tls_ph(DATA_VADDR, 0x10, 0x20, 8);
    append_ph(&base, &tls);
    int accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        Img img = base;
        int flips = 1 + (int)(rng() % 4);
        for (int k = 0; k < flips; k++) {
            /* Mostly the headers, where the checks are. */
            size_t at = rng() % 4 ? rng() % 512 : rng() % IMG_SIZE;
            img.b[at] = (uint8_t)rng();
        }
        size_t size = rng() % 8 ? IMG_SIZE : rng() % IMG_SIZE;
        uint8_t *buf = malloc(size ? size : 1);
        assert_non_null(buf);
        memcpy(buf, img.b, size);
        ElfImage out;
        Error err = elf_image_parse(buf, size, ELF_EM_X86_64, &limits, &out);
        if (err == E_OK) {
            accepted++;
            check_promises(&out, size);
        } else {
            assert_non_null(out.reason);
        }
        free(buf);
    }
    /* Flips in file data or unused fields leave a valid image. */
    assert_true(accepted > 0);
}

/* ---- Real linker output (tests/fixtures/elf/README.md) ---- */

static void check_fixture(const char *name, uint16_t machine, uint16_t other)
{
    size_t size;
    uint8_t *data = fixture_load(name, &size);
    ElfImage out;
    Error err = elf_image_parse(data, size, machine, &limits, &out);
    if (err != E_OK)
        fail_msg("%s: %s (%s)", name, error_name(err), out.reason);
    check_promises(&out, size);
    /* lld: headers+rodata (R), text (RX), .tdata (RW, RELRO), data+bss (RW). */
    assert_int_equal(out.segment_count, 4);
    assert_int_equal(out.lowest, 0x400000);
    assert_int_equal(out.segments[0].flags, VMM_USER | VMM_READ);
    assert_int_equal(out.segments[1].flags, VMM_USER | VMM_READ | VMM_EXEC);
    assert_int_equal(out.segments[3].flags, VMM_USER | VMM_READ | VMM_WRITE);
    assert_true(out.segments[3].memsz >= 8192); /* the bss buffer */
    assert_true(out.tls.present);
    assert_int_equal(out.tls.filesz, 4);
    assert_int_equal(out.tls.align, 4);
    Elf64Header eh;
    memcpy(&eh, data, sizeof(eh));
    assert_int_equal(out.entry, eh.e_entry);

    /* Every prefix is parsed without reading past it; it is accepted once it
     * holds the program headers and every segment's file bytes (the section
     * headers after them are not needed). */
    uint64_t needed = eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64Phdr);
    for (uint32_t i = 0; i < out.segment_count; i++)
        if (out.segments[i].offset + out.segments[i].filesz > needed)
            needed = out.segments[i].offset + out.segments[i].filesz;
    assert_true(needed < size);
    for (size_t len = 0; len < size; len++) {
        uint8_t *cut = malloc(len ? len : 1);
        assert_non_null(cut);
        memcpy(cut, data, len);
        ElfImage part;
        Error want = len >= needed ? E_OK : E_CORRUPT;
        assert_int_equal(elf_image_parse(cut, len, machine, &limits, &part), want);
        free(cut);
    }
    assert_int_equal(elf_image_parse(data, size, other, &limits, &out), E_INVAL);
    free(data);
}

static void test_fixture_x86_64(void **state)
{
    check_fixture("elf/hello-x86_64.elf", ELF_EM_X86_64, ELF_EM_RISCV);
}

static void test_fixture_riscv64(void **state)
{
    check_fixture("elf/hello-riscv64.elf", ELF_EM_RISCV, ELF_EM_X86_64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncation_at_every_length),
        cmocka_unit_test(test_random_corruption),
        cmocka_unit_test(test_fixture_x86_64),
        cmocka_unit_test(test_fixture_riscv64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
