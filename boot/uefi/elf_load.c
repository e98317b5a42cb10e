/*
 * Kernel ELF validation and loading. Pure C: the loader calls it on the file
 * read from the ESP, host tests call it on hand-made and corrupted images.
 */
#include "elf_load.h"

#include <stddef.h>

static uint64_t page_down(uint64_t v)
{
    return v & ~(ELF_PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t v)
{
    return (v + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);
}

static Error fail(const char **reason, const char *why, Error err)
{
    if (reason)
        *reason = why;
    return err;
}

void elf_phdr(const void *file, uint32_t i, Elf64Phdr *out)
{
    Elf64Header eh;
    __builtin_memcpy(&eh, file, sizeof(eh));
    const uint8_t *p = (const uint8_t *)file + eh.e_phoff + (uint64_t)i * eh.e_phentsize;
    __builtin_memcpy(out, p, sizeof(*out)); /* memcpy: p may be unaligned */
}

static Error check_header(const Elf64Header *eh, uint64_t size, const char **reason)
{
    if (eh->e_ident[0] != ELF_MAG0 || eh->e_ident[1] != ELF_MAG1 || eh->e_ident[2] != ELF_MAG2 ||
        eh->e_ident[3] != ELF_MAG3)
        return fail(reason, "not an ELF file (bad magic)", E_CORRUPT);
    if (eh->e_ident[ELF_EI_CLASS] != ELF_CLASS64)
        return fail(reason, "not a 64-bit ELF", E_CORRUPT);
    if (eh->e_ident[ELF_EI_DATA] != ELF_DATA2LSB)
        return fail(reason, "not a little-endian ELF", E_CORRUPT);
    if (eh->e_ident[ELF_EI_VERSION] != ELF_EV_CURRENT || eh->e_version != ELF_EV_CURRENT)
        return fail(reason, "unknown ELF version", E_CORRUPT);
    if (eh->e_machine != ELF_EM_X86_64)
        return fail(reason, "not an x86_64 ELF", E_CORRUPT);
    if (eh->e_type != ELF_ET_EXEC)
        return fail(reason, "not an executable ELF (ET_EXEC)", E_CORRUPT);
    if (eh->e_phentsize < sizeof(Elf64Phdr))
        return fail(reason, "program header entry too small", E_CORRUPT);
    if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHDRS)
        return fail(reason, "bad program header count", E_CORRUPT);
    /* e_phnum * e_phentsize < 2^32, so only the addition can overflow. */
    uint64_t table = (uint64_t)eh->e_phnum * eh->e_phentsize;
    if (eh->e_phoff > size || table > size - eh->e_phoff)
        return fail(reason, "program headers outside the file", E_CORRUPT);
    return E_OK;
}

static Error check_segment(const Elf64Phdr *ph, uint64_t size, const char **reason)
{
    if (ph->p_filesz > ph->p_memsz)
        return fail(reason, "segment p_filesz > p_memsz", E_CORRUPT);
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        return fail(reason, "segment data outside the file", E_CORRUPT);
    if (ph->p_vaddr < ELF_KERNEL_REGION_BASE || ph->p_vaddr >= ELF_KERNEL_REGION_END ||
        ph->p_memsz > ELF_KERNEL_REGION_END - ph->p_vaddr)
        return fail(reason, "segment outside the top 2 GiB", E_RANGE);
    return E_OK;
}

/* Segments with p_memsz == 0 occupy nothing and are skipped everywhere. */
static int is_load(const Elf64Phdr *ph)
{
    return ph->p_type == ELF_PT_LOAD && ph->p_memsz != 0;
}

static Error check_overlaps(const void *file, uint32_t phnum, const char **reason)
{
    for (uint32_t i = 0; i < phnum; i++) {
        Elf64Phdr a;
        elf_phdr(file, i, &a);
        if (!is_load(&a))
            continue;
        for (uint32_t j = i + 1; j < phnum; j++) {
            Elf64Phdr b;
            elf_phdr(file, j, &b);
            if (!is_load(&b))
                continue;
            if (a.p_vaddr < b.p_vaddr + b.p_memsz && b.p_vaddr < a.p_vaddr + a.p_memsz)
                return fail(reason, "PT_LOAD segments overlap", E_CORRUPT);
        }
    }
    return E_OK;
}

Error elf_validate(const void *file, uint64_t size, ElfImage *out, const char **reason)
{
    Elf64Header eh;
    if (!file || size < sizeof(eh))
        return fail(reason, "file too small for an ELF header", E_CORRUPT);
    __builtin_memcpy(&eh, file, sizeof(eh));
    Error err = check_header(&eh, size, reason);
    if (err != E_OK)
        return err;

    uint64_t lo = UINT64_MAX, hi = 0;
    uint32_t loads = 0;
    int entry_ok = 0;
    for (uint32_t i = 0; i < eh.e_phnum; i++) {
        Elf64Phdr ph;
        elf_phdr(file, i, &ph);
        if (!is_load(&ph))
            continue;
        err = check_segment(&ph, size, reason);
        if (err != E_OK)
            return err;
        loads++;
        if (ph.p_vaddr < lo)
            lo = ph.p_vaddr;
        if (ph.p_vaddr + ph.p_memsz > hi)
            hi = ph.p_vaddr + ph.p_memsz;
        if ((ph.p_flags & ELF_PF_X) && eh.e_entry >= ph.p_vaddr &&
            eh.e_entry - ph.p_vaddr < ph.p_memsz)
            entry_ok = 1;
    }
    if (loads == 0)
        return fail(reason, "no PT_LOAD segment", E_CORRUPT);
    err = check_overlaps(file, eh.e_phnum, reason);
    if (err != E_OK)
        return err;
    if (page_up(hi) - page_down(lo) > ELF_MAX_SPAN)
        return fail(reason, "segments span more than 1 GiB", E_RANGE);
    if (!entry_ok)
        return fail(reason, "entry point not in an executable segment", E_CORRUPT);

    out->entry = eh.e_entry;
    out->virt_base = page_down(lo);
    out->span = page_up(hi) - page_down(lo);
    out->load_count = loads;
    return E_OK;
}

void elf_copy_segments(const void *file, const ElfImage *image, void *dest)
{
    Elf64Header eh;
    __builtin_memcpy(&eh, file, sizeof(eh));
    __builtin_memset(dest, 0, image->span);
    for (uint32_t i = 0; i < eh.e_phnum; i++) {
        Elf64Phdr ph;
        elf_phdr(file, i, &ph);
        if (!is_load(&ph) || ph.p_filesz == 0)
            continue;
        uint8_t *to = (uint8_t *)dest + (ph.p_vaddr - image->virt_base);
        __builtin_memcpy(to, (const uint8_t *)file + ph.p_offset, ph.p_filesz);
    }
}
