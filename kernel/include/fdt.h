/*
 * Flattened devicetree (DTB) reader: validates a blob once, then answers
 * queries about nodes and properties. Architecture-independent; see
 * kernel/lib/fdt.c and fdt_prop.c.
 */
#ifndef ANOS_FDT_H
#define ANOS_FDT_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC        0xD00DFEEDu
#define FDT_HEADER_SIZE  40u /* version 17 header */
#define FDT_MAX_DEPTH    32u /* deeper nesting is rejected as corrupt */
#define FDT_MAX_CELLS    4u  /* largest #address-cells / #size-cells accepted */
#define FDT_MAX_NAME_LEN 256u

/* A node handle: the offset of its BEGIN_NODE token in the structure block. */
typedef uint32_t FdtNode;
#define FDT_NODE_NONE 0xFFFFFFFFu

/*
 * A validated blob. Only fdt_init fills it; every query assumes the blob has
 * not changed since (the memory stays mapped and nobody writes to it), yet
 * still bounds-checks each read, so a bad handle yields an error, not a crash.
 */
typedef struct Fdt {
    const uint8_t *blob;
    uint32_t total_size;
    uint32_t version;
    uint32_t boot_cpuid;
    uint32_t rsvmap_off;
    uint32_t struct_off;
    uint32_t struct_size;
    uint32_t strings_off;
    uint32_t strings_size;
    FdtNode root;
} Fdt;

/* A property as found in the blob; data points into the blob (big-endian). */
typedef struct FdtProp {
    const char *name;
    const uint8_t *data;
    uint32_t len;
} FdtProp;

/*
 * Validates header, memory reservation block and the whole structure block
 * (tokens, nesting depth, names, property name offsets) of the blob at
 * `blob`, of which at most `avail` bytes may be read. E_INVAL for NULL
 * arguments, E_CORRUPT for anything malformed. Nothing is read past
 * min(avail, totalsize).
 */
Error fdt_init(Fdt *fdt, const void *blob, size_t avail);

/* Reads the header's totalsize from a blob of `avail` bytes, checking only
 * magic and size: lets a caller map exactly the blob before fdt_init. */
Error fdt_peek_total_size(const void *blob, size_t avail, uint32_t *size);

FdtNode fdt_root(const Fdt *fdt);

/* The node's name including any unit address ("memory@80000000"; "" for /). */
const char *fdt_node_name(const Fdt *fdt, FdtNode node);

/*
 * Depth-first walk: the node after `node` in document order. *depth is
 * adjusted by the level change (+1 into a child, 0 for a sibling, -k when
 * climbing out), so a walk over one subtree stops once *depth <= 0.
 * E_NOENT at the end of the tree.
 */
Error fdt_next_node(const Fdt *fdt, FdtNode node, int *depth, FdtNode *next);
Error fdt_first_child(const Fdt *fdt, FdtNode parent, FdtNode *child);
Error fdt_next_sibling(const Fdt *fdt, FdtNode node, FdtNode *next);
/* O(size of tree): walks from the root. E_NOENT for the root itself. */
Error fdt_parent(const Fdt *fdt, FdtNode node, FdtNode *parent);

/*
 * Absolute path lookup ("/soc/serial@10000000"). A component without '@'
 * also matches a node whose name is that component plus a unit address
 * ("/memory" finds "memory@80000000"; the first such node wins).
 */
Error fdt_find_node(const Fdt *fdt, const char *path, FdtNode *node);
/* The first node after `after` (FDT_NODE_NONE: from the root, inclusive)
 * whose "compatible" list contains `compat`. */
Error fdt_find_compatible(const Fdt *fdt, FdtNode after, const char *compat, FdtNode *node);
Error fdt_find_phandle(const Fdt *fdt, uint32_t phandle, FdtNode *node);

/* Property iteration: *cursor = 0 starts; E_NOENT after the last one. */
Error fdt_next_prop(const Fdt *fdt, FdtNode node, uint32_t *cursor, FdtProp *prop);
Error fdt_get_prop(const Fdt *fdt, FdtNode node, const char *name, FdtProp *prop);

/* Typed property reads: E_NOENT when absent, E_CORRUPT when the length or
 * termination does not fit the type. fdt_prop_u64 accepts one or two cells. */
Error fdt_prop_u32(const Fdt *fdt, FdtNode node, const char *name, uint32_t *value);
Error fdt_prop_u64(const Fdt *fdt, FdtNode node, const char *name, uint64_t *value);
Error fdt_prop_string(const Fdt *fdt, FdtNode node, const char *name, const char **value);
/* The index-th string of a string list; E_NOENT past the end. */
Error fdt_prop_string_at(const Fdt *fdt, FdtNode node, const char *name, uint32_t index,
                         const char **value);
bool fdt_node_is_compatible(const Fdt *fdt, FdtNode node, const char *compat);
/* Whether "status" is absent, "okay" or "ok". */
bool fdt_node_is_enabled(const Fdt *fdt, FdtNode node);

/*
 * #address-cells / #size-cells declared by `node` for its children, with the
 * specification's defaults (2 and 1) when absent. E_CORRUPT above
 * FDT_MAX_CELLS.
 */
Error fdt_child_cells(const Fdt *fdt, FdtNode node, uint32_t *addr_cells, uint32_t *size_cells);

/*
 * Reads `cells` big-endian cells at data[*pos] (a byte offset, advanced).
 * E_CORRUPT when they run past len, E_RANGE when cells > 2 and the high
 * cells are not zero (the value does not fit 64 bits).
 */
Error fdt_read_cells(const uint8_t *data, uint32_t len, uint32_t *pos, uint32_t cells,
                     uint64_t *value);

/*
 * The index-th (base, size) pair of the node's "reg", decoded with its
 * parent's cell counts. E_NOENT when absent or past the end, E_CORRUPT when
 * the length is not a whole number of entries.
 */
Error fdt_reg(const Fdt *fdt, FdtNode node, uint32_t index, uint64_t *base, uint64_t *size);

/* The index-th memory reservation block entry; E_NOENT at the terminator. */
Error fdt_memreserve(const Fdt *fdt, uint32_t index, uint64_t *base, uint64_t *size);

#endif
