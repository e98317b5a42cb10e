/*
 * Declarations shared by the firmware-facing parts of BOOTX64.EFI (console,
 * files, platform tables, CPU, hand-over). The pure-C parts have their own
 * headers (elf_load.h, memmap.h, paging.h, cmdline.h).
 */
#ifndef BOOT_UEFI_LOADER_H
#define BOOT_UEFI_LOADER_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <efi.h>
#include <stdint.h>

#include "memmap.h"

/* Set once by efi_main; boot services are valid until handover_exit. */
extern EFI_SYSTEM_TABLE *loader_st;
extern EFI_HANDLE loader_image;

/* console.c: ConOut output. Formats %s %c %d %u %x and %lu %lx (64-bit). */
void con_printf(const char *fmt, ...);

/* fs.c: files on the volume BOOTX64.EFI was loaded from. */
Error fs_open_boot_volume(EFI_FILE_HANDLE *root);
/* Reads a whole file into pool memory (free with fs_free). E_NOENT when
 * the file does not exist, E_NOMEM, E_FAULT for read errors. */
Error fs_read_file(EFI_FILE_HANDLE root, CHAR16 *path, void **data, uint64_t *size);
void fs_free(void *data);

/* platform.c: firmware tables. */
uint64_t platform_find_rsdp(void);                          /* physical address or 0 */
void platform_find_framebuffer(BootFramebuffer *fb);        /* format BOOT_FB_NONE if absent */
Error platform_alloc_pages(uint64_t pages, uint64_t *phys); /* EfiLoaderData */

/* cpu.c: the few things only instructions can tell or do. */
int cpu_has_1g_pages(void);
int cpu_nx_enabled(void);
int cpu_la57_enabled(void);
unsigned cpu_phys_bits(void);
uint32_t cpu_apic_id(void);
void cpu_serial_puts(const char *s);
_Noreturn void cpu_halt(void);
_Noreturn void cpu_enter_kernel(uint64_t cr3, uint64_t entry, uint64_t arg);

/* handover.c: the final memory map, ExitBootServices and the jump. */
typedef struct Handover {
    BootInfo *bootinfo;
    uint64_t cr3;
    uint64_t entry;
    MemmapOverride overrides[2];
    uint32_t override_count;
    void *map;
    uint64_t map_capacity;
    uint64_t map_size;
    uint64_t desc_size;
} Handover;

/* Allocate the map buffer and read a current map into it. */
Error handover_prepare(Handover *h);
/* Convert the current map into h->bootinfo to catch problems while the
 * console still works. */
Error handover_check(Handover *h);
/* Exit boot services, fill the memory regions, enter the kernel. Returns
 * only if the very first GetMemoryMap fails (boot services still up). */
Error handover_exit_and_enter(Handover *h);

#endif
