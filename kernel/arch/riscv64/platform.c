/*
 * The few devices the riscv64 layer drives itself, found in the devicetree:
 * the console UART and QEMU's test finisher (for power-off exit codes).
 */
#include <arch/memory_layout.h>

#include "riscv.h"

/* Largest devicetree accepted at boot. Also bounds what is read before the
 * memory map is known: QEMU puts the blob at a 2 MiB-aligned address at
 * least its size below the end of RAM. */
#define RISCV_FDT_MAX_SIZE (2u << 20)

RiscvPlatform riscv_platform;

Error riscv_fdt_open(uint64_t dtb_phys, Fdt *fdt)
{
    if (dtb_phys == 0 || (dtb_phys & 7) != 0 || dtb_phys >= DIRECT_MAP_SIZE - RISCV_FDT_MAX_SIZE) {
        return E_INVAL;
    }
    const void *blob = (const void *)(uintptr_t)(DIRECT_MAP_BASE + dtb_phys);
    uint32_t size;
    Error err = fdt_peek_total_size(blob, RISCV_FDT_MAX_SIZE, &size);
    if (err != E_OK) {
        return err;
    }
    return fdt_init(fdt, blob, size);
}

static bool platform_uart_compatible(const Fdt *fdt, FdtNode node)
{
    return fdt_node_is_compatible(fdt, node, "ns16550a") ||
           fdt_node_is_compatible(fdt, node, "ns16550");
}

/* /chosen stdout-path ("/soc/serial@10000000:115200n8"), else the first
 * enabled ns16550a. Returns E_NOENT when there is none. */
static Error platform_find_uart(const Fdt *fdt, FdtNode *uart)
{
    FdtNode chosen, node;
    const char *path;
    if (fdt_find_node(fdt, "/chosen", &chosen) == E_OK &&
        fdt_prop_string(fdt, chosen, "stdout-path", &path) == E_OK && path[0] == '/') {
        char buf[128];
        size_t i = 0;
        while (path[i] != '\0' && path[i] != ':' && i + 1 < sizeof(buf)) {
            buf[i] = path[i];
            i++;
        }
        buf[i] = '\0';
        if (fdt_find_node(fdt, buf, &node) == E_OK && platform_uart_compatible(fdt, node) &&
            fdt_node_is_enabled(fdt, node)) {
            *uart = node;
            return E_OK;
        }
    }
    node = FDT_NODE_NONE;
    while (fdt_find_compatible(fdt, node, "ns16550a", &node) == E_OK) {
        if (fdt_node_is_enabled(fdt, node)) {
            *uart = node;
            return E_OK;
        }
    }
    return E_NOENT;
}

static void platform_probe_uart(const Fdt *fdt)
{
    FdtNode uart;
    uint64_t base, size;
    uint32_t shift = 0, width = 1;
    if (platform_find_uart(fdt, &uart) != E_OK || fdt_reg(fdt, uart, 0, &base, &size) != E_OK) {
        return;
    }
    Error err = fdt_prop_u32(fdt, uart, "reg-shift", &shift);
    if ((err != E_OK && err != E_NOENT) || shift > 4) {
        return;
    }
    err = fdt_prop_u32(fdt, uart, "reg-io-width", &width);
    if ((err != E_OK && err != E_NOENT) || (width != 1 && width != 4)) {
        return;
    }
    if (base == 0 || base >= DIRECT_MAP_SIZE - ((uint64_t)8 << shift)) {
        return; /* the direct map cannot reach it */
    }
    riscv_platform.uart_reg_shift = shift;
    riscv_platform.uart_io_width = width;
    riscv_platform.uart_phys = base;
}

static void platform_probe_finisher(const Fdt *fdt)
{
    FdtNode node;
    uint64_t base, size;
    if (fdt_find_compatible(fdt, FDT_NODE_NONE, "sifive,test0", &node) == E_OK &&
        fdt_reg(fdt, node, 0, &base, &size) == E_OK && base != 0 && (base & 3) == 0 &&
        base < DIRECT_MAP_SIZE - 4) {
        riscv_platform.finisher_phys = base;
    }
}

void riscv_platform_probe(const Fdt *fdt)
{
    if (riscv_platform.probed) {
        return;
    }
    platform_probe_uart(fdt);
    platform_probe_finisher(fdt);
    riscv_platform.probed = true;
}
