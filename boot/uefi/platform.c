/*
 * Firmware facts the kernel needs: the ACPI RSDP from the configuration
 * table and the GOP framebuffer. Also the loader's page allocator.
 */
#include "loader.h"

static int guid_equal(const EFI_GUID *a, const EFI_GUID *b)
{
    return __builtin_memcmp(a, b, sizeof(*a)) == 0;
}

uint64_t platform_find_rsdp(void)
{
    EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
    EFI_GUID acpi10 = ACPI_TABLE_GUID;
    uint64_t v1 = 0;
    for (UINTN i = 0; i < loader_st->NumberOfTableEntries; i++) {
        EFI_CONFIGURATION_TABLE *t = &loader_st->ConfigurationTable[i];
        if (guid_equal(&t->VendorGuid, &acpi20))
            return (uint64_t)(uintptr_t)t->VendorTable;
        if (guid_equal(&t->VendorGuid, &acpi10))
            v1 = (uint64_t)(uintptr_t)t->VendorTable;
    }
    return v1;
}

/* A bit-mask mode is usable only if it is one of the two byte orders. */
static uint32_t mask_format(const EFI_PIXEL_BITMASK *m)
{
    if (m->RedMask == 0x000000FF && m->GreenMask == 0x0000FF00 && m->BlueMask == 0x00FF0000)
        return BOOT_FB_RGBX8888;
    if (m->RedMask == 0x00FF0000 && m->GreenMask == 0x0000FF00 && m->BlueMask == 0x000000FF)
        return BOOT_FB_BGRX8888;
    return BOOT_FB_NONE;
}

void platform_find_framebuffer(BootFramebuffer *fb)
{
    EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
    *fb = (BootFramebuffer){.format = BOOT_FB_NONE};
    EFI_STATUS st = loader_st->BootServices->LocateProtocol(&gop_guid, NULL, (void **)&gop);
    if (EFI_ERROR(st) || !gop || !gop->Mode || !gop->Mode->Info)
        return;

    EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = gop->Mode->Info;
    uint32_t format = BOOT_FB_NONE;
    switch (info->PixelFormat) {
    case PixelRedGreenBlueReserved8BitPerColor: format = BOOT_FB_RGBX8888; break;
    case PixelBlueGreenRedReserved8BitPerColor: format = BOOT_FB_BGRX8888; break;
    case PixelBitMask: format = mask_format(&info->PixelInformation); break;
    default: break; /* PixelBltOnly: no linear framebuffer */
    }
    if (format == BOOT_FB_NONE || gop->Mode->FrameBufferBase == 0)
        return;
    fb->phys_base = gop->Mode->FrameBufferBase;
    fb->size = gop->Mode->FrameBufferSize;
    fb->width = info->HorizontalResolution;
    fb->height = info->VerticalResolution;
    fb->pitch = info->PixelsPerScanLine * 4; /* both formats are 32 bpp */
    fb->format = format;
}

Error platform_alloc_pages(uint64_t pages, uint64_t *phys)
{
    EFI_PHYSICAL_ADDRESS addr = 0;
    EFI_STATUS st =
        loader_st->BootServices->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &addr);
    if (EFI_ERROR(st))
        return E_NOMEM;
    *phys = addr;
    return E_OK;
}
