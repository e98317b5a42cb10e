/* Memory-management start-up: PMM from BootInfo, the kernel's page tables
 * (direct map plus image), the switch to them, then fba and slab. */
#include <arch/memory_layout.h>
#include <arch/paging.h>
#include <arch/tlb.h>
#include <kprintf.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/vmm.h>

/* Below this, physical address space without RAM is direct-mapped
 * uncached, so early drivers reach MMIO (UART, LAPIC, PLIC, ECAM) through
 * the direct map, as they did under the boot tables. */
#define MM_LOW_MMIO_LIMIT 0x100000000ull

/* Share of free pages given to the fixed-block allocator, and its bounds. */
#define MM_FBA_DIVISOR   32
#define MM_FBA_MIN_PAGES 16
#define MM_FBA_MAX_PAGES 4096

uintptr_t mm_direct_map_base = DIRECT_MAP_BASE;
Pmm mm_pmm;
Fba mm_fba;
static uint64_t mm_root;

extern char __kernel_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[];

uint64_t mm_kernel_root(void)
{
    return mm_root;
}

static Error mm_table_alloc(void *ctx, uint64_t *pa_out)
{
    return pmm_alloc_page(ctx, pa_out);
}

static void mm_table_free(void *ctx, uint64_t pa)
{
    pmm_free_page(ctx, pa);
}

typedef enum MmDirectKind {
    MM_DM_SKIP,
    MM_DM_CACHED,
    MM_DM_UNCACHED,
} MmDirectKind;

static MmDirectKind mm_direct_kind(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_USABLE:
    case BOOT_MEM_RECLAIMABLE:
    case BOOT_MEM_ACPI_RECLAIM:
    case BOOT_MEM_ACPI_NVS:
    case BOOT_MEM_FIRMWARE:
    case BOOT_MEM_KERNEL: return MM_DM_CACHED;
    case BOOT_MEM_FRAMEBUFFER:
    case BOOT_MEM_RESERVED: return MM_DM_UNCACHED;
    default: return MM_DM_SKIP; /* BOOT_MEM_BAD: never touch it */
    }
}

/* Collects adjacent ranges of one kind so they map with the largest pages. */
typedef struct MmDirectRun {
    uint64_t root;
    uint64_t base, end;
    MmDirectKind kind;
} MmDirectRun;

static Error mm_direct_flush(MmDirectRun *run)
{
    Error err = E_OK;
    if (run->kind != MM_DM_SKIP && run->end > run->base) {
        unsigned flags = VMM_READ | VMM_WRITE | VMM_GLOBAL;
        if (run->kind == MM_DM_UNCACHED)
            flags |= VMM_NOCACHE;
        err = vmm_map_range(run->root, mm_direct_map_base + run->base, run->base,
                            run->end - run->base, flags, true);
    }
    run->kind = MM_DM_SKIP;
    return err;
}

static Error mm_direct_add(MmDirectRun *run, uint64_t base, uint64_t end, MmDirectKind kind)
{
    if (base >= end)
        return E_OK;
    if (kind == run->kind && base == run->end) {
        run->end = end;
        return E_OK;
    }
    Error err = mm_direct_flush(run);
    run->base = base;
    run->end = end;
    run->kind = kind;
    return err;
}

/* RAM cached; framebuffers, reserved ranges and the holes below 4 GiB
 * uncached; reserved ranges above 4 GiB and bad RAM not at all. */
static Error mm_map_direct(uint64_t root, const BootInfo *bi)
{
    MmDirectRun run = {.root = root, .kind = MM_DM_SKIP};
    uint64_t cursor = 0;
    Error err = E_OK;
    for (uint32_t i = 0; i < bi->mem_region_count && err == E_OK; i++) {
        const BootMemRegion *r = &bi->mem_regions[i];
        uint64_t end = r->base + r->length;
        MmDirectKind kind = mm_direct_kind(r->type);
        if (cursor < r->base && cursor < MM_LOW_MMIO_LIMIT) {
            uint64_t hole_end = r->base < MM_LOW_MMIO_LIMIT ? r->base : MM_LOW_MMIO_LIMIT;
            err = mm_direct_add(&run, cursor, hole_end, MM_DM_UNCACHED);
        }
        if (err == E_OK && r->type == BOOT_MEM_RESERVED && end > MM_LOW_MMIO_LIMIT) {
            err = mm_direct_add(&run, r->base, MM_LOW_MMIO_LIMIT, kind);
            kind = MM_DM_SKIP;
        }
        if (err == E_OK)
            err = mm_direct_add(&run, r->base, end, kind);
        if (end > cursor)
            cursor = end;
    }
    if (err == E_OK && cursor < MM_LOW_MMIO_LIMIT)
        err = mm_direct_add(&run, cursor, MM_LOW_MMIO_LIMIT, MM_DM_UNCACHED);
    if (err == E_OK)
        err = mm_direct_flush(&run);
    return err;
}

/* The image must be page-aligned, ordered, and fit its BOOT_MEM_KERNEL range. */
static Error mm_check_image(const BootInfo *bi, const MmKernelImage *img)
{
    uint64_t parts[] = {img->start,      img->text_start, img->text_end, img->rodata_start,
                        img->rodata_end, img->data_start, img->end};
    for (unsigned i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (i + 1 < sizeof(parts) / sizeof(parts[0]) && !mm_is_aligned(parts[i], MM_PAGE_SIZE))
            return E_INVAL;
        if (i > 0 && parts[i] < parts[i - 1])
            return E_INVAL;
    }
    uint64_t size = mm_align_up(img->end, MM_PAGE_SIZE) - img->start;
    if (size == 0 || size > bi->kernel_phys_size ||
        !mm_is_aligned(bi->kernel_phys_base, MM_PAGE_SIZE))
        return E_INVAL;
    return E_OK;
}

/* Where the image page at va lives: read from the boot tables when they are
 * ours to walk (the x86 loader may scatter segments), else assumed
 * contiguous from kernel_phys_base. */
static Error mm_image_pa(const BootInfo *bi, const MmKernelImage *img, uint64_t boot_root,
                         uint64_t va, uint64_t *pa)
{
    if (boot_root == 0) {
        *pa = bi->kernel_phys_base + (va - img->start);
        return E_OK;
    }
    return vmm_translate(boot_root, va, pa, NULL) == E_OK ? E_OK : E_CORRUPT;
}

/* Text RX, everything up to data R (rodata, RAMFS), data and bss RW; global. */
static Error mm_map_image(uint64_t root, const BootInfo *bi, const MmKernelImage *img)
{
    uint64_t boot_root = arch_get_root();
    uint64_t end = mm_align_up(img->end, MM_PAGE_SIZE);
    for (uint64_t va = img->start; va < end; va += MM_PAGE_SIZE) {
        unsigned flags = VMM_READ | VMM_GLOBAL;
        if (va >= img->text_start && va < img->text_end)
            flags |= VMM_EXEC;
        else if (va >= img->data_start)
            flags |= VMM_WRITE;
        uint64_t pa;
        Error err = mm_image_pa(bi, img, boot_root, va, &pa);
        if (err != E_OK) {
            kprintf("mm: boot tables do not map kernel page %llx\n", (unsigned long long)va);
            return err;
        }
        err = vmm_map_page(root, va, pa, flags);
        if (err != E_OK)
            return err;
    }
    return E_OK;
}

static Error mm_setup_fba(void)
{
    PmmStats st;
    pmm_stats(&mm_pmm, &st);
    uint64_t pages = st.free_pages / MM_FBA_DIVISOR;
    pages = pages > MM_FBA_MAX_PAGES ? MM_FBA_MAX_PAGES : pages;
    pages = pages < MM_FBA_MIN_PAGES ? MM_FBA_MIN_PAGES : pages;
    for (; pages >= MM_FBA_MIN_PAGES; pages /= 2) {
        uint64_t pa;
        if (pmm_alloc_pages(&mm_pmm, pages, &pa) == E_OK)
            return fba_init(&mm_fba, phys_to_virt(pa), pages);
    }
    return E_NOMEM;
}

static const char *mm_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_USABLE: return "usable";
    case BOOT_MEM_RECLAIMABLE: return "reclaimable";
    case BOOT_MEM_ACPI_RECLAIM: return "acpi";
    case BOOT_MEM_ACPI_NVS: return "acpi-nvs";
    case BOOT_MEM_FIRMWARE: return "firmware";
    case BOOT_MEM_FRAMEBUFFER: return "framebuffer";
    case BOOT_MEM_KERNEL: return "kernel";
    case BOOT_MEM_BAD: return "bad";
    default: return "reserved";
    }
}

/* Every byte of the map lands in exactly one category. Usable memory below
 * the low limit is "low" (kept from the PMM by policy). */
static void mm_print_summary(const BootInfo *bi, uint64_t low_limit)
{
    enum { USABLE, LOW, KERNEL, RECLAIM, ACPI, FIRMWARE, FB, RESERVED, BAD, COUNT };
    uint64_t bytes[COUNT] = {0};
    uint64_t total = 0;
    for (uint32_t i = 0; i < bi->mem_region_count; i++) {
        const BootMemRegion *r = &bi->mem_regions[i];
        total += r->length;
        switch (r->type) {
        case BOOT_MEM_USABLE: {
            uint64_t end = r->base + r->length;
            uint64_t low_end = end < low_limit ? end : (r->base > low_limit ? r->base : low_limit);
            bytes[LOW] += low_end - r->base;
            bytes[USABLE] += end - low_end;
            break;
        }
        case BOOT_MEM_KERNEL: bytes[KERNEL] += r->length; break;
        case BOOT_MEM_RECLAIMABLE: bytes[RECLAIM] += r->length; break;
        case BOOT_MEM_ACPI_RECLAIM:
        case BOOT_MEM_ACPI_NVS: bytes[ACPI] += r->length; break;
        case BOOT_MEM_FIRMWARE: bytes[FIRMWARE] += r->length; break;
        case BOOT_MEM_FRAMEBUFFER: bytes[FB] += r->length; break;
        case BOOT_MEM_BAD: bytes[BAD] += r->length; break;
        default: bytes[RESERVED] += r->length; break;
        }
    }
    PmmStats st;
    pmm_stats(&mm_pmm, &st);
    kprintf("mem: %llu KiB in the memory map = usable %llu KiB (%llu pages free, %llu used, "
            "%llu pmm meta) + low %llu KiB + kernel %llu KiB + reclaimable %llu KiB + "
            "acpi %llu KiB + firmware %llu KiB + framebuffer %llu KiB + reserved %llu KiB + "
            "bad %llu KiB\n",
            (unsigned long long)(total >> 10), (unsigned long long)(bytes[USABLE] >> 10),
            (unsigned long long)st.free_pages, (unsigned long long)st.used_pages,
            (unsigned long long)st.meta_pages, (unsigned long long)(bytes[LOW] >> 10),
            (unsigned long long)(bytes[KERNEL] >> 10), (unsigned long long)(bytes[RECLAIM] >> 10),
            (unsigned long long)(bytes[ACPI] >> 10), (unsigned long long)(bytes[FIRMWARE] >> 10),
            (unsigned long long)(bytes[FB] >> 10), (unsigned long long)(bytes[RESERVED] >> 10),
            (unsigned long long)(bytes[BAD] >> 10));
}

static void mm_list_regions(const BootInfo *bi)
{
    for (uint32_t i = 0; i < bi->mem_region_count; i++) {
        const BootMemRegion *r = &bi->mem_regions[i];
        kprintf("memmap: %016llx-%016llx %s\n", (unsigned long long)r->base,
                (unsigned long long)(r->base + r->length - 1), mm_type_name(r->type));
    }
}

Error mm_setup(const BootInfo *bi, const MmKernelImage *img, uint64_t low_limit)
{
    if (bi->direct_map_base != mm_direct_map_base ||
        bi->mem_region_count > BOOTINFO_MAX_MEM_REGIONS)
        return E_INVAL;
    Error err = mm_check_image(bi, img);
    if (err != E_OK)
        return err;
    mm_list_regions(bi);
    err = pmm_init(&mm_pmm, bi->mem_regions, bi->mem_region_count, low_limit);
    if (err != E_OK)
        return err;
    VmmTableAllocator tables = {.alloc = mm_table_alloc, .free = mm_table_free, .ctx = &mm_pmm};
    vmm_set_table_allocator(&tables);

    uint64_t root;
    err = vmm_root_create(&root);
    if (err == E_OK)
        err = mm_map_direct(root, bi);
    if (err == E_OK)
        err = mm_map_image(root, bi, img);
    if (err != E_OK)
        return err;

    arch_set_root(root);
    arch_tlb_flush_all(); /* boot mappings may have been global */
    if (arch_get_root() != root)
        return E_NOSYS;
    mm_root = root;

    err = mm_setup_fba();
    if (err == E_OK)
        err = slab_init(&mm_fba);
    if (err != E_OK)
        return err;
    mm_print_summary(bi, low_limit);
    return E_OK;
}

Error mm_init(const BootInfo *bi)
{
    /* The stack must survive the switch: kernel image or direct map only. */
    int probe;
    if ((int64_t)(uintptr_t)&probe >= 0) {
        kprintf("mm: boot stack %p is not in the kernel half\n", (void *)&probe);
        return E_INVAL;
    }
    MmKernelImage img = {
        .start = (uint64_t)(uintptr_t)__kernel_start,
        .text_start = (uint64_t)(uintptr_t)__text_start,
        .text_end = (uint64_t)(uintptr_t)__text_end,
        .rodata_start = (uint64_t)(uintptr_t)__rodata_start,
        .rodata_end = (uint64_t)(uintptr_t)__rodata_end,
        .data_start = (uint64_t)(uintptr_t)__data_start,
        .end = (uint64_t)(uintptr_t)__kernel_end,
    };
    vmm_set_max_leaf_level(arch_paging_max_leaf_level());
    return mm_setup(bi, &img, ARCH_PMM_LOW_LIMIT);
}
