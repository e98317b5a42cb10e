/*
 * Devicetree property readers: typed values (cells, strings, string lists),
 * "reg" decoding and the memory reservation block. Property bytes come from
 * fdt_next_prop (fdt.c), which has bounds-checked them against the blob.
 */
#include "fdt_internal.h"

static bool fdt_streq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

Error fdt_get_prop(const Fdt *fdt, FdtNode node, const char *name, FdtProp *prop)
{
    if (name == NULL) {
        return E_INVAL;
    }
    uint32_t cursor = 0;
    FdtProp p;
    Error err;
    while ((err = fdt_next_prop(fdt, node, &cursor, &p)) == E_OK) {
        if (fdt_streq(p.name, name)) {
            *prop = p;
            return E_OK;
        }
    }
    return err;
}

Error fdt_prop_u32(const Fdt *fdt, FdtNode node, const char *name, uint32_t *value)
{
    FdtProp p;
    Error err = fdt_get_prop(fdt, node, name, &p);
    if (err != E_OK) {
        return err;
    }
    if (p.len != 4) {
        return E_CORRUPT;
    }
    *value = fdt_be32(p.data);
    return E_OK;
}

Error fdt_prop_u64(const Fdt *fdt, FdtNode node, const char *name, uint64_t *value)
{
    FdtProp p;
    Error err = fdt_get_prop(fdt, node, name, &p);
    if (err != E_OK) {
        return err;
    }
    if (p.len != 4 && p.len != 8) {
        return E_CORRUPT;
    }
    *value = p.len == 4 ? fdt_be32(p.data) : fdt_be64(p.data);
    return E_OK;
}

Error fdt_prop_string_at(const Fdt *fdt, FdtNode node, const char *name, uint32_t index,
                         const char **value)
{
    FdtProp p;
    Error err = fdt_get_prop(fdt, node, name, &p);
    if (err != E_OK) {
        return err;
    }
    uint32_t off = 0;
    for (uint32_t i = 0;; i++) {
        if (off >= p.len) {
            return p.len == 0 ? E_CORRUPT : E_NOENT;
        }
        int64_t len = fdt_bounded_strlen(p.data + off, p.len - off);
        if (len < 0) {
            return E_CORRUPT;
        }
        if (i == index) {
            *value = (const char *)p.data + off;
            return E_OK;
        }
        off += (uint32_t)len + 1;
    }
}

Error fdt_prop_string(const Fdt *fdt, FdtNode node, const char *name, const char **value)
{
    return fdt_prop_string_at(fdt, node, name, 0, value);
}

bool fdt_node_is_compatible(const Fdt *fdt, FdtNode node, const char *compat)
{
    const char *s;
    for (uint32_t i = 0; fdt_prop_string_at(fdt, node, "compatible", i, &s) == E_OK; i++) {
        if (fdt_streq(s, compat)) {
            return true;
        }
    }
    return false;
}

bool fdt_node_is_enabled(const Fdt *fdt, FdtNode node)
{
    const char *status;
    Error err = fdt_prop_string(fdt, node, "status", &status);
    if (err == E_NOENT) {
        return true;
    }
    return err == E_OK && (fdt_streq(status, "okay") || fdt_streq(status, "ok"));
}

Error fdt_child_cells(const Fdt *fdt, FdtNode node, uint32_t *addr_cells, uint32_t *size_cells)
{
    uint32_t ac = 2, sc = 1;
    Error err = fdt_prop_u32(fdt, node, "#address-cells", &ac);
    if (err != E_OK && err != E_NOENT) {
        return err;
    }
    err = fdt_prop_u32(fdt, node, "#size-cells", &sc);
    if (err != E_OK && err != E_NOENT) {
        return err;
    }
    if (ac > FDT_MAX_CELLS || sc > FDT_MAX_CELLS) {
        return E_CORRUPT;
    }
    *addr_cells = ac;
    *size_cells = sc;
    return E_OK;
}

Error fdt_read_cells(const uint8_t *data, uint32_t len, uint32_t *pos, uint32_t cells,
                     uint64_t *value)
{
    if (cells > FDT_MAX_CELLS || *pos > len || (len - *pos) / 4 < cells) {
        return E_CORRUPT;
    }
    uint64_t v = 0;
    for (uint32_t i = 0; i < cells; i++) {
        if (v >> 32 != 0) {
            return E_RANGE;
        }
        v = (v << 32) | fdt_be32(data + *pos + 4 * i);
    }
    *pos += 4 * cells;
    *value = v;
    return E_OK;
}

Error fdt_reg(const Fdt *fdt, FdtNode node, uint32_t index, uint64_t *base, uint64_t *size)
{
    FdtNode parent;
    uint32_t ac, sc;
    FdtProp p;
    Error err = fdt_parent(fdt, node, &parent);
    if (err != E_OK) {
        return err == E_NOENT ? E_INVAL : err; /* the root has no reg */
    }
    err = fdt_child_cells(fdt, parent, &ac, &sc);
    if (err == E_OK) {
        err = fdt_get_prop(fdt, node, "reg", &p);
    }
    if (err != E_OK) {
        return err;
    }
    uint32_t entry = 4 * (ac + sc);
    if (entry == 0 || p.len % entry != 0) {
        return E_CORRUPT;
    }
    if (index >= p.len / entry) {
        return E_NOENT;
    }
    uint32_t pos = index * entry;
    uint64_t b, s;
    err = fdt_read_cells(p.data, p.len, &pos, ac, &b);
    if (err == E_OK) {
        err = fdt_read_cells(p.data, p.len, &pos, sc, &s);
    }
    if (err == E_OK) {
        *base = b;
        *size = s;
    }
    return err;
}

Error fdt_memreserve(const Fdt *fdt, uint32_t index, uint64_t *base, uint64_t *size)
{
    /* fdt_init found the terminator, so entries before it are in bounds;
     * the index is still checked against the blob. */
    uint64_t off = fdt->rsvmap_off;
    for (uint32_t i = 0;; i++, off += FDT_RSV_ENTRY_SIZE) {
        if (off + FDT_RSV_ENTRY_SIZE > fdt->total_size) {
            return E_CORRUPT;
        }
        uint64_t b = fdt_be64(fdt->blob + off);
        uint64_t s = fdt_be64(fdt->blob + off + 8);
        if (b == 0 && s == 0) {
            return E_NOENT;
        }
        if (i == index) {
            *base = b;
            *size = s;
            return E_OK;
        }
    }
}
