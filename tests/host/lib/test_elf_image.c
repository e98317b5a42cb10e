// Host tests of the user-program ELF validator: each check it makes on the
// header, the program headers, the segments and PT_TLS, and the errors it returns.
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

#include "elf_image_builder.h"

/* ---- The valid image ---- */

static void test_valid_image(void **state)
{
    Img img;
    build(&img);
    ElfImage out;
    expect_ok(&img, &out);
    assert_int_equal(out.entry, ENTRY);
    assert_int_equal(out.segment_count, 2);
    assert_int_equal(out.segments[0].vaddr, TEXT_VADDR);
    assert_int_equal(out.segments[0].memsz, TEXT_SIZE);
    assert_int_equal(out.segments[0].offset, TEXT_OFF);
    assert_int_equal(out.segments[0].filesz, TEXT_SIZE);
    assert_int_equal(out.segments[0].flags, VMM_USER | VMM_READ | VMM_EXEC);
    assert_int_equal(out.segments[1].vaddr, DATA_VADDR);
    assert_int_equal(out.segments[1].memsz, DATA_MEMSZ);
    assert_int_equal(out.segments[1].offset, DATA_OFF);
    assert_int_equal(out.segments[1].filesz, DATA_FILESZ);
    assert_int_equal(out.segments[1].flags, VMM_USER | VMM_READ | VMM_WRITE);
    assert_int_equal(out.lowest, 0x401000);
    assert_int_equal(out.highest, 0x406000);
    assert_int_equal(out.total, 0x1000 + 0x4000);
    assert_false(out.tls.present);
}

static void test_unaligned_buffer(void **state)
{
    Img img;
    build(&img);
    uint8_t *buf = malloc(IMG_SIZE + 1);
    assert_non_null(buf);
    memcpy(buf + 1, img.b, IMG_SIZE);
    ElfImage out;
    assert_int_equal(elf_image_parse(buf + 1, IMG_SIZE, ELF_EM_X86_64, &limits, &out), E_OK);
    free(buf);
}

static void test_trailing_bytes_ignored(void **state)
{
    Img img;
    build(&img);
    uint8_t *buf = calloc(1, IMG_SIZE + 4096);
    assert_non_null(buf);
    memcpy(buf, img.b, IMG_SIZE);
    ElfImage out;
    assert_int_equal(elf_image_parse(buf, IMG_SIZE + 4096, ELF_EM_X86_64, &limits, &out), E_OK);
    free(buf);
}

static void test_argument_errors(void **state)
{
    Img img;
    build(&img);
    ElfImage out;
    assert_int_equal(elf_image_parse(img.b, IMG_SIZE, ELF_EM_X86_64, &limits, NULL), E_INVAL);
    assert_int_equal(elf_image_parse(NULL, IMG_SIZE, ELF_EM_X86_64, &limits, &out), E_INVAL);
    assert_non_null(out.reason);
    assert_int_equal(elf_image_parse(img.b, IMG_SIZE, ELF_EM_X86_64, NULL, &out), E_INVAL);
    assert_int_equal(elf_image_parse(img.b, IMG_SIZE, 0, &limits, &out), E_INVAL);
    assert_int_equal(elf_image_parse(img.b, IMG_SIZE, 3 /* EM_386 */, &limits, &out), E_INVAL);

    const ElfLimits bad[] = {
        {0x10001, USER_TOP_X, ELF_IMAGE_MAX_TOTAL},            /* unaligned bottom */
        {0x10000, USER_TOP_X - 1, ELF_IMAGE_MAX_TOTAL},        /* unaligned top */
        {0x10000, 0x10000, ELF_IMAGE_MAX_TOTAL},               /* empty range */
        {0x20000, 0x10000, ELF_IMAGE_MAX_TOTAL},               /* inverted */
        {0x10000, 0xFFFFFFFFFFFFF000ULL, ELF_IMAGE_MAX_TOTAL}, /* rounding could wrap */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(elf_image_parse(img.b, IMG_SIZE, ELF_EM_X86_64, &bad[i], &out), E_INVAL);
        assert_non_null(out.reason);
    }
}

/* ---- Header fields ---- */

static void test_bad_ident(void **state)
{
    for (int i = 0; i < 4; i++) {
        Img img;
        build(&img);
        img.b[i] ^= 0x20;
        expect_refused(&img, E_CORRUPT, -1);
    }
    const struct {
        int index;
        uint8_t value;
        Error want;
    } cases[] = {
        {ELF_EI_CLASS, ELF_CLASS32, E_INVAL}, {ELF_EI_CLASS, 0, E_CORRUPT},
        {ELF_EI_CLASS, 3, E_CORRUPT},         {ELF_EI_DATA, ELF_DATA2MSB, E_INVAL},
        {ELF_EI_DATA, 0, E_CORRUPT},          {ELF_EI_DATA, 3, E_CORRUPT},
        {ELF_EI_VERSION, 0, E_CORRUPT},       {ELF_EI_VERSION, 2, E_CORRUPT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        Img img;
        build(&img);
        img.b[cases[i].index] = cases[i].value;
        expect_refused(&img, cases[i].want, -1);
    }
    Img img;
    build(&img);
    Elf64Header eh = get_eh(&img);
    eh.e_version = 2;
    put_eh(&img, &eh);
    expect_refused(&img, E_CORRUPT, -1);
}

static void test_bad_type(void **state)
{
    const uint16_t types[] = {ELF_ET_NONE, ELF_ET_REL, ELF_ET_DYN, ELF_ET_CORE, 0xFE00, 0xFFFF};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        Img img;
        build(&img);
        Elf64Header eh = get_eh(&img);
        eh.e_type = types[i];
        put_eh(&img, &eh);
        expect_refused(&img, E_INVAL, -1);
    }
    Img img;
    build(&img);
    Elf64Header eh = get_eh(&img);
    eh.e_type = ELF_ET_DYN;
    put_eh(&img, &eh);
    ElfImage out;
    parse_as(&img, ELF_EM_X86_64, &out);
    assert_non_null(strstr(out.reason, "ET_DYN"));
}

static void test_wrong_machine(void **state)
{
    Img img;
    build(&img);
    ElfImage out;
    assert_int_equal(parse_as(&img, ELF_EM_RISCV, &out), E_INVAL);
    Elf64Header eh = get_eh(&img);
    eh.e_machine = 3;
    put_eh(&img, &eh);
    expect_refused(&img, E_INVAL, -1);
    make_riscv(&img);
    expect_refused(&img, E_INVAL, -1);
}

static void test_riscv_float_abi(void **state)
{
    Img img;
    build(&img);
    make_riscv(&img);
    ElfImage out;
    assert_int_equal(parse_as(&img, ELF_EM_RISCV, &out), E_OK);

    const uint32_t bad_flags[] = {
        ELF_EF_RISCV_RVC | ELF_EF_RISCV_FLOAT_ABI_SOFT,
        ELF_EF_RISCV_FLOAT_ABI_SINGLE,
        ELF_EF_RISCV_FLOAT_ABI_QUAD,
        ELF_EF_RISCV_FLOAT_ABI_DOUBLE | ELF_EF_RISCV_RVE,
    };
    for (size_t i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
        Elf64Header eh = get_eh(&img);
        eh.e_flags = bad_flags[i];
        put_eh(&img, &eh);
        assert_int_equal(parse_as(&img, ELF_EM_RISCV, &out), E_INVAL);
        assert_non_null(out.reason);
    }
    /* e_flags mean nothing on x86_64 and are not checked there. */
    build(&img);
    Elf64Header eh = get_eh(&img);
    eh.e_flags = 0xFFFFFFFF;
    put_eh(&img, &eh);
    expect_ok(&img, &out);
}

static void test_bad_header_sizes(void **state)
{
    const uint16_t ehsizes[] = {0, 52, 63, 65, 0xFFFF};
    for (size_t i = 0; i < sizeof(ehsizes) / sizeof(ehsizes[0]); i++) {
        Img img;
        build(&img);
        Elf64Header eh = get_eh(&img);
        eh.e_ehsize = ehsizes[i];
        put_eh(&img, &eh);
        expect_refused(&img, E_CORRUPT, -1);
    }
    const uint16_t phentsizes[] = {0, 32, 55, 57, 64, 0xFFFF};
    for (size_t i = 0; i < sizeof(phentsizes) / sizeof(phentsizes[0]); i++) {
        Img img;
        build(&img);
        Elf64Header eh = get_eh(&img);
        eh.e_phentsize = phentsizes[i];
        put_eh(&img, &eh);
        expect_refused(&img, E_CORRUPT, -1);
    }
}

static void test_phdr_table_bounds(void **state)
{
    const uint64_t phoffs[] = {
        IMG_SIZE - 2 * sizeof(Elf64Phdr), /* table runs past the end */
        IMG_SIZE,
        IMG_SIZE + 1,
        UINT64_MAX - 10, /* phoff + table wraps */
        UINT64_MAX,
        0x8000000000000000ULL,
    };
    for (size_t i = 0; i < sizeof(phoffs) / sizeof(phoffs[0]); i++) {
        Img img;
        build(&img);
        Elf64Header eh = get_eh(&img);
        eh.e_phoff = phoffs[i];
        put_eh(&img, &eh);
        expect_refused(&img, E_CORRUPT, -1);
    }
    /* A table that ends exactly at the end of the file is fine. */
    Img img;
    build(&img);
    Elf64Header eh = get_eh(&img);
    for (unsigned i = 0; i < BASE_PHNUM; i++) {
        Elf64Phdr ph = get_ph(&img, i);
        memcpy(img.b + IMG_SIZE - (BASE_PHNUM - i) * sizeof(ph), &ph, sizeof(ph));
    }
    eh.e_phoff = IMG_SIZE - BASE_PHNUM * sizeof(Elf64Phdr);
    /* The data segment's file bytes now hold the table: harmless. */
    put_eh(&img, &eh);
    ElfImage out;
    expect_ok(&img, &out);
}

static void test_phnum_limits(void **state)
{
    const uint16_t counts[] = {ELF_IMAGE_MAX_PHDRS + 1, ELF_PN_XNUM, 0xFFFF};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        Img img;
        build(&img);
        Elf64Header eh = get_eh(&img);
        eh.e_phnum = counts[i];
        put_eh(&img, &eh);
        expect_refused(&img, E_NOSYS, -1);
    }
    Img img;
    build(&img);
    Elf64Header eh = get_eh(&img);
    eh.e_phnum = 0;
    put_eh(&img, &eh);
    expect_refused(&img, E_CORRUPT, -1);
}

/* ---- Segments ---- */

static void test_filesz_and_file_range(void **state)
{
    Img img;
    build(&img);
    set_seg(&img, 1, DATA_OFF, DATA_VADDR, DATA_MEMSZ + 1, DATA_MEMSZ);
    expect_refused(&img, E_CORRUPT, 1);

    build(&img);
    set_seg(&img, 1, DATA_OFF, DATA_VADDR, DATA_FILESZ + 1, DATA_MEMSZ); /* 1 past the end */
    expect_refused(&img, E_CORRUPT, 1);

    build(&img);
    set_seg(&img, 1, 0x2100, DATA_VADDR, 0x10, DATA_MEMSZ); /* wholly past the end */
    expect_refused(&img, E_CORRUPT, 1);

    build(&img);
    /* offset + filesz wraps around 2^64; offset stays page-congruent. */
    set_seg(&img, 1, 0xFFFFFFFFFFFFF100ULL, DATA_VADDR, 0x1000, DATA_MEMSZ);
    expect_refused(&img, E_CORRUPT, 1);

    build(&img);
    set_seg(&img, 0, TEXT_OFF, TEXT_VADDR, UINT64_MAX, UINT64_MAX);
    expect_refused(&img, E_CORRUPT, 0);

    /* Even with filesz 0 the offset must lie in the file... */
    build(&img);
    set_seg(&img, 1, 0x5100, DATA_VADDR, 0, DATA_MEMSZ);
    expect_refused(&img, E_CORRUPT, 1);
    /* ...which includes its very end. */
    build(&img);
    set_seg(&img, 1, IMG_SIZE, 0x402000 + (IMG_SIZE & 0xFFF), 0, DATA_MEMSZ);
    ElfImage out;
    expect_ok(&img, &out);
}

static void test_page_congruence(void **state)
{
    Img img;
    build(&img);
    set_seg(&img, 1, DATA_OFF, DATA_VADDR + 8, DATA_FILESZ, DATA_MEMSZ);
    expect_refused(&img, E_CORRUPT, 1);
    build(&img);
    set_seg(&img, 0, TEXT_OFF + 0x10, TEXT_VADDR, TEXT_SIZE - 0x10, TEXT_SIZE);
    expect_refused(&img, E_CORRUPT, 0);
}

static void test_address_range(void **state)
{
    const struct {
        uint64_t vaddr, memsz;
    } bad[] = {
        {0xFFFF800000402100ULL, DATA_MEMSZ},  /* kernel half */
        {0xFFFFFFFF80002100ULL, DATA_MEMSZ},  /* kernel image */
        {0x0000800000002100ULL, DATA_MEMSZ},  /* just above user space */
        {USER_TOP_X - 0x1F00, 0x2000},        /* crosses USER_TOP */
        {0xFFFFFFFFFFFFF100ULL, 0x1000},      /* vaddr + memsz wraps */
        {DATA_VADDR, UINT64_MAX},             /* huge memsz wraps */
        {DATA_VADDR, USER_TOP_X},             /* huge memsz */
        {0x100, 0x100},                       /* page 0 */
        {ELF_IMAGE_USER_MIN - 0xF00, 0x100},  /* just below USER_MIN */
        {ELF_IMAGE_USER_MIN - 0xF00, 0x2000}, /* starts below, ends above USER_MIN */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        Img img;
        build(&img);
        set_seg(&img, 1, DATA_OFF, bad[i].vaddr, DATA_FILESZ, bad[i].memsz);
        expect_refused(&img, E_RANGE, 1);
    }
    /* The edges themselves are allowed. */
    Img img;
    build(&img);
    set_seg(&img, 0, TEXT_OFF, ELF_IMAGE_USER_MIN, TEXT_SIZE, TEXT_SIZE);
    set_seg(&img, 1, DATA_OFF, USER_TOP_X - 0x1F00, DATA_FILESZ, 0x1F00);
    Elf64Header eh = get_eh(&img);
    eh.e_entry = ELF_IMAGE_USER_MIN;
    put_eh(&img, &eh);
    ElfImage out;
    expect_ok(&img, &out);
    assert_int_equal(out.lowest, ELF_IMAGE_USER_MIN);
    assert_int_equal(out.highest, USER_TOP_X);
    assert_int_equal(out.total, 0x3000);
}

static void test_custom_limits(void **state)
{
    Img img;
    build(&img);
    ElfImage out;
    const ElfLimits tight = {0x402000, 0x406000, ELF_IMAGE_MAX_TOTAL};
    assert_int_equal(elf_image_parse(img.b, IMG_SIZE, ELF_EM_X86_64, &tight, &out), E_RANGE);
    assert_int_equal(out.bad_phdr, 0);
    const ElfLimits fits = {0x401000, 0x406000, 0x5000};
    assert_int_equal(elf_image_parse(img.b, IMG_SIZE, ELF_EM_X86_64, &fits, &out), E_OK);
    const ElfLimits small = {0x401000, 0x406000, 0x4FFF};
    assert_int_equal(elf_image_parse(img.b, IMG_SIZE, ELF_EM_X86_64, &small, &out), E_RANGE);
}

static void test_total_size_limit(void **state)
{
    /* Text takes one page; data from page 0x402000 gets the rest of 1 GiB. */
    uint64_t max_data = ELF_IMAGE_MAX_TOTAL - 0x1000 - 0x100;
    Img img;
    build(&img);
    set_seg(&img, 1, DATA_OFF, DATA_VADDR, DATA_FILESZ, max_data);
    ElfImage out;
    expect_ok(&img, &out);
    assert_int_equal(out.total, ELF_IMAGE_MAX_TOTAL);

    set_seg(&img, 1, DATA_OFF, DATA_VADDR, DATA_FILESZ, max_data + 1);
    expect_refused(&img, E_RANGE, -1);
    set_seg(&img, 1, DATA_OFF, DATA_VADDR, DATA_FILESZ, 0x0000100000000000ULL);
    expect_refused(&img, E_RANGE, -1);
}

static void test_overlapping_segments(void **state)
{
    const struct {
        uint64_t vaddr, memsz;
    } cases[] = {
        {TEXT_VADDR + 0x100, 0x100},  /* shares text's page */
        {TEXT_VADDR - 0xF00, 0x1000}, /* ends inside text's page */
        {TEXT_VADDR - 0xF00, 0x100},  /* ends in the page below text... */
        {0x3FF100, 0x10000},          /* covers text completely */
    };
    for (size_t i = 0; i < 2; i++) {
        Img img;
        build(&img);
        set_seg(&img, 1, DATA_OFF, cases[i].vaddr, DATA_FILESZ, cases[i].memsz);
        expect_refused(&img, E_CORRUPT, -1);
    }
    /* ...which touches only the page below: no overlap. */
    Img img;
    build(&img);
    set_seg(&img, 1, DATA_OFF, cases[2].vaddr, DATA_FILESZ, cases[2].memsz);
    ElfImage out;
    expect_ok(&img, &out);
    assert_int_equal(out.lowest, 0x400000);

    build(&img);
    set_seg(&img, 1, DATA_OFF, cases[3].vaddr, DATA_FILESZ, cases[3].memsz);
    expect_refused(&img, E_CORRUPT, -1);

    /* Two copies of the same segment. */
    build(&img);
    Elf64Phdr text = get_ph(&img, 0);
    text.p_flags = ELF_PF_R;
    append_ph(&img, &text);
    expect_refused(&img, E_CORRUPT, -1);
}

static void test_write_xor_execute(void **state)
{
    Img img;
    build(&img);
    Elf64Phdr ph = get_ph(&img, 0);
    ph.p_flags = ELF_PF_R | ELF_PF_W | ELF_PF_X;
    put_ph(&img, 0, &ph);
    expect_refused(&img, E_PERM, 0);
    build(&img);
    ph = get_ph(&img, 1);
    ph.p_flags = ELF_PF_W | ELF_PF_X;
    put_ph(&img, 1, &ph);
    expect_refused(&img, E_PERM, 1);
}

static void test_flag_translation(void **state)
{
    Img img;
    build(&img);
    Elf64Phdr ph = get_ph(&img, 0);
    ph.p_flags = ELF_PF_X; /* execute-only still maps readable */
    put_ph(&img, 0, &ph);
    ph = get_ph(&img, 1);
    ph.p_flags = 0xF0000000; /* no access, OS/processor bits ignored */
    put_ph(&img, 1, &ph);
    ElfImage out;
    expect_ok(&img, &out);
    assert_int_equal(out.segments[0].flags, VMM_USER | VMM_READ | VMM_EXEC);
    assert_int_equal(out.segments[1].flags, VMM_USER | VMM_READ);
}

static void test_entry_point(void **state)
{
    const uint64_t bad[] = {
        0,
        TEXT_VADDR - 1,
        TEXT_VADDR + TEXT_SIZE, /* one past text */
        DATA_VADDR,             /* not executable */
        DATA_VADDR + 0x1000,    /* bss */
        0xFFFFFFFF80200000ULL,
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        Img img;
        build(&img);
        Elf64Header eh = get_eh(&img);
        eh.e_entry = bad[i];
        put_eh(&img, &eh);
        expect_refused(&img, E_CORRUPT, -1);
    }
    /* Inside an executable segment but past its file bytes (zeroed memory). */
    Img img;
    build(&img);
    set_seg(&img, 0, TEXT_OFF, TEXT_VADDR, TEXT_SIZE, 0x200);
    Elf64Header eh = get_eh(&img);
    eh.e_entry = TEXT_VADDR + TEXT_SIZE;
    put_eh(&img, &eh);
    expect_refused(&img, E_CORRUPT, -1);
    /* Both ends of the text are fine. */
    const uint64_t good[] = {TEXT_VADDR, TEXT_VADDR + TEXT_SIZE - 1};
    for (size_t i = 0; i < 2; i++) {
        build(&img);
        eh = get_eh(&img);
        eh.e_entry = good[i];
        put_eh(&img, &eh);
        ElfImage out;
        expect_ok(&img, &out);
        assert_int_equal(out.entry, good[i]);
    }
}

static void test_no_load_segment(void **state)
{
    Img img;
    build(&img);
    for (unsigned i = 0; i < 2; i++) {
        Elf64Phdr ph = get_ph(&img, i);
        ph.p_type = ELF_PT_NOTE;
        put_ph(&img, i, &ph);
    }
    expect_refused(&img, E_CORRUPT, -1);
}

static void test_dynamic_refused(void **state)
{
    const uint32_t types[] = {ELF_PT_INTERP, ELF_PT_DYNAMIC};
    for (size_t i = 0; i < 2; i++) {
        Img img;
        build(&img);
        Elf64Phdr ph = {.p_type = types[i],
                        .p_flags = ELF_PF_R,
                        .p_offset = 0x200,
                        .p_vaddr = 0x400200,
                        .p_filesz = 0x20,
                        .p_memsz = 0x20};
        append_ph(&img, &ph);
        expect_refused(&img, E_NOSYS, BASE_PHNUM);
    }
}

static void test_executable_stack_refused(void **state)
{
    Img img;
    build(&img);
    Elf64Phdr ph = get_ph(&img, 2);
    ph.p_flags = ELF_PF_R | ELF_PF_W | ELF_PF_X;
    put_ph(&img, 2, &ph);
    expect_refused(&img, E_NOSYS, 2);
}

static void test_other_headers_ignored(void **state)
{
    Img img;
    build(&img);
    const uint32_t types[] = {ELF_PT_NULL,
                              ELF_PT_NOTE,
                              ELF_PT_PHDR,
                              ELF_PT_GNU_RELRO,
                              ELF_PT_GNU_EH_FRAME,
                              ELF_PT_GNU_PROPERTY,
                              ELF_PT_RISCV_ATTRIBUTES,
                              0x12345678};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        /* Garbage offsets and sizes: these headers are never used. */
        Elf64Phdr ph = {types[i], 0xFFFFFFFF, UINT64_MAX, UINT64_MAX, 0, UINT64_MAX, 7, 3};
        append_ph(&img, &ph);
    }
    /* An empty PT_LOAD occupies nothing and is skipped. */
    Elf64Phdr empty = load(ELF_PF_R | ELF_PF_W | ELF_PF_X, UINT64_MAX, 0, UINT64_MAX, 0);
    append_ph(&img, &empty);
    ElfImage out;
    expect_ok(&img, &out);
    assert_int_equal(out.segment_count, 2);
}

static void test_segment_count_limit(void **state)
{
    Img img;
    build(&img);
    /* Read-only one-page segments above the data, reusing text's bytes. */
    for (unsigned k = 0; k < ELF_IMAGE_MAX_SEGMENTS - 2; k++) {
        Elf64Phdr ph = load(ELF_PF_R, TEXT_OFF, 0x500000 + k * 0x1000ULL, 0x10, 0x10);
        append_ph(&img, &ph);
    }
    ElfImage out;
    expect_ok(&img, &out);
    assert_int_equal(out.segment_count, ELF_IMAGE_MAX_SEGMENTS);
    assert_int_equal(out.highest, 0x500000 + (ELF_IMAGE_MAX_SEGMENTS - 2) * 0x1000ULL);

    Elf64Phdr one_more = load(ELF_PF_R, TEXT_OFF, 0x600000, 0x10, 0x10);
    append_ph(&img, &one_more);
    expect_refused(&img, E_NOSYS, get_eh(&img).e_phnum - 1);
}

/* ---- PT_TLS ---- */

/* ---- PT_TLS ---- */

static void test_tls_recorded(void **state)
{
    Img img;
    build(&img);
    Elf64Phdr ph = tls_ph(DATA_VADDR, 0x10, 0x40, 8);
    append_ph(&img, &ph);
    ElfImage out;
    expect_ok(&img, &out);
    assert_true(out.tls.present);
    assert_int_equal(out.tls.vaddr, DATA_VADDR);
    assert_int_equal(out.tls.filesz, 0x10);
    assert_int_equal(out.tls.memsz, 0x40);
    assert_int_equal(out.tls.align, 8);
    assert_int_equal(out.segment_count, 2);

    /* align 0 means 1; an image at the very end of a segment is allowed. */
    build(&img);
    ph = tls_ph(DATA_VADDR + DATA_MEMSZ - 0x10, 0x10, 0x10, 0);
    append_ph(&img, &ph);
    expect_ok(&img, &out);
    assert_int_equal(out.tls.align, 1);
}

static void test_tls_errors(void **state)
{
    const struct {
        Elf64Phdr ph;
        Error want;
    } cases[] = {
        {tls_ph(DATA_VADDR, 0x20, 0x10, 8), E_CORRUPT},                  /* filesz > memsz */
        {tls_ph(DATA_VADDR, 0x1000, 0x1000, 8), E_CORRUPT},              /* past the file */
        {tls_ph(DATA_VADDR, 0x10, 0x10, 3), E_CORRUPT},                  /* align not 2^n */
        {tls_ph(DATA_VADDR, 0x10, 0x10, 0x2000), E_CORRUPT},             /* align > page */
        {tls_ph(DATA_VADDR, 0x10, 1ULL << 40, 8), E_RANGE},              /* huge block */
        {tls_ph(0x900000, 0x10, 0x10, 8), E_CORRUPT},                    /* outside segments */
        {tls_ph(DATA_VADDR + DATA_MEMSZ - 8, 0x10, 0x10, 8), E_CORRUPT}, /* straddles end */
        {tls_ph(UINT64_MAX - 4, 0x10, 0x10, 8), E_CORRUPT},              /* wraps */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        Img img;
        build(&img);
        append_ph(&img, &cases[i].ph);
        expect_refused(&img, cases[i].want, BASE_PHNUM);
    }
    Img img;
    build(&img);
    Elf64Phdr ph = tls_ph(DATA_VADDR, 0x10, 0x10, 8);
    append_ph(&img, &ph);
    append_ph(&img, &ph);
    expect_refused(&img, E_CORRUPT, BASE_PHNUM + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_image),
        cmocka_unit_test(test_unaligned_buffer),
        cmocka_unit_test(test_trailing_bytes_ignored),
        cmocka_unit_test(test_argument_errors),
        cmocka_unit_test(test_bad_ident),
        cmocka_unit_test(test_bad_type),
        cmocka_unit_test(test_wrong_machine),
        cmocka_unit_test(test_riscv_float_abi),
        cmocka_unit_test(test_bad_header_sizes),
        cmocka_unit_test(test_phdr_table_bounds),
        cmocka_unit_test(test_phnum_limits),
        cmocka_unit_test(test_filesz_and_file_range),
        cmocka_unit_test(test_page_congruence),
        cmocka_unit_test(test_address_range),
        cmocka_unit_test(test_custom_limits),
        cmocka_unit_test(test_total_size_limit),
        cmocka_unit_test(test_overlapping_segments),
        cmocka_unit_test(test_write_xor_execute),
        cmocka_unit_test(test_flag_translation),
        cmocka_unit_test(test_entry_point),
        cmocka_unit_test(test_no_load_segment),
        cmocka_unit_test(test_dynamic_refused),
        cmocka_unit_test(test_executable_stack_refused),
        cmocka_unit_test(test_other_headers_ignored),
        cmocka_unit_test(test_segment_count_limit),
        cmocka_unit_test(test_tls_recorded),
        cmocka_unit_test(test_tls_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
