/*
 * riscv64 boot glue: turns the devicetree OpenSBI passed into the BootInfo
 * every later stage reads (docs/Boot.md), then calls kernel_main.
 */
#include <anos/bootinfo.h>
#include <arch/init.h>
#include <arch/memory_layout.h>
#include <arch/sbi.h>
#include <bootinfo_build.h>
#include <kprintf.h>
#include <kstring.h>
#include <panic.h>

#include "riscv.h"

void kernel_main(BootInfo *boot_info);

/* Handed to kernel_main, which copies it; lives in .bss, so inside the
 * KERNEL range of the map it describes. */
static BootInfo boot_info;

uint32_t riscv_boot_hart_id;
uint64_t riscv_kernel_phys;

/* A malformed devicetree or a map that does not fit is a boot failure with a
 * clear message: the console already works (UART or SBI). */
static void boot_check(Error err, const char *what)
{
    if (err != E_OK) {
        panic("riscv64 boot: %s: %s", what, error_name(err));
    }
}

/* Adds [base, base + size) with type, clipped to what the direct map covers
 * (the kernel cannot reach memory above it yet). */
static void boot_add_range(uint64_t base, uint64_t size, BootMemType type, const char *what)
{
    if (size == 0 || base >= DIRECT_MAP_SIZE) {
        return;
    }
    if (size > DIRECT_MAP_SIZE - base) {
        kprintf("riscv64 boot: %s above %llu GiB ignored\n", what,
                (unsigned long long)(DIRECT_MAP_SIZE >> 30));
        size = DIRECT_MAP_SIZE - base;
    }
    boot_check(bootinfo_add_region(&boot_info, base, size, type), what);
}

/* Adds every reg entry of node as type. */
static void boot_add_reg(const Fdt *fdt, FdtNode node, BootMemType type, const char *what)
{
    uint64_t base, size;
    Error err;
    for (uint32_t i = 0; (err = fdt_reg(fdt, node, i, &base, &size)) == E_OK; i++) {
        boot_add_range(base, size, type, what);
    }
    if (err != E_NOENT) {
        boot_check(err, what);
    }
}

/* RAM: children of / with device_type "memory" (or, without device_type,
 * named memory@...), honouring the root's #address-cells/#size-cells. */
static void boot_add_memory(const Fdt *fdt)
{
    FdtNode node;
    uint32_t found = 0;
    Error err = fdt_first_child(fdt, fdt_root(fdt), &node);
    for (; err == E_OK; err = fdt_next_sibling(fdt, node, &node)) {
        const char *type;
        Error terr = fdt_prop_string(fdt, node, "device_type", &type);
        const char *name = fdt_node_name(fdt, node);
        bool is_memory =
            terr == E_OK ? strcmp(type, "memory") == 0
                         : (strncmp(name, "memory", 6) == 0 && (name[6] == '@' || name[6] == '\0'));
        if (is_memory && fdt_node_is_enabled(fdt, node)) {
            boot_add_reg(fdt, node, BOOT_MEM_USABLE, "memory node");
            found++;
        }
    }
    if (err != E_NOENT) {
        boot_check(err, "devicetree walk");
    }
    if (found == 0) {
        panic("riscv64 boot: the devicetree describes no memory");
    }
}

/* Firmware reservations: /reserved-memory children (OpenSBI's own region),
 * the memory reservation block, and the blob itself. */
static void boot_add_reservations(const Fdt *fdt, uint64_t dtb_phys)
{
    FdtNode resv, node;
    if (fdt_find_node(fdt, "/reserved-memory", &resv) == E_OK) {
        Error err = fdt_first_child(fdt, resv, &node);
        for (; err == E_OK; err = fdt_next_sibling(fdt, node, &node)) {
            if (fdt_node_is_enabled(fdt, node)) {
                boot_add_reg(fdt, node, BOOT_MEM_FIRMWARE, "reserved-memory");
            }
        }
        if (err != E_NOENT) {
            boot_check(err, "reserved-memory");
        }
    }
    uint64_t base, size;
    for (uint32_t i = 0; fdt_memreserve(fdt, i, &base, &size) == E_OK; i++) {
        boot_add_range(base, size, BOOT_MEM_FIRMWARE, "memreserve");
    }
    boot_add_range(dtb_phys, fdt->total_size, BOOT_MEM_FIRMWARE, "devicetree blob");
}

/* A "simple-framebuffer" node, if any, in one of the formats BootInfo
 * knows (32 bits per pixel). Others are left out: kterm cannot draw them. */
static void boot_add_framebuffer(const Fdt *fdt)
{
    FdtNode node = FDT_NODE_NONE;
    while (fdt_find_compatible(fdt, node, "simple-framebuffer", &node) == E_OK) {
        uint64_t base, size;
        uint32_t width, height, stride;
        const char *format;
        if (!fdt_node_is_enabled(fdt, node) || fdt_reg(fdt, node, 0, &base, &size) != E_OK ||
            fdt_prop_u32(fdt, node, "width", &width) != E_OK ||
            fdt_prop_u32(fdt, node, "height", &height) != E_OK ||
            fdt_prop_u32(fdt, node, "stride", &stride) != E_OK ||
            fdt_prop_string(fdt, node, "format", &format) != E_OK) {
            continue;
        }
        uint32_t fb_format = BOOT_FB_NONE;
        /* The format names a 32-bit little-endian word, high bits first. */
        if (!strcmp(format, "a8r8g8b8") || !strcmp(format, "x8r8g8b8")) {
            fb_format = BOOT_FB_BGRX8888;
        } else if (!strcmp(format, "a8b8g8r8") || !strcmp(format, "x8b8g8r8")) {
            fb_format = BOOT_FB_RGBX8888;
        }
        if (fb_format == BOOT_FB_NONE || stride < 4ull * width ||
            size < (uint64_t)stride * height) {
            continue;
        }
        boot_info.framebuffer = (BootFramebuffer){
            .phys_base = base,
            .size = size,
            .width = width,
            .height = height,
            .pitch = stride,
            .format = fb_format,
        };
        boot_add_range(base, size, BOOT_MEM_FRAMEBUFFER, "framebuffer");
        return;
    }
}

static void boot_set_cmdline(const Fdt *fdt)
{
    FdtNode chosen;
    const char *args;
    if (fdt_find_node(fdt, "/chosen", &chosen) != E_OK) {
        return;
    }
    Error err = fdt_prop_string(fdt, chosen, "bootargs", &args);
    if (err == E_NOENT) {
        return;
    }
    boot_check(err, "/chosen/bootargs");
    if (bootinfo_set_cmdline(&boot_info, args) == E_RANGE) {
        kprintf("riscv64 boot: command line truncated to %d bytes\n", BOOTINFO_CMDLINE_MAX - 1);
    }
}

_Noreturn void riscv_boot(uint64_t hart_id, uint64_t dtb_phys, uint64_t kernel_phys)
{
    riscv_percpu_boot_install((uint32_t)hart_id);
    riscv_boot_hart_id = (uint32_t)hart_id;
    riscv_kernel_phys = kernel_phys;
    riscv_trap_init();
    sbi_init();

    Fdt fdt;
    Error err = riscv_fdt_open(dtb_phys, &fdt);
    if (err != E_OK) {
        panic("riscv64 boot: devicetree at physical %#llx is unusable: %s",
              (unsigned long long)dtb_phys, error_name(err));
    }
    riscv_platform_probe(&fdt);

    bootinfo_init(&boot_info);
    boot_info.boot_cpu_id = hart_id;
    boot_info.dtb_phys = dtb_phys;
    boot_info.direct_map_base = DIRECT_MAP_BASE;

    boot_add_memory(&fdt);
    boot_add_reservations(&fdt, dtb_phys);
    boot_add_framebuffer(&fdt);
    uint64_t kernel_size = (uint64_t)(__kernel_end - __kernel_start);
    boot_check(bootinfo_set_kernel(&boot_info, kernel_phys, kernel_size, (uintptr_t)__kernel_start),
               "kernel image");
    boot_set_cmdline(&fdt);
    boot_check(bootinfo_validate(&boot_info), "BootInfo");

    kernel_main(&boot_info);
    panic("kernel_main returned");
}
