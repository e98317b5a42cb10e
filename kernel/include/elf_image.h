/*
 * Validation of user-program ELF files: turns an untrusted file into a list of
 * segments the process loader can map without further checks. Pure and
 * architecture-parameterised (the caller passes its machine and user range),
 * so host tests can feed it any image.
 */
#ifndef ANOS_KERNEL_ELF_IMAGE_H
#define ANOS_KERNEL_ELF_IMAGE_H

#include <anos/elf64.h>
#include <anos/errors.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Granularity of user mappings and of the overlap check. */
#define ELF_IMAGE_PAGE_SIZE 4096ULL

/* Lowest user address a program may use: page 0 and the pages after it stay
 * unmapped so that null-pointer dereferences (plus a small offset) fault. */
#define ELF_IMAGE_USER_MIN 0x10000ULL
/* Most memory all PT_LOAD segments together may take (page-rounded). */
#define ELF_IMAGE_MAX_TOTAL (1ULL << 30)
/* Our programs have 2-5 PT_LOADs; more is refused (E_NOSYS). */
#define ELF_IMAGE_MAX_SEGMENTS 16
/* Program headers of any type; keeps the scan short. */
#define ELF_IMAGE_MAX_PHDRS 64

/* Where segments may go. Both bounds page-aligned, user_min < user_top. */
typedef struct ElfLimits {
    uint64_t user_min;  /* usually ELF_IMAGE_USER_MIN */
    uint64_t user_top;  /* first address above user space: USER_TOP */
    uint64_t max_total; /* usually ELF_IMAGE_MAX_TOTAL */
} ElfLimits;

/* One PT_LOAD, checked: [vaddr, vaddr + memsz) lies in the user range and
 * shares no page with another segment; file bytes [offset, offset + filesz)
 * lie in the file and go to vaddr; the rest up to memsz is zero. */
typedef struct ElfSegment {
    uint64_t vaddr;
    uint64_t memsz;
    uint64_t offset;
    uint64_t filesz;
    unsigned flags; /* VMM_USER | VMM_READ, plus VMM_WRITE or VMM_EXEC (never both) */
} ElfSegment;

/* The PT_TLS initialisation image, if any (for a future libc's __thread):
 * [vaddr, vaddr + filesz) lies inside a loaded segment; a thread's block is
 * memsz bytes aligned to align (a power of two, at most a page). */
typedef struct ElfTls {
    bool present;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
} ElfTls;

typedef struct ElfImage {
    uint64_t entry;   /* inside the file-backed part of an executable segment */
    uint64_t lowest;  /* lowest segment address, rounded down to a page */
    uint64_t highest; /* end of the highest segment, rounded up: the break starts here */
    uint64_t total;   /* page-rounded bytes of all segments, <= limits->max_total */
    uint32_t segment_count;
    ElfSegment segments[ELF_IMAGE_MAX_SEGMENTS]; /* in program-header order */
    ElfTls tls;
    /* On failure: a static sentence naming the check that failed, and the
     * index of the offending program header (-1 if none). NULL / -1 on success. */
    const char *reason;
    int bad_phdr;
} ElfImage;

/*
 * Validates the whole file before trusting any field; the checks are listed in
 * elf_image.c. machine is ELF_EM_X86_64 or ELF_EM_RISCV. Only static, non-PIE
 * (ET_EXEC) programs are accepted. On failure *out is zeroed except for reason
 * and bad_phdr, and the result says what kind of refusal it is:
 *   E_INVAL   a NULL argument, bad limits, or a well-formed ELF for another
 *             target: 32-bit, big-endian, other machine, other RISC-V float
 *             ABI, or not ET_EXEC (ET_DYN/PIE included);
 *   E_CORRUPT anything malformed or truncated;
 *   E_RANGE   a segment outside [user_min, user_top), or more than max_total;
 *   E_PERM    a segment both writable and executable (W^X policy);
 *   E_NOSYS   valid but unsupported: PT_INTERP, PT_DYNAMIC, an executable
 *             stack (PT_GNU_STACK with PF_X), too many segments or headers.
 * data need not be aligned.
 */
Error elf_image_parse(const void *data, size_t size, uint16_t machine, const ElfLimits *limits,
                      ElfImage *out);

#endif
