/*
 * Devicetree queries for the riscv64 layer (dt_platform.h): harts, timebase,
 * PLIC contexts, CLINT and PCIe ECAM, decoded with the generic FDT parser.
 */
#include <kstring.h>

#include "dt_platform.h"

bool riscv_isa_has_extension(const char *isa, const char *ext)
{
    size_t len = strlen(ext);
    const char *p = strchr(isa, '_');
    while (p != NULL) {
        p++;
        if (strncmp(p, ext, len) == 0 && (p[len] == '_' || p[len] == '\0')) {
            return true;
        }
        p = strchr(p, '_');
    }
    return false;
}

/* A cpu node: device_type "cpu", or (without one) a name "cpu@...". */
static bool dt_is_cpu_node(const Fdt *fdt, FdtNode node)
{
    const char *type;
    if (fdt_prop_string(fdt, node, "device_type", &type) == E_OK) {
        return strcmp(type, "cpu") == 0;
    }
    return strncmp(fdt_node_name(fdt, node), "cpu@", 4) == 0;
}

/* Sv48 needs mmu-type sv48 or sv57 (which includes Sv48's mode). */
static bool dt_hart_mmu_ok(const Fdt *fdt, FdtNode cpu)
{
    const char *mmu;
    if (fdt_prop_string(fdt, cpu, "mmu-type", &mmu) != E_OK) {
        return false;
    }
    return strcmp(mmu, "riscv,sv48") == 0 || strcmp(mmu, "riscv,sv57") == 0;
}

/* The phandle of cpu's "riscv,cpu-intc" child; 0 when it has none. */
static uint32_t dt_hart_intc(const Fdt *fdt, FdtNode cpu)
{
    FdtNode child;
    Error err = fdt_first_child(fdt, cpu, &child);
    for (; err == E_OK; err = fdt_next_sibling(fdt, child, &child)) {
        uint32_t phandle;
        if (fdt_node_is_compatible(fdt, child, "riscv,cpu-intc") &&
            fdt_prop_u32(fdt, child, "phandle", &phandle) == E_OK) {
            return phandle;
        }
    }
    return 0;
}

static Error dt_add_hart(const Fdt *fdt, FdtNode cpu, RiscvHartList *out)
{
    uint64_t id, size;
    Error err = fdt_reg(fdt, cpu, 0, &id, &size);
    if (err != E_OK) {
        return E_CORRUPT;
    }
    if (id > 0xFFFFFFFFull) {
        return E_CORRUPT;
    }
    if (!fdt_node_is_enabled(fdt, cpu) || !fdt_node_is_compatible(fdt, cpu, "riscv") ||
        !dt_hart_mmu_ok(fdt, cpu) || out->count == RISCV_MAX_HARTS) {
        out->skipped++;
        return E_OK;
    }
    for (uint32_t i = 0; i < out->count; i++) {
        if (out->harts[i].hart_id == id) {
            return E_CORRUPT;
        }
    }
    const char *isa;
    RiscvHart *hart = &out->harts[out->count++];
    hart->hart_id = (uint32_t)id;
    hart->intc_phandle = dt_hart_intc(fdt, cpu);
    hart->plic_context = RISCV_PLIC_NO_CONTEXT;
    hart->sstc = fdt_prop_string(fdt, cpu, "riscv,isa", &isa) == E_OK &&
                 riscv_isa_has_extension(isa, "sstc");
    return E_OK;
}

Error riscv_dt_harts(const Fdt *fdt, RiscvHartList *out)
{
    FdtNode cpus, node;
    out->count = 0;
    out->skipped = 0;
    if (fdt_find_node(fdt, "/cpus", &cpus) != E_OK) {
        return E_NOENT;
    }
    Error err = fdt_first_child(fdt, cpus, &node);
    for (; err == E_OK; err = fdt_next_sibling(fdt, node, &node)) {
        if (!dt_is_cpu_node(fdt, node)) {
            continue; /* cpu-map and friends */
        }
        Error add = dt_add_hart(fdt, node, out);
        if (add != E_OK) {
            return add;
        }
    }
    if (err != E_NOENT) {
        return err;
    }
    return out->count > 0 ? E_OK : E_NOENT;
}

Error riscv_dt_timebase(const Fdt *fdt, uint64_t *hz)
{
    FdtNode cpus;
    if (fdt_find_node(fdt, "/cpus", &cpus) != E_OK) {
        return E_NOENT;
    }
    Error err = fdt_prop_u64(fdt, cpus, "timebase-frequency", hz);
    if (err == E_OK && *hz == 0) {
        return E_CORRUPT;
    }
    return err;
}

/* The first enabled node compatible with either name; E_NOENT if none. */
static Error dt_find_enabled(const Fdt *fdt, const char *compat_a, const char *compat_b,
                             FdtNode *out)
{
    const char *names[2] = {compat_a, compat_b};
    for (int n = 0; n < 2; n++) {
        FdtNode node = FDT_NODE_NONE;
        if (names[n] == NULL) {
            continue;
        }
        while (fdt_find_compatible(fdt, node, names[n], &node) == E_OK) {
            if (fdt_node_is_enabled(fdt, node)) {
                *out = node;
                return E_OK;
            }
        }
    }
    return E_NOENT;
}

/* Gives each hart whose controller is `phandle` the context when irq is the
 * S-mode external interrupt. */
static void dt_plic_assign(RiscvHartList *harts, uint32_t phandle, uint64_t irq, uint32_t context)
{
    if (irq != RISCV_IRQ_S_EXTERNAL) {
        return; /* M-mode (11), or -1 where OpenSBI hid its own contexts */
    }
    for (uint32_t i = 0; i < harts->count; i++) {
        if (harts->harts[i].intc_phandle == phandle &&
            harts->harts[i].plic_context == RISCV_PLIC_NO_CONTEXT) {
            harts->harts[i].plic_context = context;
        }
    }
}

/* Walks interrupts-extended: (phandle, #interrupt-cells of that node) per
 * context, in context order. */
static Error dt_plic_contexts(const Fdt *fdt, FdtNode plic, RiscvHartList *harts)
{
    FdtProp prop;
    if (fdt_get_prop(fdt, plic, "interrupts-extended", &prop) != E_OK) {
        return E_CORRUPT;
    }
    uint32_t pos = 0;
    for (uint32_t context = 0; pos < prop.len; context++) {
        uint64_t phandle, irq;
        FdtNode target;
        uint32_t cells;
        if (context >= RISCV_PLIC_MAX_CONTEXTS ||
            fdt_read_cells(prop.data, prop.len, &pos, 1, &phandle) != E_OK ||
            fdt_find_phandle(fdt, (uint32_t)phandle, &target) != E_OK ||
            fdt_prop_u32(fdt, target, "#interrupt-cells", &cells) != E_OK || cells == 0 ||
            cells > 2 || fdt_read_cells(prop.data, prop.len, &pos, cells, &irq) != E_OK) {
            return E_CORRUPT;
        }
        dt_plic_assign(harts, (uint32_t)phandle, irq, context);
    }
    return E_OK;
}

Error riscv_dt_plic(const Fdt *fdt, RiscvHartList *harts, RiscvPlicInfo *out)
{
    FdtNode plic;
    Error err = dt_find_enabled(fdt, "sifive,plic-1.0.0", "riscv,plic0", &plic);
    if (err != E_OK) {
        return err;
    }
    if (fdt_reg(fdt, plic, 0, &out->base, &out->size) != E_OK || out->size == 0) {
        return E_CORRUPT;
    }
    if (fdt_prop_u32(fdt, plic, "riscv,ndev", &out->ndev) != E_OK || out->ndev == 0 ||
        out->ndev > RISCV_PLIC_MAX_SOURCES) {
        return E_CORRUPT;
    }
    for (uint32_t i = 0; i < harts->count; i++) {
        harts->harts[i].plic_context = RISCV_PLIC_NO_CONTEXT;
    }
    return dt_plic_contexts(fdt, plic, harts);
}

Error riscv_dt_clint(const Fdt *fdt, RiscvMmioInfo *out)
{
    FdtNode node;
    Error err = dt_find_enabled(fdt, "sifive,clint0", "riscv,clint0", &node);
    if (err != E_OK) {
        return err;
    }
    return fdt_reg(fdt, node, 0, &out->base, &out->size);
}

Error riscv_dt_ecam(const Fdt *fdt, RiscvEcamInfo *out)
{
    FdtNode node;
    FdtProp range;
    Error err = dt_find_enabled(fdt, "pci-host-ecam-generic", NULL, &node);
    if (err != E_OK) {
        return err;
    }
    err = fdt_reg(fdt, node, 0, &out->base, &out->size);
    if (err != E_OK) {
        return err;
    }
    out->bus_start = 0;
    out->bus_end = 255;
    if (fdt_get_prop(fdt, node, "bus-range", &range) == E_OK) {
        uint32_t pos = 0;
        uint64_t start, end;
        if (range.len != 8 || fdt_read_cells(range.data, range.len, &pos, 1, &start) != E_OK ||
            fdt_read_cells(range.data, range.len, &pos, 1, &end) != E_OK || start > end ||
            end > 255) {
            return E_CORRUPT;
        }
        out->bus_start = (uint32_t)start;
        out->bus_end = (uint32_t)end;
    }
    return E_OK;
}
