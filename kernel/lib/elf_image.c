/*
 * User-program ELF validation. Every field the loader will act on is checked
 * here, with overflow-safe arithmetic, before anything is mapped; the result
 * (ElfImage) can then be trusted blindly. Section headers, e_shoff and
 * EI_OSABI are not read: loading needs only the program headers.
 */
#include <elf_image.h>
#include <kstring.h>
#include <mm/vmm_flags.h>

#define PAGE_MASK (ELF_IMAGE_PAGE_SIZE - 1)

/* Callers keep every address below user_top <= 2^63, so rounding up never wraps. */
static uint64_t page_down(uint64_t v)
{
    return v & ~PAGE_MASK;
}

static uint64_t page_up(uint64_t v)
{
    return (v + PAGE_MASK) & ~PAGE_MASK;
}

static Error refuse(ElfImage *out, Error err, int phdr, const char *why)
{
    memset(out, 0, sizeof(*out));
    out->reason = why;
    out->bad_phdr = phdr;
    return err;
}

/* [off, off + len) inside a file of size bytes, written so nothing can wrap. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static Error check_limits(const ElfLimits *lim, uint16_t machine, ElfImage *out)
{
    if ((lim->user_min & PAGE_MASK) || (lim->user_top & PAGE_MASK) ||
        lim->user_min >= lim->user_top || lim->user_top > (1ULL << 63))
        return refuse(out, E_INVAL, -1, "bad user range in the limits");
    if (machine != ELF_EM_X86_64 && machine != ELF_EM_RISCV)
        return refuse(out, E_INVAL, -1, "unsupported target machine");
    return E_OK;
}

static Error check_ident(const Elf64Header *eh, ElfImage *out)
{
    const uint8_t *id = eh->e_ident;
    if (id[0] != ELF_MAG0 || id[1] != ELF_MAG1 || id[2] != ELF_MAG2 || id[3] != ELF_MAG3)
        return refuse(out, E_CORRUPT, -1, "not an ELF file (bad magic)");
    if (id[ELF_EI_CLASS] == ELF_CLASS32)
        return refuse(out, E_INVAL, -1, "32-bit ELF, need ELFCLASS64");
    if (id[ELF_EI_CLASS] != ELF_CLASS64)
        return refuse(out, E_CORRUPT, -1, "bad ELF class");
    if (id[ELF_EI_DATA] == ELF_DATA2MSB)
        return refuse(out, E_INVAL, -1, "big-endian ELF, need little-endian");
    if (id[ELF_EI_DATA] != ELF_DATA2LSB)
        return refuse(out, E_CORRUPT, -1, "bad ELF data encoding");
    if (id[ELF_EI_VERSION] != ELF_EV_CURRENT || eh->e_version != ELF_EV_CURRENT)
        return refuse(out, E_CORRUPT, -1, "unknown ELF version");
    return E_OK;
}

/* User space on RISC-V is rv64gc/lp64d: a soft-float or RV32E program would
 * pass floating-point arguments where our libc does not look for them. */
static Error check_machine(const Elf64Header *eh, uint16_t machine, ElfImage *out)
{
    if (eh->e_machine != machine)
        return refuse(out, E_INVAL, -1, "ELF is for another machine");
    if (machine != ELF_EM_RISCV)
        return E_OK;
    if ((eh->e_flags & ELF_EF_RISCV_FLOAT_ABI) != ELF_EF_RISCV_FLOAT_ABI_DOUBLE)
        return refuse(out, E_INVAL, -1, "RISC-V ELF not built for the lp64d float ABI");
    if (eh->e_flags & ELF_EF_RISCV_RVE)
        return refuse(out, E_INVAL, -1, "RISC-V ELF built for RVE");
    return E_OK;
}

/* Static non-PIE only: user programs are linked at fixed addresses below
 * 2 GiB, and there is no relocator or dynamic linker to run an ET_DYN. */
static Error check_header(const Elf64Header *eh, uint64_t size, uint16_t machine, ElfImage *out)
{
    Error err = check_ident(eh, out);
    if (err == E_OK)
        err = check_machine(eh, machine, out);
    if (err != E_OK)
        return err;
    if (eh->e_type == ELF_ET_DYN)
        return refuse(out, E_INVAL, -1, "position-independent ELF (ET_DYN), need static ET_EXEC");
    if (eh->e_type != ELF_ET_EXEC)
        return refuse(out, E_INVAL, -1, "not an executable ELF (ET_EXEC)");
    if (eh->e_ehsize != sizeof(Elf64Header))
        return refuse(out, E_CORRUPT, -1, "bad ELF header size");
    if (eh->e_phentsize != sizeof(Elf64Phdr))
        return refuse(out, E_CORRUPT, -1, "bad program header entry size");
    if (eh->e_phnum > ELF_IMAGE_MAX_PHDRS)
        return refuse(out, E_NOSYS, -1, "too many program headers");
    /* e_phnum * 56 is small, so only the bounds check needs care. */
    if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64Phdr), size))
        return refuse(out, E_CORRUPT, -1, "program headers outside the file");
    return E_OK;
}

static void read_phdr(const uint8_t *data, const Elf64Header *eh, unsigned i, Elf64Phdr *ph)
{
    /* memcpy: the table need not be aligned in the file or in memory. */
    memcpy(ph, data + eh->e_phoff + (uint64_t)i * sizeof(Elf64Phdr), sizeof(*ph));
}

static unsigned vmm_flags_of(uint32_t p_flags)
{
    /* Every user mapping is readable: the VMM requires VMM_READ and x86
     * cannot map execute-only pages. */
    unsigned flags = VMM_USER | VMM_READ;
    if (p_flags & ELF_PF_W)
        flags |= VMM_WRITE;
    if (p_flags & ELF_PF_X)
        flags |= VMM_EXEC;
    return flags;
}

static Error check_load(const Elf64Phdr *ph, uint64_t size, const ElfLimits *lim, int i,
                        ElfImage *out)
{
    if (ph->p_filesz > ph->p_memsz)
        return refuse(out, E_CORRUPT, i, "segment p_filesz > p_memsz");
    if (!in_file(ph->p_offset, ph->p_filesz, size))
        return refuse(out, E_CORRUPT, i, "segment data outside the file");
    /* Mapping file pages directly needs matching offsets within the page. */
    if ((ph->p_vaddr & PAGE_MASK) != (ph->p_offset & PAGE_MASK))
        return refuse(out, E_CORRUPT, i, "segment p_vaddr and p_offset differ modulo the page");
    if (ph->p_vaddr < lim->user_min || ph->p_vaddr >= lim->user_top ||
        ph->p_memsz > lim->user_top - ph->p_vaddr)
        return refuse(out, E_RANGE, i, "segment outside the user address range");
    if ((ph->p_flags & ELF_PF_W) && (ph->p_flags & ELF_PF_X))
        return refuse(out, E_PERM, i, "segment both writable and executable (W^X)");
    return E_OK;
}

static Error add_load(const Elf64Phdr *ph, uint64_t size, const ElfLimits *lim, int i,
                      ElfImage *out)
{
    /* An empty PT_LOAD occupies nothing; its other fields are never used. */
    if (ph->p_memsz == 0)
        return E_OK;
    Error err = check_load(ph, size, lim, i, out);
    if (err != E_OK)
        return err;
    if (out->segment_count == ELF_IMAGE_MAX_SEGMENTS)
        return refuse(out, E_NOSYS, i, "too many PT_LOAD segments");
    out->segments[out->segment_count++] = (ElfSegment){
        .vaddr = ph->p_vaddr,
        .memsz = ph->p_memsz,
        .offset = ph->p_offset,
        .filesz = ph->p_filesz,
        .flags = vmm_flags_of(ph->p_flags),
    };
    return E_OK;
}

/* The image is only recorded here; where it lies is checked once all
 * segments are known (check_tls_placement). */
static Error add_tls(const Elf64Phdr *ph, uint64_t size, int i, ElfImage *out)
{
    if (out->tls.present)
        return refuse(out, E_CORRUPT, i, "more than one PT_TLS");
    if (ph->p_filesz > ph->p_memsz || !in_file(ph->p_offset, ph->p_filesz, size))
        return refuse(out, E_CORRUPT, i, "PT_TLS sizes or data outside the file");
    if (ph->p_align > ELF_IMAGE_PAGE_SIZE || (ph->p_align & (ph->p_align - 1)))
        return refuse(out, E_CORRUPT, i, "PT_TLS alignment not a power of two up to a page");
    if (ph->p_memsz > ELF_IMAGE_MAX_TOTAL)
        return refuse(out, E_RANGE, i, "PT_TLS block too large");
    out->tls = (ElfTls){
        .present = true,
        .vaddr = ph->p_vaddr,
        .filesz = ph->p_filesz,
        .memsz = ph->p_memsz,
        .align = ph->p_align ? ph->p_align : 1,
    };
    return E_OK;
}

static Error add_phdr(const Elf64Phdr *ph, uint64_t size, const ElfLimits *lim, int i,
                      ElfImage *out)
{
    switch (ph->p_type) {
    case ELF_PT_LOAD: return add_load(ph, size, lim, i, out);
    case ELF_PT_TLS: return add_tls(ph, size, i, out);
    case ELF_PT_INTERP: return refuse(out, E_NOSYS, i, "dynamically linked ELF (PT_INTERP)");
    case ELF_PT_DYNAMIC: return refuse(out, E_NOSYS, i, "dynamically linked ELF (PT_DYNAMIC)");
    case ELF_PT_GNU_STACK:
        /* User stacks are never executable; a program asking for one is refused
         * rather than silently given something else. */
        if (ph->p_flags & ELF_PF_X)
            return refuse(out, E_NOSYS, i, "executable stack requested (PT_GNU_STACK)");
        return E_OK;
    default:
        /* PT_NOTE, PT_PHDR, PT_GNU_RELRO, PT_GNU_EH_FRAME, attributes and
         * anything unknown do not change how the program is loaded. */
        return E_OK;
    }
}

static bool pages_overlap(const ElfSegment *a, const ElfSegment *b)
{
    return page_down(a->vaddr) < page_up(b->vaddr + b->memsz) &&
           page_down(b->vaddr) < page_up(a->vaddr + a->memsz);
}

/* Page granularity, because each page gets one set of permissions and one
 * owner: two segments sharing a page would need W and X merged or one
 * segment's bytes overwritten by the other's. */
static Error check_overlaps(ElfImage *out)
{
    for (uint32_t i = 0; i < out->segment_count; i++)
        for (uint32_t j = i + 1; j < out->segment_count; j++)
            if (pages_overlap(&out->segments[i], &out->segments[j]))
                return refuse(out, E_CORRUPT, -1, "PT_LOAD segments share a page");
    return E_OK;
}

/* Fills lowest, highest and total. Each segment is below user_top <= 2^63
 * and there are at most 16 of them, so the sum cannot wrap. */
static Error measure(const ElfLimits *lim, ElfImage *out)
{
    out->lowest = UINT64_MAX;
    for (uint32_t i = 0; i < out->segment_count; i++) {
        const ElfSegment *s = &out->segments[i];
        uint64_t lo = page_down(s->vaddr), hi = page_up(s->vaddr + s->memsz);
        out->total += hi - lo;
        if (lo < out->lowest)
            out->lowest = lo;
        if (hi > out->highest)
            out->highest = hi;
    }
    if (out->total > lim->max_total)
        return refuse(out, E_RANGE, -1, "segments need more memory than allowed");
    return E_OK;
}

/* The entry must be real code: file-backed bytes of an executable segment,
 * not zero-filled bss. */
static Error check_entry(uint64_t entry, ElfImage *out)
{
    for (uint32_t i = 0; i < out->segment_count; i++) {
        const ElfSegment *s = &out->segments[i];
        if ((s->flags & VMM_EXEC) && entry >= s->vaddr && entry - s->vaddr < s->filesz)
            return E_OK;
    }
    return refuse(out, E_CORRUPT, -1, "entry point not in an executable segment");
}

/* A libc copies the TLS image from memory, so it must be inside a segment. */
static Error check_tls_placement(int tls_phdr, ElfImage *out)
{
    if (!out->tls.present)
        return E_OK;
    for (uint32_t i = 0; i < out->segment_count; i++) {
        const ElfSegment *s = &out->segments[i];
        if (out->tls.vaddr >= s->vaddr && out->tls.vaddr - s->vaddr <= s->memsz &&
            out->tls.filesz <= s->memsz - (out->tls.vaddr - s->vaddr))
            return E_OK;
    }
    return refuse(out, E_CORRUPT, tls_phdr, "PT_TLS image not inside a PT_LOAD segment");
}

static Error parse_phdrs(const uint8_t *data, uint64_t size, const Elf64Header *eh,
                         const ElfLimits *lim, ElfImage *out)
{
    int tls_phdr = -1;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64Phdr ph;
        read_phdr(data, eh, i, &ph);
        Error err = add_phdr(&ph, size, lim, (int)i, out);
        if (err != E_OK)
            return err;
        if (ph.p_type == ELF_PT_TLS)
            tls_phdr = (int)i;
    }
    if (out->segment_count == 0)
        return refuse(out, E_CORRUPT, -1, "no PT_LOAD segment");
    Error err = check_overlaps(out);
    if (err == E_OK)
        err = measure(lim, out);
    if (err == E_OK)
        err = check_entry(eh->e_entry, out);
    if (err == E_OK)
        err = check_tls_placement(tls_phdr, out);
    return err;
}

Error elf_image_parse(const void *data, size_t size, uint16_t machine, const ElfLimits *limits,
                      ElfImage *out)
{
    if (out == NULL)
        return E_INVAL;
    if (data == NULL || limits == NULL)
        return refuse(out, E_INVAL, -1, "NULL data or limits");
    Error err = check_limits(limits, machine, out);
    if (err != E_OK)
        return err;
    Elf64Header eh;
    if (size < sizeof(eh))
        return refuse(out, E_CORRUPT, -1, "file too small for an ELF header");
    memcpy(&eh, data, sizeof(eh));
    err = check_header(&eh, size, machine, out);
    if (err != E_OK)
        return err;
    memset(out, 0, sizeof(*out));
    err = parse_phdrs(data, size, &eh, limits, out);
    if (err != E_OK)
        return err;
    out->entry = eh.e_entry;
    out->bad_phdr = -1;
    return E_OK;
}
