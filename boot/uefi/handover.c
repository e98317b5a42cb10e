/*
 * The point of no return: the final memory map, ExitBootServices (retried
 * with a fresh map key), the conversion into BootInfo and the jump. After
 * ExitBootServices succeeds no boot service may be called and nothing is
 * allocated: every buffer used here exists before.
 */
#include "loader.h"
#include "paging.h"

#define HANDOVER_MAP_SLACK 64 /* descriptors: room for splits by later allocations */
#define HANDOVER_TRIES     4

static EFI_STATUS get_map(Handover *h, UINTN *key)
{
    UINTN size = h->map_capacity, desc_size = 0;
    UINT32 version;
    EFI_STATUS st = loader_st->BootServices->GetMemoryMap(&size, h->map, key, &desc_size, &version);
    if (!EFI_ERROR(st)) {
        h->map_size = size;
        h->desc_size = desc_size;
    }
    return st;
}

Error handover_prepare(Handover *h)
{
    UINTN size = 0, key, desc_size = 0;
    UINT32 version;
    EFI_STATUS st = loader_st->BootServices->GetMemoryMap(&size, NULL, &key, &desc_size, &version);
    if (st != EFI_BUFFER_TOO_SMALL || desc_size == 0) {
        con_printf("anos: GetMemoryMap size query failed (status %lx)\n", (uint64_t)st);
        return E_FAULT;
    }
    h->map_capacity = size + HANDOVER_MAP_SLACK * desc_size;
    st = loader_st->BootServices->AllocatePool(EfiLoaderData, h->map_capacity, &h->map);
    if (EFI_ERROR(st)) {
        con_printf("anos: no memory for the memory map\n");
        return E_NOMEM;
    }
    st = get_map(h, &key);
    if (EFI_ERROR(st)) {
        con_printf("anos: GetMemoryMap failed (status %lx)\n", (uint64_t)st);
        return E_FAULT;
    }
    return E_OK;
}

static Error convert(Handover *h)
{
    MemmapInput in = {
        .map = h->map,
        .map_size = h->map_size,
        .desc_size = h->desc_size,
        .overrides = h->overrides,
        .override_count = h->override_count,
    };
    uint32_t count = 0;
    Error err = memmap_convert(&in, h->bootinfo->mem_regions, BOOTINFO_MAX_MEM_REGIONS, &count);
    h->bootinfo->mem_region_count = err == E_OK ? count : 0;
    return err;
}

Error handover_check(Handover *h)
{
    UINTN key;
    EFI_STATUS st = get_map(h, &key);
    if (EFI_ERROR(st)) {
        con_printf("anos: GetMemoryMap failed (status %lx)\n", (uint64_t)st);
        return E_FAULT;
    }
    Error err = convert(h);
    if (err != E_OK) {
        con_printf("anos: cannot convert the memory map (%s, %lu descriptors)\n", error_name(err),
                   h->map_size / h->desc_size);
        return err;
    }
    return E_OK;
}

static _Noreturn void fatal(const char *msg)
{
    cpu_serial_puts(msg);
    cpu_halt();
}

Error handover_exit_and_enter(Handover *h)
{
    for (int attempt = 0;; attempt++) {
        UINTN key;
        EFI_STATUS st = get_map(h, &key);
        if (EFI_ERROR(st) && attempt == 0) {
            con_printf("anos: GetMemoryMap failed (status %lx)\n", (uint64_t)st);
            return E_FAULT;
        }
        if (EFI_ERROR(st))
            fatal("anos: GetMemoryMap failed after ExitBootServices\r\n");
        st = loader_st->BootServices->ExitBootServices(loader_image, key);
        if (st == EFI_SUCCESS)
            break;
        if (st != EFI_INVALID_PARAMETER && attempt == 0) {
            con_printf("anos: ExitBootServices failed (status %lx)\n", (uint64_t)st);
            return E_FAULT;
        }
        if (st != EFI_INVALID_PARAMETER || attempt + 1 >= HANDOVER_TRIES)
            fatal("anos: ExitBootServices keeps failing\r\n");
    }

    /* Boot services are gone from here on. */
    if (convert(h) != E_OK)
        fatal("anos: final memory map does not fit BootInfo\r\n");
    uint64_t arg = PAGING_DIRECT_MAP_BASE + (uint64_t)(uintptr_t)h->bootinfo;
    cpu_enter_kernel(h->cr3, h->entry, arg);
}
