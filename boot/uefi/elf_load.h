/*
 * Kernel ELF validation and loading, pure C (no firmware calls) so that host
 * unit tests can feed it valid and corrupt images.
 */
#ifndef BOOT_UEFI_ELF_LOAD_H
#define BOOT_UEFI_ELF_LOAD_H

#include <anos/elf64.h>
#include <anos/errors.h>
#include <stdint.h>

#define ELF_PAGE_SIZE 4096ULL

/* The kernel must live in the top 2 GiB (-mcmodel=kernel). */
#define ELF_KERNEL_REGION_BASE 0xFFFFFFFF80000000ULL
/* Highest byte + 1 a segment may reach: the last page stays unused so that
 * rounding a segment end up to a page never wraps. */
#define ELF_KERNEL_REGION_END 0xFFFFFFFFFFFFF000ULL
/* Largest accepted span of all PT_LOAD segments (kernel plus RAMFS). */
#define ELF_MAX_SPAN (1ULL << 30)
/* More program headers than this is not a kernel we built. */
#define ELF_MAX_PHDRS 64

/* What a valid kernel looks like once checked. */
typedef struct ElfImage {
    uint64_t entry;     /* e_entry, inside an executable PT_LOAD */
    uint64_t virt_base; /* lowest PT_LOAD p_vaddr, rounded down to a page */
    uint64_t span;      /* bytes from virt_base to the highest end, page-rounded */
    uint32_t load_count;
} ElfImage;

/* Check every header field the loader relies on. On failure returns
 * E_CORRUPT (malformed) or E_RANGE (sane but not loadable here) and sets
 * *reason to a short static message; nothing is written to *out. */
Error elf_validate(const void *file, uint64_t size, ElfImage *out, const char **reason);

/* Read program header i (bounds already checked by elf_validate). */
void elf_phdr(const void *file, uint32_t i, Elf64Phdr *out);

/* Copy every PT_LOAD of a validated image into dest (image->span bytes,
 * dest maps to image->virt_base) and zero everything else, bss included. */
void elf_copy_segments(const void *file, const ElfImage *image, void *dest);

#endif
