/*
 * BOOTX64.EFI: loads \EFI\anos\stage3.elf from its own volume, builds the
 * hand-over page tables and BootInfo, and enters the kernel. See
 * docs/Boot.md for the protocol; each step below logs one line.
 */
#include "cmdline.h"
#include "elf_load.h"
#include "loader.h"
#include "paging.h"

#define KERNEL_PATH   L"\\EFI\\anos\\stage3.elf"
#define CMDLINE_PATH  L"\\EFI\\anos\\cmdline.txt"
#define PAGE_SIZE     4096ULL
#define MIN_DIRECT    (4ULL << 30) /* always cover the 32-bit MMIO hole (LAPIC, HPET) */
#define FAIL_PAUSE_US 5000000      /* time to read the error before the firmware moves on */

EFI_SYSTEM_TABLE *loader_st;
EFI_HANDLE loader_image;

static uint64_t pages_for(uint64_t bytes)
{
    return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* Read, check and place the kernel; the file buffer is freed again. */
static Error load_kernel(EFI_FILE_HANDLE root, ElfImage *img, void **file, uint64_t *phys)
{
    uint64_t size;
    Error err = fs_read_file(root, KERNEL_PATH, file, &size);
    if (err != E_OK) {
        con_printf("anos: cannot read \\EFI\\anos\\stage3.elf (%s)\n", error_name(err));
        return err;
    }
    const char *why = "";
    err = elf_validate(*file, size, img, &why);
    if (err != E_OK) {
        con_printf("anos: bad kernel ELF: %s (%s)\n", why, error_name(err));
        return err;
    }
    err = platform_alloc_pages(img->span / PAGE_SIZE, phys);
    if (err != E_OK) {
        con_printf("anos: no %lu KiB block for the kernel\n", img->span / 1024);
        return err;
    }
    elf_copy_segments(*file, img, (void *)(uintptr_t)*phys);
    con_printf("anos: kernel %lu KiB at phys %lx, virt %lx, entry %lx\n", img->span / 1024, *phys,
               img->virt_base, img->entry);
    return E_OK;
}

static void load_cmdline(EFI_FILE_HANDLE root, BootInfo *bi)
{
    void *text;
    uint64_t size;
    Error err = fs_read_file(root, CMDLINE_PATH, &text, &size);
    if (err != E_OK) {
        if (err != E_NOENT)
            con_printf("anos: cannot read cmdline.txt (%s)\n", error_name(err));
        return;
    }
    err = cmdline_extract(text, size, bi->cmdline, sizeof(bi->cmdline));
    fs_free(text);
    if (err == E_RANGE)
        con_printf("anos: command line truncated to %u bytes\n", BOOTINFO_CMDLINE_MAX - 1);
    else if (err != E_OK)
        con_printf("anos: command line ignored (%s)\n", error_name(err));
    if (bi->cmdline[0])
        con_printf("anos: cmdline \"%s\"\n", bi->cmdline);
}

/* Map every PT_LOAD at p_vaddr with its own rights. */
static Error map_kernel(PageTables *pt, const void *file, const ElfImage *img, uint64_t phys)
{
    Elf64Header eh;
    __builtin_memcpy(&eh, file, sizeof(eh));
    for (uint32_t i = 0; i < eh.e_phnum; i++) {
        Elf64Phdr ph;
        elf_phdr(file, i, &ph);
        if (ph.p_type != ELF_PT_LOAD || ph.p_memsz == 0)
            continue;
        uint64_t va = ph.p_vaddr & ~(PAGE_SIZE - 1);
        uint64_t size = pages_for(ph.p_vaddr + ph.p_memsz) * PAGE_SIZE - va;
        unsigned flags = ((ph.p_flags & ELF_PF_W) ? PAGING_WRITE : 0) |
                         ((ph.p_flags & ELF_PF_X) ? PAGING_EXEC : 0);
        Error err = paging_map_range(pt, va, phys + (va - img->virt_base), size, flags);
        if (err != E_OK)
            return err;
    }
    return E_OK;
}

/* Physical range to direct-map: all the map describes, the framebuffer and
 * at least 4 GiB, in whole GiB, within the CPU's address width. */
static Error direct_map_limit(const Handover *h, uint64_t *limit)
{
    MemmapInput in = {.map = h->map, .map_size = h->map_size, .desc_size = h->desc_size};
    uint64_t top = memmap_highest_address(&in);
    const BootFramebuffer *fb = &h->bootinfo->framebuffer;
    if (fb->format != BOOT_FB_NONE && fb->phys_base + fb->size > top)
        top = fb->phys_base + fb->size;
    uint64_t max = 1ULL << cpu_phys_bits();
    if (top > max || top > PAGING_MAX_PHYS) {
        con_printf("anos: memory up to %lx is beyond what can be mapped\n", top);
        return E_RANGE;
    }
    if (top < MIN_DIRECT)
        top = MIN_DIRECT;
    top = (top + PAGING_GIB - 1) & ~(PAGING_GIB - 1);
    *limit = top < max ? top : max;
    return E_OK;
}

static Error build_page_tables(Handover *h, const void *file, const ElfImage *img,
                               uint64_t kernel_phys)
{
    uint64_t limit;
    Error err = direct_map_limit(h, &limit);
    if (err != E_OK)
        return err;
    int use_1g = cpu_has_1g_pages();
    uint64_t pages = paging_pages_needed(limit, use_1g, img->span);
    uint64_t arena;
    err = platform_alloc_pages(pages, &arena);
    PageTables pt;
    if (err == E_OK)
        err = paging_init(&pt, (void *)(uintptr_t)arena, arena, pages, cpu_nx_enabled());
    if (err == E_OK)
        err = paging_map_physical(&pt, limit, use_1g);
    if (err == E_OK)
        err = map_kernel(&pt, file, img, kernel_phys);
    if (err != E_OK) {
        con_printf("anos: cannot build page tables (%s)\n", error_name(err));
        return err;
    }
    h->cr3 = pt.root_phys;
    con_printf("anos: direct map %lu GiB (%s pages), %lu table pages\n", limit >> 30,
               use_1g ? "1 GiB" : "2 MiB", pt.used);
    return E_OK;
}

static Error alloc_bootinfo(BootInfo **out)
{
    uint64_t phys;
    Error err = platform_alloc_pages(pages_for(sizeof(BootInfo)), &phys);
    if (err != E_OK) {
        con_printf("anos: no memory for BootInfo\n");
        return err;
    }
    BootInfo *bi = (BootInfo *)(uintptr_t)phys;
    __builtin_memset(bi, 0, sizeof(*bi));
    bi->magic = BOOTINFO_MAGIC;
    bi->version = BOOTINFO_VERSION;
    bi->size = sizeof(BootInfo);
    bi->direct_map_base = PAGING_DIRECT_MAP_BASE;
    bi->boot_cpu_id = cpu_apic_id();
    *out = bi;
    return E_OK;
}

static void find_platform(BootInfo *bi)
{
    bi->acpi_rsdp_phys = platform_find_rsdp();
    platform_find_framebuffer(&bi->framebuffer);
    const BootFramebuffer *fb = &bi->framebuffer;
    if (!bi->acpi_rsdp_phys)
        con_printf("anos: warning: no ACPI RSDP\n");
    if (fb->format != BOOT_FB_NONE)
        con_printf("anos: framebuffer %ux%u pitch %u at %lx\n", fb->width, fb->height, fb->pitch,
                   fb->phys_base);
}

static void add_overrides(Handover *h)
{
    const BootInfo *bi = h->bootinfo;
    h->overrides[0] = (MemmapOverride){bi->kernel_phys_base, bi->kernel_phys_size, BOOT_MEM_KERNEL};
    h->override_count = 1;
    if (bi->framebuffer.format != BOOT_FB_NONE)
        h->overrides[h->override_count++] =
            (MemmapOverride){bi->framebuffer.phys_base, bi->framebuffer.size, BOOT_MEM_FRAMEBUFFER};
}

static Error boot(void)
{
    if (cpu_la57_enabled()) {
        con_printf("anos: firmware runs 5-level paging; only 4-level is supported\n");
        return E_NOSYS;
    }
    EFI_FILE_HANDLE root;
    Error err = fs_open_boot_volume(&root);
    if (err != E_OK)
        return err;

    Handover h = {0};
    err = alloc_bootinfo(&h.bootinfo);
    if (err != E_OK)
        return err;
    BootInfo *bi = h.bootinfo;
    load_cmdline(root, bi);

    ElfImage img;
    void *file;
    err = load_kernel(root, &img, &file, &bi->kernel_phys_base);
    root->Close(root);
    if (err != E_OK)
        return err;
    bi->kernel_phys_size = img.span;
    bi->kernel_virt_base = img.virt_base;
    h.entry = img.entry;
    find_platform(bi);
    add_overrides(&h);

    err = handover_prepare(&h);
    if (err == E_OK)
        err = build_page_tables(&h, file, &img, bi->kernel_phys_base);
    fs_free(file);
    if (err == E_OK)
        err = handover_check(&h);
    if (err != E_OK)
        return err;
    con_printf("anos: %u memory regions, exiting boot services\n", bi->mem_region_count);
    return handover_exit_and_enter(&h);
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
    loader_st = st;
    loader_image = image;
    con_printf("anos: UEFI loader\n");
    Error err = boot();
    /* Only failures get here; the firmware tries the next boot option. */
    con_printf("anos: boot failed (%s), back to the firmware in 5 s\n", error_name(err));
    st->BootServices->Stall(FAIL_PAUSE_US);
    return err == E_NOMEM ? EFI_OUT_OF_RESOURCES : EFI_LOAD_ERROR;
}
