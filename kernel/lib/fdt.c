/*
 * Flattened devicetree reader (Devicetree Specification v0.4, chapter 5).
 * fdt_init checks the whole blob once; queries then walk tokens with every
 * offset still bounds-checked, so no input can make them read out of bounds
 * or loop forever (each step strictly advances through a bounded block).
 * This file walks the structure; fdt_prop.c decodes property values.
 */
#include "fdt_internal.h"

#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u

#define FDT_MIN_COMPAT_VERSION 16u

static uint32_t fdt_align4(uint32_t v)
{
    return (v + 3u) & ~3u;
}

/*
 * One token of the structure block at byte offset pos: its tag and the
 * offset of the token after it. For PROP, *prop is filled when not NULL.
 * E_CORRUPT for anything that does not fit the blocks.
 */
static Error fdt_token(const Fdt *fdt, uint32_t pos, uint32_t *tag, uint32_t *next, FdtProp *prop)
{
    const uint8_t *sb = fdt->blob + fdt->struct_off;
    uint32_t size = fdt->struct_size;

    if ((pos & 3u) != 0 || pos > size || size - pos < 4) {
        return E_CORRUPT;
    }
    *tag = fdt_be32(sb + pos);
    switch (*tag) {
    case FDT_BEGIN_NODE: {
        uint32_t max = size - pos - 4;
        if (max > FDT_MAX_NAME_LEN) {
            max = FDT_MAX_NAME_LEN;
        }
        int64_t len = fdt_bounded_strlen(sb + pos + 4, max);
        if (len < 0) {
            return E_CORRUPT;
        }
        *next = fdt_align4(pos + 4 + (uint32_t)len + 1);
        return *next <= size ? E_OK : E_CORRUPT;
    }
    case FDT_PROP: {
        if (size - pos < 12) {
            return E_CORRUPT;
        }
        uint32_t len = fdt_be32(sb + pos + 4);
        uint32_t nameoff = fdt_be32(sb + pos + 8);
        if (len > size - pos - 12 || nameoff >= fdt->strings_size) {
            return E_CORRUPT;
        }
        const uint8_t *name = fdt->blob + fdt->strings_off + nameoff;
        if (fdt_bounded_strlen(name, fdt->strings_size - nameoff) < 0) {
            return E_CORRUPT;
        }
        if (prop != NULL) {
            prop->name = (const char *)name;
            prop->data = sb + pos + 12;
            prop->len = len;
        }
        *next = fdt_align4(pos + 12 + len);
        return *next <= size ? E_OK : E_CORRUPT;
    }
    case FDT_END_NODE:
    case FDT_NOP:
    case FDT_END: *next = pos + 4; return E_OK;
    default: return E_CORRUPT;
    }
}

/* Walks the structure block once and checks its grammar: NOPs anywhere,
 * exactly one root, properties before subnodes, balanced nesting of at most
 * FDT_MAX_DEPTH, then FDT_END. Records the root's offset. */
static Error fdt_check_structure(Fdt *fdt)
{
    uint32_t pos = 0, depth = 0, tag, next;
    bool seen_root = false, after_child = false;

    while (pos < fdt->struct_size) {
        Error err = fdt_token(fdt, pos, &tag, &next, NULL);
        if (err != E_OK) {
            return err;
        }
        switch (tag) {
        case FDT_BEGIN_NODE:
            if (depth == 0) {
                if (seen_root) {
                    return E_CORRUPT;
                }
                seen_root = true;
                fdt->root = pos;
            }
            if (++depth > FDT_MAX_DEPTH) {
                return E_CORRUPT;
            }
            after_child = false;
            break;
        case FDT_END_NODE:
            if (depth == 0) {
                return E_CORRUPT;
            }
            depth--;
            after_child = true;
            break;
        case FDT_PROP:
            if (depth == 0 || after_child) {
                return E_CORRUPT;
            }
            break;
        case FDT_NOP: break;
        case FDT_END: return (seen_root && depth == 0) ? E_OK : E_CORRUPT;
        }
        pos = next;
    }
    return E_CORRUPT; /* ran off the block without FDT_END */
}

static Error fdt_check_memreserve(const Fdt *fdt)
{
    /* The block runs from rsvmap_off to its all-zero terminator, which must
     * lie inside the blob; the loop is bounded by the blob size. */
    for (uint32_t off = fdt->rsvmap_off; off <= fdt->total_size - FDT_RSV_ENTRY_SIZE;
         off += FDT_RSV_ENTRY_SIZE) {
        uint64_t base = fdt_be64(fdt->blob + off);
        uint64_t size = fdt_be64(fdt->blob + off + 8);
        if (base == 0 && size == 0) {
            return E_OK;
        }
        if (base + size < base) {
            return E_CORRUPT;
        }
    }
    return E_CORRUPT;
}

Error fdt_peek_total_size(const void *blob, size_t avail, uint32_t *size)
{
    if (blob == NULL || size == NULL) {
        return E_INVAL;
    }
    const uint8_t *b = blob;
    if (avail < FDT_HEADER_SIZE || fdt_be32(b) != FDT_MAGIC) {
        return E_CORRUPT;
    }
    uint32_t total = fdt_be32(b + 4);
    if (total < FDT_HEADER_SIZE || total > avail) {
        return E_CORRUPT;
    }
    *size = total;
    return E_OK;
}

/* Whether [off, off + len) lies inside [0, total). */
static bool fdt_block_fits(uint32_t off, uint32_t len, uint32_t total)
{
    return off <= total && len <= total - off;
}

Error fdt_init(Fdt *fdt, const void *blob, size_t avail)
{
    if (fdt == NULL || blob == NULL) {
        return E_INVAL;
    }
    uint32_t total;
    Error err = fdt_peek_total_size(blob, avail, &total);
    if (err != E_OK) {
        return err;
    }
    const uint8_t *b = blob;
    Fdt f = {
        .blob = b,
        .total_size = total,
        .struct_off = fdt_be32(b + 8),
        .strings_off = fdt_be32(b + 12),
        .rsvmap_off = fdt_be32(b + 16),
        .version = fdt_be32(b + 20),
        .boot_cpuid = fdt_be32(b + 28),
        .strings_size = fdt_be32(b + 32),
        .struct_size = fdt_be32(b + 36),
    };
    uint32_t last_comp = fdt_be32(b + 24);

    if (f.version < FDT_MIN_COMPAT_VERSION || last_comp > 17u) {
        return E_CORRUPT;
    }
    if (f.version < 17u) {
        /* No size_dt_struct before version 17: the block runs to the end. */
        if (f.struct_off > total) {
            return E_CORRUPT;
        }
        f.struct_size = total - f.struct_off;
    }
    if ((f.struct_off & 3u) != 0 || (f.rsvmap_off & 7u) != 0 || f.rsvmap_off < FDT_HEADER_SIZE ||
        f.struct_off < FDT_HEADER_SIZE || f.strings_off < FDT_HEADER_SIZE ||
        !fdt_block_fits(f.struct_off, f.struct_size, total) ||
        !fdt_block_fits(f.strings_off, f.strings_size, total) ||
        !fdt_block_fits(f.rsvmap_off, FDT_RSV_ENTRY_SIZE, total)) {
        return E_CORRUPT;
    }
    err = fdt_check_memreserve(&f);
    if (err == E_OK) {
        err = fdt_check_structure(&f);
    }
    if (err == E_OK) {
        *fdt = f;
    }
    return err;
}

FdtNode fdt_root(const Fdt *fdt)
{
    return fdt->root;
}

/* Checks that node is a BEGIN_NODE token; gives the offset after its name. */
static Error fdt_node_body(const Fdt *fdt, FdtNode node, uint32_t *body)
{
    uint32_t tag;
    if (node == FDT_NODE_NONE || fdt_token(fdt, node, &tag, body, NULL) != E_OK ||
        tag != FDT_BEGIN_NODE) {
        return E_INVAL;
    }
    return E_OK;
}

const char *fdt_node_name(const Fdt *fdt, FdtNode node)
{
    uint32_t body;
    if (fdt_node_body(fdt, node, &body) != E_OK) {
        return "";
    }
    return (const char *)fdt->blob + fdt->struct_off + node + 4;
}

Error fdt_next_node(const Fdt *fdt, FdtNode node, int *depth, FdtNode *next)
{
    uint32_t pos, tag, after;
    Error err = fdt_node_body(fdt, node, &pos);
    if (err != E_OK) {
        return err;
    }
    int d = 0;
    /* Each iteration advances pos by at least 4 bytes, so this ends. */
    for (;;) {
        err = fdt_token(fdt, pos, &tag, &after, NULL);
        if (err != E_OK) {
            return err;
        }
        if (tag == FDT_BEGIN_NODE) {
            if (depth != NULL) {
                *depth += d + 1;
            }
            *next = pos;
            return E_OK;
        }
        if (tag == FDT_END_NODE) {
            d--;
        } else if (tag == FDT_END) {
            return E_NOENT;
        }
        pos = after;
    }
}

Error fdt_first_child(const Fdt *fdt, FdtNode parent, FdtNode *child)
{
    int depth = 0;
    FdtNode next;
    Error err = fdt_next_node(fdt, parent, &depth, &next);
    if (err != E_OK) {
        return err;
    }
    if (depth != 1) {
        return E_NOENT;
    }
    *child = next;
    return E_OK;
}

Error fdt_next_sibling(const Fdt *fdt, FdtNode node, FdtNode *next)
{
    int depth = 0;
    FdtNode cur = node;
    /* Skip node's descendants: stop at the first node back on its level. */
    for (;;) {
        Error err = fdt_next_node(fdt, cur, &depth, &cur);
        if (err != E_OK) {
            return err;
        }
        if (depth < 0) {
            return E_NOENT;
        }
        if (depth == 0) {
            *next = cur;
            return E_OK;
        }
    }
}

Error fdt_parent(const Fdt *fdt, FdtNode node, FdtNode *parent)
{
    uint32_t body;
    if (fdt_node_body(fdt, node, &body) != E_OK) {
        return E_INVAL;
    }
    /* stack[d] is the open node at depth d of the walk from the root. */
    FdtNode stack[FDT_MAX_DEPTH + 1];
    FdtNode cur = fdt->root;
    int depth = 0;
    stack[0] = cur;
    while (cur != node) {
        Error err = fdt_next_node(fdt, cur, &depth, &cur);
        if (err != E_OK) {
            return err == E_NOENT ? E_INVAL : err;
        }
        if (depth < 0 || depth > (int)FDT_MAX_DEPTH) {
            return E_CORRUPT;
        }
        stack[depth] = cur;
    }
    if (depth == 0) {
        return E_NOENT;
    }
    *parent = stack[depth - 1];
    return E_OK;
}

/* Whether a node name matches a path component of length len. */
static bool fdt_name_matches(const char *name, const char *comp, size_t len)
{
    size_t i = 0;
    bool comp_has_unit = false;
    for (; i < len; i++) {
        if (name[i] != comp[i]) {
            return false;
        }
        comp_has_unit |= comp[i] == '@';
    }
    return name[i] == '\0' || (!comp_has_unit && name[i] == '@');
}

Error fdt_find_node(const Fdt *fdt, const char *path, FdtNode *node)
{
    if (fdt == NULL || path == NULL || node == NULL || path[0] != '/') {
        return E_INVAL;
    }
    FdtNode cur = fdt->root;
    const char *p = path;
    for (;;) {
        while (*p == '/') {
            p++;
        }
        if (*p == '\0') {
            *node = cur;
            return E_OK;
        }
        size_t len = 0;
        while (p[len] != '\0' && p[len] != '/') {
            len++;
        }
        FdtNode child;
        Error err = fdt_first_child(fdt, cur, &child);
        while (err == E_OK && !fdt_name_matches(fdt_node_name(fdt, child), p, len)) {
            err = fdt_next_sibling(fdt, child, &child);
        }
        if (err != E_OK) {
            return err;
        }
        cur = child;
        p += len;
    }
}

Error fdt_find_compatible(const Fdt *fdt, FdtNode after, const char *compat, FdtNode *node)
{
    if (fdt == NULL || compat == NULL || node == NULL) {
        return E_INVAL;
    }
    FdtNode cur = fdt->root;
    if (after != FDT_NODE_NONE) {
        Error err = fdt_next_node(fdt, after, NULL, &cur);
        if (err != E_OK) {
            return err;
        }
    }
    for (;;) {
        if (fdt_node_is_compatible(fdt, cur, compat)) {
            *node = cur;
            return E_OK;
        }
        Error err = fdt_next_node(fdt, cur, NULL, &cur);
        if (err != E_OK) {
            return err;
        }
    }
}

Error fdt_find_phandle(const Fdt *fdt, uint32_t phandle, FdtNode *node)
{
    if (fdt == NULL || node == NULL || phandle == 0 || phandle == 0xFFFFFFFFu) {
        return E_INVAL;
    }
    FdtNode cur = fdt->root;
    for (;;) {
        uint32_t value;
        if (fdt_prop_u32(fdt, cur, "phandle", &value) == E_OK && value == phandle) {
            *node = cur;
            return E_OK;
        }
        Error err = fdt_next_node(fdt, cur, NULL, &cur);
        if (err != E_OK) {
            return err;
        }
    }
}

Error fdt_next_prop(const Fdt *fdt, FdtNode node, uint32_t *cursor, FdtProp *prop)
{
    uint32_t pos, tag, next;
    if (fdt == NULL || cursor == NULL || prop == NULL || fdt_node_body(fdt, node, &pos) != E_OK) {
        return E_INVAL;
    }
    if (*cursor != 0) {
        /* A cursor is the offset after a property of this node. */
        if (*cursor < pos) {
            return E_INVAL;
        }
        pos = *cursor;
    }
    for (;;) {
        Error err = fdt_token(fdt, pos, &tag, &next, prop);
        if (err != E_OK) {
            return err;
        }
        if (tag == FDT_PROP) {
            *cursor = next;
            return E_OK;
        }
        if (tag != FDT_NOP) {
            return E_NOENT; /* properties come before subnodes and END_NODE */
        }
        pos = next;
    }
}
