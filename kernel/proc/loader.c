/*
 * The ELF loader: elf_image_parse decides what is acceptable; this only
 * turns the checked segments into image regions and copies file bytes.
 */
#include <anos/elf64.h>
#include <anos/startup.h>
#include <anos/syscall.h>
#include <elf_image.h>
#include <mm/vmm_flags.h>
#include <proc/loader.h>

Error loader_load(ProcessVm *vm, const void *elf, size_t size, uint64_t *entry_out,
                  const char **reason_out)
{
    static const ElfLimits limits = {
        .user_min = ANOS_USER_MIN,
        .user_top = ANOS_STACK_TOP - ANOS_STACK_SIZE,
        .max_total = ELF_IMAGE_MAX_TOTAL,
    };
    ElfImage img;
    Error err = elf_image_parse(elf, size, LOADER_ELF_MACHINE, &limits, &img);
    if (err != E_OK) {
        *reason_out = img.reason;
        return err;
    }
    const uint8_t *bytes = elf;
    for (uint32_t i = 0; i < img.segment_count; i++) {
        const ElfSegment *seg = &img.segments[i];
        uint64_t base = seg->vaddr & ~(ELF_IMAGE_PAGE_SIZE - 1);
        uint64_t end =
            (seg->vaddr + seg->memsz + ELF_IMAGE_PAGE_SIZE - 1) & ~(ELF_IMAGE_PAGE_SIZE - 1);
        unsigned prot = ANOS_PROT_READ;
        if (seg->flags & VMM_WRITE) {
            prot |= ANOS_PROT_WRITE;
        }
        if (seg->flags & VMM_EXEC) {
            prot |= ANOS_PROT_EXEC;
        }
        if ((err = vm_add_image(vm, base, end - base, prot)) != E_OK) {
            *reason_out = "out of memory for a segment";
            return err;
        }
        if (seg->filesz > 0 &&
            (err = vm_write(vm, seg->vaddr, bytes + seg->offset, seg->filesz)) != E_OK) {
            *reason_out = "segment copy failed";
            return err;
        }
    }
    *entry_out = img.entry;
    return E_OK;
}
