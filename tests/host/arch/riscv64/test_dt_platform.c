// Host tests for the riscv64 devicetree queries (dt_platform.c) against QEMU's
// virt blobs at -smp 1, 4 and 16, and against copies corrupted in place.
// TEST_SOURCES: kernel/arch/riscv64/dt_platform.c kernel/lib/fdt.c
// TEST_SOURCES: kernel/lib/fdt_prop.c
// TEST_CFLAGS: -Ikernel/arch/riscv64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <test_fixture.h>

#include "../../../../kernel/arch/riscv64/dt_platform.h"

typedef struct Blob {
    uint8_t *data;
    size_t size;
    Fdt fdt;
} Blob;

static void blob_open(Blob *b, const char *name)
{
    b->data = fixture_load(name, &b->size);
    assert_int_equal(fdt_init(&b->fdt, b->data, b->size), E_OK);
}

/* Overwrites the n-th (0-based) occurrence of `from` in the whole blob with
 * `to` (same length): renames strings, property names and values. */
static void blob_replace(Blob *b, const char *from, const char *to, int n)
{
    size_t len = strlen(from);
    assert_int_equal(len, strlen(to));
    for (size_t i = 0; i + len <= b->size; i++) {
        if (memcmp(b->data + i, from, len) == 0 && n-- == 0) {
            memcpy(b->data + i, to, len);
            return;
        }
    }
    fail_msg("'%s' not in blob", from);
}

/* The writable bytes of property name of the node at path. */
static uint8_t *blob_prop(Blob *b, const char *path, const char *name, uint32_t *len)
{
    FdtNode node;
    FdtProp prop;
    assert_int_equal(fdt_find_node(&b->fdt, path, &node), E_OK);
    assert_int_equal(fdt_get_prop(&b->fdt, node, name, &prop), E_OK);
    *len = prop.len;
    return b->data + (prop.data - b->data);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void check_virt(const char *name, uint32_t harts)
{
    Blob b;
    RiscvHartList list;
    RiscvPlicInfo plic;
    RiscvMmioInfo clint;
    RiscvEcamInfo ecam;
    uint64_t hz;
    blob_open(&b, name);

    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_OK);
    assert_int_equal(list.count, harts);
    assert_int_equal(list.skipped, 0);
    for (uint32_t i = 0; i < harts; i++) {
        assert_int_equal(list.harts[i].hart_id, i);
        assert_int_not_equal(list.harts[i].intc_phandle, 0);
        assert_int_equal(list.harts[i].plic_context, RISCV_PLIC_NO_CONTEXT);
        assert_true(list.harts[i].sstc);
    }

    assert_int_equal(riscv_dt_timebase(&b.fdt, &hz), E_OK);
    assert_int_equal(hz, 10000000);

    /* QEMU virt: context 2h is hart h's M-mode, 2h + 1 its S-mode. */
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_OK);
    assert_int_equal(plic.base, 0xc000000);
    assert_int_equal(plic.size, 0x600000);
    assert_int_equal(plic.ndev, 96);
    for (uint32_t i = 0; i < harts; i++) {
        assert_int_equal(list.harts[i].plic_context, 2 * i + 1);
    }

    assert_int_equal(riscv_dt_clint(&b.fdt, &clint), E_OK);
    assert_int_equal(clint.base, 0x2000000);
    assert_int_equal(clint.size, 0x10000);

    assert_int_equal(riscv_dt_ecam(&b.fdt, &ecam), E_OK);
    assert_int_equal(ecam.base, 0x30000000);
    assert_int_equal(ecam.size, 0x10000000);
    assert_int_equal(ecam.bus_start, 0);
    assert_int_equal(ecam.bus_end, 255);
    free(b.data);
}

static void test_virt_smp1(void **state)
{
    check_virt("dtb/virt-smp1-256M.dtb", 1);
}

static void test_virt_smp4(void **state)
{
    check_virt("dtb/virt-smp4-512M.dtb", 4);
}

static void test_virt_smp16(void **state)
{
    check_virt("dtb/virt-smp16-2G.dtb", 16);
}

/* After OpenSBI's fix-ups the M-mode contexts read -1: S contexts unchanged. */
static void test_virt_opensbi(void **state)
{
    check_virt("dtb/virt-smp4-512M-opensbi.dtb", 4);
}

/* A tree without cpus, PLIC, CLINT or PCIe: every query says E_NOENT. */
static void test_missing_nodes(void **state)
{
    Blob b;
    RiscvHartList list = {.count = 0};
    RiscvPlicInfo plic;
    RiscvMmioInfo clint;
    RiscvEcamInfo ecam;
    uint64_t hz;
    blob_open(&b, "dtb/synthetic-boot.dtb");
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_NOENT);
    assert_int_equal(list.count, 0);
    assert_int_equal(riscv_dt_timebase(&b.fdt, &hz), E_NOENT);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_NOENT);
    assert_int_equal(riscv_dt_clint(&b.fdt, &clint), E_NOENT);
    assert_int_equal(riscv_dt_ecam(&b.fdt, &ecam), E_NOENT);
    free(b.data);
}

/* A disabled hart and one without Sv48 are left out and counted. */
static void test_unusable_harts(void **state)
{
    Blob b;
    RiscvHartList list;
    RiscvPlicInfo plic;
    blob_open(&b, "dtb/virt-smp4-512M.dtb");
    blob_replace(&b, "okay", "fail", 1);             /* cpu@1 */
    blob_replace(&b, "riscv,sv48", "riscv,sv39", 2); /* cpu@2 */
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_OK);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.skipped, 2);
    assert_int_equal(list.harts[0].hart_id, 0);
    assert_int_equal(list.harts[1].hart_id, 3);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_OK);
    assert_int_equal(list.harts[0].plic_context, 1);
    assert_int_equal(list.harts[1].plic_context, 7);
    free(b.data);
}

/* No usable hart at all is E_NOENT; a missing /cpus too. */
static void test_no_usable_hart(void **state)
{
    Blob b;
    RiscvHartList list;
    uint64_t hz;
    blob_open(&b, "dtb/virt-smp1-256M.dtb");
    blob_replace(&b, "riscv,sv48", "riscv,none", 0);
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_NOENT);
    assert_int_equal(list.skipped, 1);
    blob_replace(&b, "cpus", "cpuX", 0);
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_NOENT);
    assert_int_equal(riscv_dt_timebase(&b.fdt, &hz), E_NOENT);
    free(b.data);
}

static void test_duplicate_hart_id(void **state)
{
    Blob b;
    RiscvHartList list;
    uint32_t len;
    blob_open(&b, "dtb/virt-smp4-512M.dtb");
    put_be32(blob_prop(&b, "/cpus/cpu@2", "reg", &len), 1);
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_CORRUPT);
    free(b.data);
}

static void test_timebase_bad(void **state)
{
    Blob b;
    uint64_t hz;
    uint32_t len;
    blob_open(&b, "dtb/virt-smp4-512M.dtb");
    put_be32(blob_prop(&b, "/cpus", "timebase-frequency", &len), 0);
    assert_int_equal(riscv_dt_timebase(&b.fdt, &hz), E_CORRUPT);
    blob_replace(&b, "timebase-frequency", "timebase-frequencX", 0);
    assert_int_equal(riscv_dt_timebase(&b.fdt, &hz), E_NOENT);
    free(b.data);
}

static void test_plic_ndev_bad(void **state)
{
    Blob b;
    RiscvHartList list;
    RiscvPlicInfo plic;
    uint32_t len;
    blob_open(&b, "dtb/virt-smp4-512M.dtb");
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_OK);
    uint8_t *ndev = blob_prop(&b, "/soc/plic@c000000", "riscv,ndev", &len);
    put_be32(ndev, 0);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_CORRUPT);
    put_be32(ndev, 1024);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_CORRUPT);
    put_be32(ndev, 1023);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_OK);
    blob_replace(&b, "riscv,ndev", "riscv,ndeX", 0);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_CORRUPT);
    free(b.data);
}

/* interrupts-extended naming a phandle that does not exist, or a controller
 * without #interrupt-cells, or missing altogether. */
static void test_plic_contexts_bad(void **state)
{
    Blob b;
    RiscvHartList list;
    RiscvPlicInfo plic;
    uint32_t len;
    blob_open(&b, "dtb/virt-smp4-512M.dtb");
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_OK);
    uint8_t *ext = blob_prop(&b, "/soc/plic@c000000", "interrupts-extended", &len);
    assert_int_equal(len, 4 * 2 * 2 * 4);
    uint8_t saved[4];
    memcpy(saved, ext + 8, 4);
    put_be32(ext + 8, 0x7777);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_CORRUPT);
    memcpy(ext + 8, saved, 4);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_OK);

    blob_replace(&b, "#interrupt-cells", "#interrupt-cellX", 0);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_CORRUPT);
    free(b.data);

    blob_open(&b, "dtb/virt-smp4-512M.dtb");
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_OK);
    blob_replace(&b, "interrupts-extended", "interrupts-extendeX", 0);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_CORRUPT);
    free(b.data);
}

/* Without phandles the harts have no controller and the PLIC's references
 * dangle. */
static void test_no_phandles(void **state)
{
    Blob b;
    RiscvHartList list;
    RiscvPlicInfo plic;
    blob_open(&b, "dtb/virt-smp4-512M.dtb");
    blob_replace(&b, "phandle", "phandlX", 0);
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_OK);
    assert_int_equal(list.harts[0].intc_phandle, 0);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_CORRUPT);
    free(b.data);
}

/* Only the second compatible string ("riscv,plic0") left: still found. A
 * PLIC with status "disabled"-like state is skipped. */
static void test_plic_compatible(void **state)
{
    Blob b;
    RiscvHartList list;
    RiscvPlicInfo plic;
    blob_open(&b, "dtb/virt-smp1-256M.dtb");
    assert_int_equal(riscv_dt_harts(&b.fdt, &list), E_OK);
    blob_replace(&b, "sifive,plic-1.0.0", "sifive,plic-9.9.9", 0);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_OK);
    assert_int_equal(list.harts[0].plic_context, 1);
    blob_replace(&b, "riscv,plic0", "riscv,plicX", 0);
    assert_int_equal(riscv_dt_plic(&b.fdt, &list, &plic), E_NOENT);
    free(b.data);
}

static void test_clint_compatible(void **state)
{
    Blob b;
    RiscvMmioInfo clint;
    blob_open(&b, "dtb/virt-smp1-256M.dtb");
    blob_replace(&b, "sifive,clint0", "sifive,clintX", 0);
    assert_int_equal(riscv_dt_clint(&b.fdt, &clint), E_OK);
    assert_int_equal(clint.base, 0x2000000);
    blob_replace(&b, "riscv,clint0", "riscv,clintX", 0);
    assert_int_equal(riscv_dt_clint(&b.fdt, &clint), E_NOENT);
    free(b.data);
}

static void test_ecam_bus_range(void **state)
{
    Blob b;
    RiscvEcamInfo ecam;
    uint32_t len;
    blob_open(&b, "dtb/virt-smp1-256M.dtb");
    uint8_t *range = blob_prop(&b, "/soc/pci@30000000", "bus-range", &len);
    put_be32(range, 2);
    put_be32(range + 4, 7);
    assert_int_equal(riscv_dt_ecam(&b.fdt, &ecam), E_OK);
    assert_int_equal(ecam.bus_start, 2);
    assert_int_equal(ecam.bus_end, 7);
    put_be32(range, 8);
    assert_int_equal(riscv_dt_ecam(&b.fdt, &ecam), E_CORRUPT);
    put_be32(range, 0);
    put_be32(range + 4, 256);
    assert_int_equal(riscv_dt_ecam(&b.fdt, &ecam), E_CORRUPT);
    free(b.data);
}

static void test_isa_extension(void **state)
{
    const char *isa = "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc";
    assert_true(riscv_isa_has_extension(isa, "sstc"));
    assert_true(riscv_isa_has_extension(isa, "zicsr"));
    assert_true(riscv_isa_has_extension(isa, "zbb"));
    assert_false(riscv_isa_has_extension(isa, "zb"));
    assert_false(riscv_isa_has_extension(isa, "svpbmt"));
    assert_false(riscv_isa_has_extension("rv64imac", "sstc"));
    assert_false(riscv_isa_has_extension("rv64sstc", "sstc"));
    assert_true(riscv_isa_has_extension("rv64i_sstc_zba", "sstc"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_virt_smp1),         cmocka_unit_test(test_virt_smp4),
        cmocka_unit_test(test_virt_smp16),        cmocka_unit_test(test_virt_opensbi),
        cmocka_unit_test(test_missing_nodes),     cmocka_unit_test(test_unusable_harts),
        cmocka_unit_test(test_no_usable_hart),    cmocka_unit_test(test_duplicate_hart_id),
        cmocka_unit_test(test_timebase_bad),      cmocka_unit_test(test_plic_ndev_bad),
        cmocka_unit_test(test_plic_contexts_bad), cmocka_unit_test(test_no_phandles),
        cmocka_unit_test(test_plic_compatible),   cmocka_unit_test(test_clint_compatible),
        cmocka_unit_test(test_ecam_bus_range),    cmocka_unit_test(test_isa_extension),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
