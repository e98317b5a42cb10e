/* Shared by the ELF validator tests: a small valid x86_64 program built
 * field by field, and helpers to edit and parse it. */
#ifndef TEST_ELF_IMAGE_BUILDER_H
#define TEST_ELF_IMAGE_BUILDER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <elf_image.h>

/* ---- A small valid program, built field by field ---- */

/* Layout (like lld's): headers at 0, text in the next file page, data right
 * after text in the file but on the next virtual page, then bss. */
#define TEXT_OFF    0x1000ULL
#define TEXT_VADDR  0x401000ULL
#define TEXT_SIZE   0x100ULL
#define DATA_OFF    0x1100ULL
#define DATA_VADDR  0x402100ULL
#define DATA_FILESZ 0x80ULL
#define DATA_MEMSZ  0x3000ULL
#define IMG_SIZE    ((size_t)(DATA_OFF + DATA_FILESZ))
#define ENTRY       (TEXT_VADDR + 0x10)
#define USER_TOP_X  0x0000800000000000ULL
#define BASE_PHNUM  3 /* text, data, GNU_STACK */

static const ElfLimits limits = {ELF_IMAGE_USER_MIN, USER_TOP_X, ELF_IMAGE_MAX_TOTAL};

typedef struct Img {
    uint8_t b[IMG_SIZE];
} Img;

static inline Elf64Header get_eh(const Img *img)
{
    Elf64Header eh;
    memcpy(&eh, img->b, sizeof(eh));
    return eh;
}

static inline void put_eh(Img *img, const Elf64Header *eh)
{
    memcpy(img->b, eh, sizeof(*eh));
}

static inline Elf64Phdr get_ph(const Img *img, unsigned i)
{
    Elf64Phdr ph;
    memcpy(&ph, img->b + sizeof(Elf64Header) + i * sizeof(ph), sizeof(ph));
    return ph;
}

static inline void put_ph(Img *img, unsigned i, const Elf64Phdr *ph)
{
    memcpy(img->b + sizeof(Elf64Header) + i * sizeof(*ph), ph, sizeof(*ph));
}

static inline Elf64Phdr load(uint32_t flags, uint64_t off, uint64_t vaddr, uint64_t filesz,
                             uint64_t memsz)
{
    return (Elf64Phdr){ELF_PT_LOAD, flags, off, vaddr, vaddr, filesz, memsz, 0x1000};
}

/* Appends a program header after the last one and bumps e_phnum. */
static inline void append_ph(Img *img, const Elf64Phdr *ph)
{
    Elf64Header eh = get_eh(img);
    put_ph(img, eh.e_phnum, ph);
    eh.e_phnum++;
    put_eh(img, &eh);
}

static inline void build(Img *img)
{
    memset(img, 0, sizeof(*img));
    Elf64Header eh = {
        .e_ident = {ELF_MAG0, ELF_MAG1, ELF_MAG2, ELF_MAG3, ELF_CLASS64, ELF_DATA2LSB,
                    ELF_EV_CURRENT},
        .e_type = ELF_ET_EXEC,
        .e_machine = ELF_EM_X86_64,
        .e_version = ELF_EV_CURRENT,
        .e_entry = ENTRY,
        .e_phoff = sizeof(Elf64Header),
        .e_ehsize = sizeof(Elf64Header),
        .e_phentsize = sizeof(Elf64Phdr),
        .e_phnum = 0,
    };
    put_eh(img, &eh);
    Elf64Phdr text = load(ELF_PF_R | ELF_PF_X, TEXT_OFF, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE);
    Elf64Phdr data = load(ELF_PF_R | ELF_PF_W, DATA_OFF, DATA_VADDR, DATA_FILESZ, DATA_MEMSZ);
    Elf64Phdr stack = {.p_type = ELF_PT_GNU_STACK, .p_flags = ELF_PF_R | ELF_PF_W};
    append_ph(img, &text);
    append_ph(img, &data);
    append_ph(img, &stack);
    memset(img->b + TEXT_OFF, 0x90, TEXT_SIZE);
    memset(img->b + DATA_OFF, 0xAB, DATA_FILESZ);
}

static inline void make_riscv(Img *img)
{
    Elf64Header eh = get_eh(img);
    eh.e_machine = ELF_EM_RISCV;
    eh.e_flags = ELF_EF_RISCV_RVC | ELF_EF_RISCV_FLOAT_ABI_DOUBLE;
    put_eh(img, &eh);
}

static inline Error parse_as(const Img *img, uint16_t machine, ElfImage *out)
{
    return elf_image_parse(img->b, sizeof(img->b), machine, &limits, out);
}

/* A refusal must carry the expected code, a reason and no segments. */
static inline void expect_refused(const Img *img, Error want, int phdr)
{
    ElfImage out;
    memset(&out, 0x5A, sizeof(out));
    Error err = parse_as(img, ELF_EM_X86_64, &out);
    if (err != want)
        fail_msg("got %s (%s), want %s", error_name(err), out.reason ? out.reason : "no reason",
                 error_name(want));
    assert_non_null(out.reason);
    assert_int_equal(out.bad_phdr, phdr);
    assert_int_equal(out.segment_count, 0);
    assert_int_equal(out.entry, 0);
}

static inline void expect_ok(const Img *img, ElfImage *out)
{
    Error err = parse_as(img, ELF_EM_X86_64, out);
    if (err != E_OK)
        fail_msg("refused: %s (%s, phdr %d)", error_name(err), out->reason, out->bad_phdr);
    assert_null(out->reason);
    assert_int_equal(out->bad_phdr, -1);
}

/* Moves or resizes program header i (0 text, 1 data), keeping its type and flags. */
static inline void set_seg(Img *img, unsigned i, uint64_t off, uint64_t vaddr, uint64_t filesz,
                           uint64_t memsz)
{
    Elf64Phdr ph = get_ph(img, i);
    ph.p_offset = off;
    ph.p_vaddr = vaddr;
    ph.p_filesz = filesz;
    ph.p_memsz = memsz;
    put_ph(img, i, &ph);
}

/* A PT_TLS over the start of the data segment's file bytes. */
static inline Elf64Phdr tls_ph(uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
    return (Elf64Phdr){ELF_PT_TLS, ELF_PF_R, DATA_OFF, vaddr, vaddr, filesz, memsz, align};
}

#endif
