// Host tests for the devicetree reader: QEMU virt fixtures, hand-built blobs
// and corrupted copies, which must fail with E_CORRUPT and never read out of bounds.
// TEST_SOURCES: kernel/lib/fdt.c kernel/lib/fdt_prop.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fdt.h>
#include <test_fixture.h>

/* ---- fixtures ---------------------------------------------------------- */

typedef struct Blob {
    uint8_t *data;
    size_t size;
} Blob;

static Blob load_fixture(const char *relative_path)
{
    Blob b;
    b.data = fixture_load(relative_path, &b.size);
    return b;
}

static uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

/* Number of enabled children of /cpus with device_type "cpu". */
static int count_cpus(const Fdt *fdt)
{
    FdtNode cpus, n;
    assert_int_equal(fdt_find_node(fdt, "/cpus", &cpus), E_OK);
    int count = 0;
    Error err = fdt_first_child(fdt, cpus, &n);
    while (err == E_OK) {
        const char *type;
        if (fdt_prop_string(fdt, n, "device_type", &type) == E_OK && strcmp(type, "cpu") == 0 &&
            fdt_node_is_enabled(fdt, n)) {
            count++;
        }
        err = fdt_next_sibling(fdt, n, &n);
    }
    assert_int_equal(err, E_NOENT);
    return count;
}

static void check_virt(const char *relative_path, int cpus, uint64_t mem_size)
{
    Blob b = load_fixture(relative_path);
    Fdt fdt;
    assert_int_equal(fdt_init(&fdt, b.data, b.size), E_OK);
    assert_int_equal(fdt.total_size, b.size);
    assert_int_equal(count_cpus(&fdt), cpus);

    FdtNode mem;
    uint64_t base, size;
    assert_int_equal(fdt_find_node(&fdt, "/memory", &mem), E_OK);
    assert_string_equal(fdt_node_name(&fdt, mem), "memory@80000000");
    assert_int_equal(fdt_reg(&fdt, mem, 0, &base, &size), E_OK);
    assert_int_equal(base, 0x80000000u);
    assert_int_equal(size, mem_size);
    assert_int_equal(fdt_reg(&fdt, mem, 1, &base, &size), E_NOENT);

    FdtNode cpus_node;
    uint32_t tb;
    uint64_t tb64;
    assert_int_equal(fdt_find_node(&fdt, "/cpus", &cpus_node), E_OK);
    assert_int_equal(fdt_prop_u32(&fdt, cpus_node, "timebase-frequency", &tb), E_OK);
    assert_int_equal(tb, 10000000);
    assert_int_equal(fdt_prop_u64(&fdt, cpus_node, "timebase-frequency", &tb64), E_OK);
    assert_int_equal(tb64, 10000000);
    assert_int_equal(fdt_memreserve(&fdt, 0, &base, &size), E_NOENT);
    free(b.data);
}

static void test_virt_smp1(void **state)
{
    check_virt("dtb/virt-smp1-256M.dtb", 1, 256u << 20);
}

static void test_virt_smp4(void **state)
{
    check_virt("dtb/virt-smp4-512M.dtb", 4, 512u << 20);
}

static void test_virt_smp16(void **state)
{
    check_virt("dtb/virt-smp16-2G.dtb", 16, 2048ull << 20);
}

static void test_bootargs(void **state)
{
    Blob b = load_fixture("dtb/virt-smp1-256M-bootargs.dtb");
    Fdt fdt;
    FdtNode chosen;
    const char *s;
    assert_int_equal(fdt_init(&fdt, b.data, b.size), E_OK);
    assert_int_equal(fdt_find_node(&fdt, "/chosen", &chosen), E_OK);
    assert_int_equal(fdt_prop_string(&fdt, chosen, "bootargs", &s), E_OK);
    assert_string_equal(s, "console=ttyS0 loglevel=7 anos.test=1");
    assert_int_equal(fdt_prop_string(&fdt, chosen, "stdout-path", &s), E_OK);
    assert_string_equal(s, "/soc/serial@10000000");
    free(b.data);

    b = load_fixture("dtb/virt-smp1-256M.dtb");
    assert_int_equal(fdt_init(&fdt, b.data, b.size), E_OK);
    assert_int_equal(fdt_find_node(&fdt, "/chosen", &chosen), E_OK);
    assert_int_equal(fdt_prop_string(&fdt, chosen, "bootargs", &s), E_NOENT);
    free(b.data);
}

static void test_lookups(void **state)
{
    Blob b = load_fixture("dtb/virt-smp4-512M.dtb");
    Fdt fdt;
    FdtNode n, m, parent;
    uint64_t base, size;
    uint32_t ac, sc, v;
    const char *s;
    assert_int_equal(fdt_init(&fdt, b.data, b.size), E_OK);

    /* Paths: root, exact names, unit address optional, redundant slashes. */
    assert_int_equal(fdt_find_node(&fdt, "/", &n), E_OK);
    assert_int_equal(n, fdt_root(&fdt));
    assert_string_equal(fdt_node_name(&fdt, n), "");
    assert_int_equal(fdt_find_node(&fdt, "/soc/serial", &n), E_OK);
    assert_int_equal(fdt_find_node(&fdt, "//soc//serial@10000000/", &m), E_OK);
    assert_int_equal(n, m);
    assert_int_equal(fdt_find_node(&fdt, "/soc/serial@10000001", &m), E_NOENT);
    assert_int_equal(fdt_find_node(&fdt, "/soc/seria", &m), E_NOENT);
    assert_int_equal(fdt_find_node(&fdt, "/nothing/here", &m), E_NOENT);
    assert_int_equal(fdt_find_node(&fdt, "soc", &m), E_INVAL);
    assert_int_equal(fdt_find_node(&fdt, NULL, &m), E_INVAL);

    /* Compatible lookups and reg through the parent's cells. */
    assert_int_equal(fdt_find_compatible(&fdt, FDT_NODE_NONE, "ns16550a", &m), E_OK);
    assert_int_equal(n, m);
    assert_int_equal(fdt_reg(&fdt, m, 0, &base, &size), E_OK);
    assert_int_equal(base, 0x10000000);
    assert_int_equal(size, 0x100);
    assert_int_equal(fdt_find_compatible(&fdt, FDT_NODE_NONE, "riscv,plic0", &m), E_OK);
    assert_string_equal(fdt_node_name(&fdt, m), "plic@c000000");
    assert_int_equal(fdt_find_compatible(&fdt, FDT_NODE_NONE, "riscv,clint0", &m), E_OK);
    assert_int_equal(fdt_reg(&fdt, m, 0, &base, &size), E_OK);
    assert_int_equal(base, 0x2000000);
    assert_int_equal(fdt_find_compatible(&fdt, FDT_NODE_NONE, "pci-host-ecam-generic", &m), E_OK);
    assert_int_equal(fdt_reg(&fdt, m, 0, &base, &size), E_OK);
    assert_int_equal(base, 0x30000000);
    assert_int_equal(size, 0x10000000);
    assert_int_equal(fdt_child_cells(&fdt, m, &ac, &sc), E_OK);
    assert_int_equal(ac, 3);
    assert_int_equal(sc, 2);
    assert_int_equal(fdt_find_compatible(&fdt, FDT_NODE_NONE, "no,such", &m), E_NOENT);
    assert_int_equal(fdt_find_compatible(&fdt, FDT_NODE_NONE, NULL, &m), E_INVAL);

    /* Iterating compatible matches: four cpu interrupt controllers. */
    int intcs = 0;
    FdtNode it = FDT_NODE_NONE;
    while (fdt_find_compatible(&fdt, it, "riscv,cpu-intc", &it) == E_OK) {
        intcs++;
    }
    assert_int_equal(intcs, 4);

    /* cpus: 1 address cell, 0 size cells; parent links. */
    assert_int_equal(fdt_find_node(&fdt, "/cpus/cpu@3", &n), E_OK);
    assert_int_equal(fdt_reg(&fdt, n, 0, &base, &size), E_OK);
    assert_int_equal(base, 3);
    assert_int_equal(size, 0);
    assert_int_equal(fdt_parent(&fdt, n, &parent), E_OK);
    assert_string_equal(fdt_node_name(&fdt, parent), "cpus");
    assert_int_equal(fdt_child_cells(&fdt, parent, &ac, &sc), E_OK);
    assert_int_equal(ac, 1);
    assert_int_equal(sc, 0);
    assert_int_equal(fdt_parent(&fdt, fdt_root(&fdt), &parent), E_NOENT);
    assert_int_equal(fdt_reg(&fdt, fdt_root(&fdt), 0, &base, &size), E_INVAL);
    assert_true(fdt_node_is_enabled(&fdt, n));
    assert_true(fdt_node_is_compatible(&fdt, n, "riscv"));
    assert_false(fdt_node_is_compatible(&fdt, n, "riscv,cpu-intc"));

    /* phandles: cpu@3 is phandle 1, its interrupt controller 2. */
    assert_int_equal(fdt_prop_u32(&fdt, n, "phandle", &v), E_OK);
    assert_int_equal(fdt_find_phandle(&fdt, v, &m), E_OK);
    assert_int_equal(m, n);
    assert_int_equal(fdt_find_phandle(&fdt, 2, &m), E_OK);
    assert_string_equal(fdt_node_name(&fdt, m), "interrupt-controller");
    assert_int_equal(fdt_find_phandle(&fdt, 0x7777, &m), E_NOENT);
    assert_int_equal(fdt_find_phandle(&fdt, 0, &m), E_INVAL);

    /* String lists and typed reads of the wrong shape. */
    assert_int_equal(fdt_find_node(&fdt, "/platform-bus", &n), E_OK);
    assert_int_equal(fdt_prop_string_at(&fdt, n, "compatible", 1, &s), E_OK);
    assert_string_equal(s, "simple-bus");
    assert_int_equal(fdt_prop_string_at(&fdt, n, "compatible", 2, &s), E_NOENT);
    assert_int_equal(fdt_prop_u32(&fdt, n, "compatible", &v), E_CORRUPT);
    assert_int_equal(fdt_prop_u32(&fdt, n, "missing", &v), E_NOENT);
    assert_int_equal(fdt_find_node(&fdt, "/flash", &n), E_OK);
    assert_int_equal(fdt_reg(&fdt, n, 1, &base, &size), E_OK);
    assert_int_equal(base, 0x22000000);
    assert_int_equal(fdt_prop_u64(&fdt, n, "reg", &base), E_CORRUPT);

    /* Property iteration over /chosen. */
    assert_int_equal(fdt_find_node(&fdt, "/chosen", &n), E_OK);
    uint32_t cursor = 0;
    FdtProp p;
    int props = 0;
    while (fdt_next_prop(&fdt, n, &cursor, &p) == E_OK) {
        props++;
    }
    assert_int_equal(props, 2); /* rng-seed, stdout-path */
    cursor = 1;
    assert_int_equal(fdt_next_prop(&fdt, n, &cursor, &p), E_INVAL);

    /* Bad handles are refused, not followed. */
    assert_string_equal(fdt_node_name(&fdt, FDT_NODE_NONE), "");
    assert_string_equal(fdt_node_name(&fdt, 1), "");
    assert_int_equal(fdt_first_child(&fdt, 0x7fffffff, &m), E_INVAL);
    assert_int_equal(fdt_get_prop(&fdt, 2, "reg", &p), E_INVAL);
    assert_int_equal(fdt_parent(&fdt, 12345, &m), E_INVAL);
    free(b.data);
}

/* Every prefix of a fixture is refused, read from an exact-size buffer so
 * ASan catches any read past it; so is a buffer shorter than totalsize. */
static void test_truncated(void **state)
{
    Blob b = load_fixture("dtb/virt-smp1-256M.dtb");
    Fdt fdt;
    uint32_t size;
    for (size_t n = 0; n < b.size; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, b.data, n);
        assert_int_equal(fdt_init(&fdt, copy, n), E_CORRUPT);
        free(copy);
    }
    assert_int_equal(fdt_peek_total_size(b.data, b.size, &size), E_OK);
    assert_int_equal(size, b.size);
    assert_int_equal(fdt_peek_total_size(b.data, 39, &size), E_CORRUPT);
    assert_int_equal(fdt_peek_total_size(NULL, 100, &size), E_INVAL);
    assert_int_equal(fdt_init(NULL, b.data, b.size), E_INVAL);
    assert_int_equal(fdt_init(&fdt, NULL, b.size), E_INVAL);
    free(b.data);
}

/* A padded blob (totalsize beyond the used blocks, as QEMU dumps it) is fine. */
static void test_padded(void **state)
{
    Blob b = load_fixture("dtb/virt-smp1-256M.dtb");
    size_t big = b.size + 8192;
    uint8_t *copy = calloc(1, big);
    memcpy(copy, b.data, b.size);
    put_be32(copy + 4, (uint32_t)big);
    Fdt fdt;
    assert_int_equal(fdt_init(&fdt, copy, big), E_OK);
    assert_int_equal(count_cpus(&fdt), 1);
    free(copy);
    free(b.data);
}

/* Applies one header corruption to a fresh copy and expects E_CORRUPT. */
static void expect_header_corrupt(const Blob *b, size_t field, uint32_t value)
{
    uint8_t *copy = malloc(b->size);
    memcpy(copy, b->data, b->size);
    put_be32(copy + field, value);
    Fdt fdt;
    assert_int_equal(fdt_init(&fdt, copy, b->size), E_CORRUPT);
    free(copy);
}

static void test_corrupt_header(void **state)
{
    Blob b = load_fixture("dtb/virt-smp4-512M.dtb");
    uint32_t total = (uint32_t)b.size;
    uint32_t off_struct = get_be32(b.data + 8), off_strings = get_be32(b.data + 12);
    uint32_t size_strings = get_be32(b.data + 32), size_struct = get_be32(b.data + 36);

    expect_header_corrupt(&b, 0, 0xd00dfeee);        /* magic */
    expect_header_corrupt(&b, 4, total + 100);       /* totalsize > buffer */
    expect_header_corrupt(&b, 4, 20);                /* totalsize < header */
    expect_header_corrupt(&b, 8, total);             /* struct offset at end */
    expect_header_corrupt(&b, 8, off_struct + 2);    /* misaligned */
    expect_header_corrupt(&b, 8, 0xfffffff0);        /* wraps */
    expect_header_corrupt(&b, 8, 8);                 /* inside header */
    expect_header_corrupt(&b, 12, total - 4);        /* strings run out */
    expect_header_corrupt(&b, 12, 0xffffffff);       /* strings offset */
    expect_header_corrupt(&b, 16, total);            /* rsvmap offset */
    expect_header_corrupt(&b, 16, 44);               /* rsvmap misaligned */
    expect_header_corrupt(&b, 20, 15);               /* version too old */
    expect_header_corrupt(&b, 24, 18);               /* incompatible */
    expect_header_corrupt(&b, 32, total);            /* strings size */
    expect_header_corrupt(&b, 32, size_strings - 3); /* last name cut */
    expect_header_corrupt(&b, 36, total);            /* struct size */
    expect_header_corrupt(&b, 36, size_struct - 4);  /* no FDT_END */
    expect_header_corrupt(&b, 36, 0);                /* empty */
    expect_header_corrupt(&b, 36, off_strings - off_struct + size_strings + 64);
    free(b.data);
}

/* Offset in the structure block of the first PROP token. */
static uint32_t first_prop(const uint8_t *blob)
{
    const uint8_t *sb = blob + get_be32(blob + 8);
    uint32_t pos = 0;
    while (get_be32(sb + pos) != 3) {
        pos += 4;
    }
    return pos;
}

static void test_corrupt_tokens(void **state)
{
    Blob b = load_fixture("dtb/virt-smp1-256M.dtb");
    uint32_t off_struct = get_be32(b.data + 8);
    uint32_t prop = off_struct + first_prop(b.data);
    struct {
        uint32_t at;
        uint32_t value;
    } cases[] = {
        {off_struct, 7},                   /* unknown token */
        {off_struct, 2},                   /* END_NODE before any node */
        {off_struct, 3},                   /* property outside a node */
        {off_struct, 9},                   /* END with no root */
        {prop, 0x0a},                      /* unknown token */
        {prop + 4, 0xfffffff0},            /* property length past the block */
        {prop + 8, get_be32(b.data + 32)}, /* name offset past strings */
        {prop + 8, 0xffffffff},            /* name offset wraps */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t *copy = malloc(b.size);
        memcpy(copy, b.data, b.size);
        put_be32(copy + cases[i].at, cases[i].value);
        Fdt fdt;
        assert_int_equal(fdt_init(&fdt, copy, b.size), E_CORRUPT);
        free(copy);
    }
    free(b.data);
}

/* Runs every query over every node; with a corrupt-but-accepted blob this
 * must stay in bounds (ASan) and terminate. */
static void exercise_all(const Fdt *fdt)
{
    FdtNode n = fdt_root(fdt), m;
    int depth = 0, guard = 0;
    do {
        uint32_t cursor = 0, v, ac, sc;
        uint64_t base, size, v64;
        const char *s;
        FdtProp p;
        (void)fdt_node_name(fdt, n);
        while (fdt_next_prop(fdt, n, &cursor, &p) == E_OK) {
            (void)fdt_prop_string_at(fdt, n, p.name, 1, &s);
        }
        (void)fdt_reg(fdt, n, 0, &base, &size);
        (void)fdt_child_cells(fdt, n, &ac, &sc);
        (void)fdt_prop_u32(fdt, n, "phandle", &v);
        (void)fdt_prop_u64(fdt, n, "reg", &v64);
        (void)fdt_node_is_enabled(fdt, n);
        (void)fdt_first_child(fdt, n, &m);
        (void)fdt_next_sibling(fdt, n, &m);
        assert_true(++guard < 10000);
    } while (fdt_next_node(fdt, n, &depth, &n) == E_OK);
    (void)fdt_find_node(fdt, "/soc/serial", &n);
    (void)fdt_find_compatible(fdt, FDT_NODE_NONE, "ns16550a", &n);
    (void)fdt_find_phandle(fdt, 3, &n);
    uint64_t base, size;
    for (uint32_t i = 0; fdt_memreserve(fdt, i, &base, &size) == E_OK; i++) {
    }
}

/* Random byte corruption (fixed seed): every result is OK or E_CORRUPT,
 * and accepted blobs survive every query. */
static void test_fuzz(void **state)
{
    Blob b = load_fixture("dtb/virt-smp4-512M.dtb");
    uint32_t seed = 12345;
    int accepted = 0;
    for (int iter = 0; iter < 3000; iter++) {
        uint8_t *copy = malloc(b.size);
        memcpy(copy, b.data, b.size);
        int flips = 1 + iter % 4;
        for (int k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % b.size;
            if (iter % 3 == 0) {
                at %= 128; /* concentrate on header and first tokens */
            }
            copy[at] ^= (uint8_t)(1u << ((seed >> 4) & 7));
        }
        Fdt fdt;
        Error err = fdt_init(&fdt, copy, b.size);
        assert_true(err == E_OK || err == E_CORRUPT);
        if (err == E_OK) {
            accepted++;
            exercise_all(&fdt);
        }
        free(copy);
    }
    assert_true(accepted > 0);
    free(b.data);
}

/* ---- hand-built blobs ---------------------------------------------------- */

typedef struct Builder {
    uint8_t rsv[256];
    size_t rsv_len;
    uint8_t st[8192];
    size_t st_len;
    char strs[1024];
    size_t str_len;
} Builder;

static void b_word(Builder *b, uint32_t w)
{
    put_be32(b->st + b->st_len, w);
    b->st_len += 4;
}

static void b_begin(Builder *b, const char *name)
{
    b_word(b, 1);
    size_t len = strlen(name) + 1;
    memset(b->st + b->st_len, 0, (len + 3) & ~3u);
    memcpy(b->st + b->st_len, name, len);
    b->st_len += (len + 3) & ~3u;
}

static void b_end(Builder *b)
{
    b_word(b, 2);
}

static void b_prop(Builder *b, const char *name, const void *data, uint32_t len)
{
    b_word(b, 3);
    b_word(b, len);
    b_word(b, (uint32_t)b->str_len);
    memcpy(b->strs + b->str_len, name, strlen(name) + 1);
    b->str_len += strlen(name) + 1;
    memset(b->st + b->st_len, 0, (len + 3) & ~3u);
    memcpy(b->st + b->st_len, data, len);
    b->st_len += (len + 3) & ~3u;
}

static void b_prop_u32(Builder *b, const char *name, uint32_t v)
{
    uint8_t d[4];
    put_be32(d, v);
    b_prop(b, name, d, 4);
}

static void b_prop_str(Builder *b, const char *name, const char *s)
{
    b_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

static void b_rsv(Builder *b, uint64_t base, uint64_t size)
{
    put_be64(b->rsv + b->rsv_len, base);
    put_be64(b->rsv + b->rsv_len + 8, size);
    b->rsv_len += 16;
}

/* Lays out header, reservation block (terminated unless no_term), structure
 * and strings blocks into an exact-size heap buffer. */
static Blob b_finish(Builder *b, uint32_t version, bool no_term)
{
    size_t rsv_len = b->rsv_len + (no_term ? 0 : 16);
    size_t off_rsv = 40, off_struct = off_rsv + rsv_len;
    size_t off_strings = off_struct + b->st_len, total = off_strings + b->str_len;
    Blob out = {.data = calloc(1, total), .size = total};
    put_be32(out.data, FDT_MAGIC);
    put_be32(out.data + 4, (uint32_t)total);
    put_be32(out.data + 8, (uint32_t)off_struct);
    put_be32(out.data + 12, (uint32_t)off_strings);
    put_be32(out.data + 16, (uint32_t)off_rsv);
    put_be32(out.data + 20, version);
    put_be32(out.data + 24, 16);
    put_be32(out.data + 32, (uint32_t)b->str_len);
    put_be32(out.data + 36, (uint32_t)b->st_len);
    memcpy(out.data + off_rsv, b->rsv, b->rsv_len);
    memcpy(out.data + off_struct, b->st, b->st_len);
    memcpy(out.data + off_strings, b->strs, b->str_len);
    return out;
}

static Error build_and_init(Builder *b, Fdt *fdt, Blob *out)
{
    *out = b_finish(b, 17, false);
    return fdt_init(fdt, out->data, out->size);
}

static void test_nesting(void **state)
{
    for (unsigned depth = FDT_MAX_DEPTH; depth <= FDT_MAX_DEPTH + 1; depth++) {
        Builder *b = calloc(1, sizeof(*b));
        b_begin(b, "");
        for (unsigned i = 1; i < depth; i++) {
            b_begin(b, "n");
        }
        for (unsigned i = 0; i < depth; i++) {
            b_end(b);
        }
        b_word(b, 9);
        Fdt fdt;
        Blob blob;
        Error err = build_and_init(b, &fdt, &blob);
        assert_int_equal(err, depth <= FDT_MAX_DEPTH ? E_OK : E_CORRUPT);
        if (err == E_OK) {
            FdtNode n, parent;
            char path[2 * FDT_MAX_DEPTH + 2] = "";
            for (unsigned i = 1; i < depth; i++) {
                strcat(path, "/n");
            }
            assert_int_equal(fdt_find_node(&fdt, path, &n), E_OK);
            assert_int_equal(fdt_parent(&fdt, n, &parent), E_OK);
        }
        free(blob.data);
        free(b);
    }
}

/* Small grammar violations built from scratch. */
static void test_grammar(void **state)
{
    for (int which = 0; which < 7; which++) {
        Builder *b = calloc(1, sizeof(*b));
        b_begin(b, "");
        b_begin(b, "child");
        b_end(b);
        switch (which) {
        case 0: b_prop_u32(b, "late", 1); break; /* property after a subnode */
        case 1: b_end(b), b_begin(b, "second-root"); break;
        case 2: b_end(b), b_end(b); break;                   /* unbalanced */
        case 3: break;                                       /* FDT_END inside the root */
        case 4: b_end(b), b_word(b, 4), b_word(b, 4); break; /* NOPs, then no END */
        case 5: b_end(b), b_prop_u32(b, "outside", 1); break;
        case 6: b_word(b, 1), b->st_len += 0; break; /* BEGIN_NODE cut before name */
        }
        if (which != 4 && which != 6) {
            b_word(b, 9);
        }
        Fdt fdt;
        Blob blob;
        assert_int_equal(build_and_init(b, &fdt, &blob), E_CORRUPT);
        free(blob.data);
        free(b);
    }
}

static void test_props_and_cells(void **state)
{
    Builder *b = calloc(1, sizeof(*b));
    uint8_t reg3[24] = {0};
    b_word(b, 4); /* NOPs are skipped everywhere */
    b_begin(b, "");
    b_prop_u32(b, "#address-cells", 3);
    b_prop_u32(b, "#size-cells", 0);
    b_word(b, 4);
    b_begin(b, "ok3@1");
    put_be32(reg3 + 8, 0x1000);
    b_prop(b, "reg", reg3, 12);
    b_prop(b, "unterminated", "abc", 3);
    b_prop(b, "list", "one\0tw", 6);
    b_prop(b, "empty", "", 0);
    b_prop(b, "u64", "\0\0\0\1\0\0\0\2", 8);
    b_prop(b, "odd", "\0\0\0\1\0\0", 6);
    b_prop_str(b, "status", "disabled");
    b_prop_str(b, "compatible", "x");
    b_end(b);
    b_begin(b, "big3@2");
    put_be32(reg3 + 0, 1);
    b_prop(b, "reg", reg3, 12);
    b_prop_str(b, "status", "ok");
    b_prop_str(b, "compatible", "x");
    b_end(b);
    b_begin(b, "badlen@3");
    b_prop(b, "reg", reg3, 8);
    b_prop_u32(b, "#address-cells", 5);
    b_begin(b, "child");
    b_prop_u32(b, "reg", 0);
    b_end(b);
    b_end(b);
    b_end(b);
    b_word(b, 9);
    b_rsv(b, 0x80000000, 0x200000);
    b_rsv(b, 0x90000000, 0x1000);

    Fdt fdt;
    Blob blob;
    FdtNode n, m;
    uint64_t base, size, v64;
    uint32_t v, ac, sc;
    const char *s;
    assert_int_equal(build_and_init(b, &fdt, &blob), E_OK);

    assert_int_equal(fdt_find_node(&fdt, "/ok3", &n), E_OK);
    assert_int_equal(fdt_reg(&fdt, n, 0, &base, &size), E_OK);
    assert_int_equal(base, 0x1000);
    assert_int_equal(size, 0);
    assert_int_equal(fdt_prop_string(&fdt, n, "unterminated", &s), E_CORRUPT);
    assert_int_equal(fdt_prop_string_at(&fdt, n, "list", 0, &s), E_OK);
    assert_string_equal(s, "one");
    assert_int_equal(fdt_prop_string_at(&fdt, n, "list", 1, &s), E_CORRUPT);
    assert_int_equal(fdt_prop_string(&fdt, n, "empty", &s), E_CORRUPT);
    assert_int_equal(fdt_prop_u64(&fdt, n, "u64", &v64), E_OK);
    assert_int_equal(v64, 0x100000002ull);
    assert_int_equal(fdt_prop_u32(&fdt, n, "u64", &v), E_CORRUPT);
    assert_int_equal(fdt_prop_u64(&fdt, n, "odd", &v64), E_CORRUPT);
    assert_false(fdt_node_is_enabled(&fdt, n));

    assert_int_equal(fdt_find_node(&fdt, "/big3@2", &m), E_OK);
    assert_int_equal(fdt_reg(&fdt, m, 0, &base, &size), E_RANGE);
    assert_true(fdt_node_is_enabled(&fdt, m));

    /* Compatible iteration finds both "x" nodes in order. */
    FdtNode it;
    assert_int_equal(fdt_find_compatible(&fdt, FDT_NODE_NONE, "x", &it), E_OK);
    assert_int_equal(it, n);
    assert_int_equal(fdt_find_compatible(&fdt, it, "x", &it), E_OK);
    assert_int_equal(it, m);
    assert_int_equal(fdt_find_compatible(&fdt, it, "x", &it), E_NOENT);

    assert_int_equal(fdt_find_node(&fdt, "/badlen", &n), E_OK);
    assert_int_equal(fdt_reg(&fdt, n, 0, &base, &size), E_CORRUPT);
    assert_int_equal(fdt_child_cells(&fdt, n, &ac, &sc), E_CORRUPT);
    assert_int_equal(fdt_find_node(&fdt, "/badlen/child", &m), E_OK);
    assert_int_equal(fdt_reg(&fdt, m, 0, &base, &size), E_CORRUPT);
    assert_int_equal(fdt_reg(&fdt, m, 0, &base, &size), E_CORRUPT);

    assert_int_equal(fdt_memreserve(&fdt, 0, &base, &size), E_OK);
    assert_int_equal(base, 0x80000000);
    assert_int_equal(size, 0x200000);
    assert_int_equal(fdt_memreserve(&fdt, 1, &base, &size), E_OK);
    assert_int_equal(base, 0x90000000);
    assert_int_equal(fdt_memreserve(&fdt, 2, &base, &size), E_NOENT);
    free(blob.data);

    /* The same tree as version 16 (no size_dt_struct) still parses. */
    blob = b_finish(b, 16, false);
    put_be32(blob.data + 36, 0xdeadbeef); /* ignored before version 17 */
    assert_int_equal(fdt_init(&fdt, blob.data, blob.size), E_OK);
    free(blob.data);
    free(b);
}

static void test_read_cells(void **state)
{
    uint8_t d[16] = {0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};
    uint32_t pos = 0;
    uint64_t v;
    assert_int_equal(fdt_read_cells(d, 16, &pos, 2, &v), E_OK);
    assert_int_equal(v, 0x100000002ull);
    assert_int_equal(pos, 8);
    assert_int_equal(fdt_read_cells(d, 16, &pos, 0, &v), E_OK);
    assert_int_equal(v, 0);
    assert_int_equal(fdt_read_cells(d, 16, &pos, 3, &v), E_CORRUPT);
    assert_int_equal(pos, 8);
    assert_int_equal(fdt_read_cells(d, 16, &pos, 5, &v), E_CORRUPT);
    pos = 20;
    assert_int_equal(fdt_read_cells(d, 16, &pos, 1, &v), E_CORRUPT);
    pos = 0;
    assert_int_equal(fdt_read_cells(d, 16, &pos, 3, &v), E_RANGE);
}

static void test_memreserve_corrupt(void **state)
{
    /* No terminator: the block runs into the structure block and beyond. */
    Builder *b = calloc(1, sizeof(*b));
    b_rsv(b, 0x1000, 0x1000);
    b_begin(b, "");
    b_end(b);
    b_word(b, 9);
    Blob blob = b_finish(b, 17, true);
    memset(blob.data + 56, 0xff, blob.size - 56); /* no all-zero entry anywhere */
    Fdt fdt;
    assert_int_equal(fdt_init(&fdt, blob.data, blob.size), E_CORRUPT);
    free(blob.data);
    free(b);

    /* An entry whose range wraps past 2^64. */
    b = calloc(1, sizeof(*b));
    b_rsv(b, 0xfffffffffffff000ull, 0x2000);
    b_begin(b, "");
    b_end(b);
    b_word(b, 9);
    blob = b_finish(b, 17, false);
    assert_int_equal(fdt_init(&fdt, blob.data, blob.size), E_CORRUPT);
    free(blob.data);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_virt_smp1),
        cmocka_unit_test(test_virt_smp4),
        cmocka_unit_test(test_virt_smp16),
        cmocka_unit_test(test_bootargs),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_padded),
        cmocka_unit_test(test_corrupt_header),
        cmocka_unit_test(test_corrupt_tokens),
        cmocka_unit_test(test_fuzz),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_grammar),
        cmocka_unit_test(test_props_and_cells),
        cmocka_unit_test(test_read_cells),
        cmocka_unit_test(test_memreserve_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
