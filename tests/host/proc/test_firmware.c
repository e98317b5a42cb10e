// Host tests of which physical ranges a process may map as firmware
// tables: only ACPI and firmware regions of the boot map (adjacent ones
// merged) and the root, never RAM, the kernel or unlisted memory.
// TEST_SOURCES: kernel/proc/firmware_ranges.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <proc/firmware.h>

static BootInfo bi;

static void add(uint64_t base, uint64_t len, BootMemType type)
{
    BootMemRegion *r = &bi.mem_regions[bi.mem_region_count++];
    r->base = base;
    r->length = len;
    r->type = type;
}

static void setup_map(void)
{
    memset(&bi, 0, sizeof(bi));
    add(0x0, 0x9F000, BOOT_MEM_USABLE);
    add(0x100000, 0x1000000, BOOT_MEM_USABLE);
    add(0x1100000, 0x200000, BOOT_MEM_KERNEL);
    add(0x7F000000, 0x10000, BOOT_MEM_ACPI_RECLAIM);
    add(0x7F010000, 0x8000, BOOT_MEM_ACPI_NVS); /* adjacent: merged */
    add(0x7F100000, 0x20000, BOOT_MEM_FIRMWARE);
    add(0x7F200000, 0x1000, BOOT_MEM_RESERVED);
}

static void test_ranges_and_merging(void **state)
{
    setup_map();
    FirmwareInfo fw;
    firmware_info_build(&fw, &bi, 0x7F000100, 36);
    assert_int_equal(fw.count, 2);
    assert_int_equal(fw.root, 0x7F000100);
    assert_int_equal(fw.root_size, 36);
    assert_int_equal(firmware_check(&fw, 0x7F000100, 36), E_OK);
    /* A table spanning the reclaim/NVS boundary lies in one merged range. */
    assert_int_equal(firmware_check(&fw, 0x7F00FF00, 0x200), E_OK);
    assert_int_equal(firmware_check(&fw, 0x7F100000, 0x20000), E_OK);
}

static void test_refusals(void **state)
{
    setup_map();
    FirmwareInfo fw;
    firmware_info_build(&fw, &bi, 0x7F000100, 36);
    assert_int_equal(firmware_check(&fw, 0x200000, 0x1000), E_PERM);   /* RAM */
    assert_int_equal(firmware_check(&fw, 0x1100000, 0x1000), E_PERM);  /* the kernel */
    assert_int_equal(firmware_check(&fw, 0x7F200000, 0x100), E_PERM);  /* reserved */
    assert_int_equal(firmware_check(&fw, 0xFEE00000, 0x1000), E_PERM); /* unlisted (LAPIC) */
    assert_int_equal(firmware_check(&fw, 0x7F017FF0, 0x20), E_PERM);   /* runs past the end */
    assert_int_equal(firmware_check(&fw, 0x7F0FFFF0, 0x20), E_PERM);   /* starts in a hole */
    assert_int_equal(firmware_check(&fw, 0x7F000000, 0), E_INVAL);
    assert_int_equal(firmware_check(&fw, 0xFFFFFFFFFFFFF000ull, 0x2000), E_RANGE);
}

static void test_root_outside_the_map(void **state)
{
    setup_map();
    FirmwareInfo fw;
    /* A legacy-area RSDP the map does not list: its own page is allowed. */
    firmware_info_build(&fw, &bi, 0xF5A20, 36);
    assert_int_equal(firmware_check(&fw, 0xF5A20, 36), E_OK);
    assert_int_equal(firmware_check(&fw, 0xF5000, 0x1000), E_OK);
    assert_int_equal(firmware_check(&fw, 0xF6000, 0x10), E_PERM);
    /* No root: nothing extra. */
    firmware_info_build(&fw, &bi, 0, 0);
    assert_int_equal(fw.count, 2);
    assert_int_equal(fw.root_size, 0);
}

static void test_too_many_regions(void **state)
{
    memset(&bi, 0, sizeof(bi));
    for (int i = 0; i < 40; i++) {
        add(0x10000000 + (uint64_t)i * 0x2000, 0x1000, BOOT_MEM_FIRMWARE);
    }
    FirmwareInfo fw;
    firmware_info_build(&fw, &bi, 0, 0);
    assert_int_equal(fw.count, FIRMWARE_MAX_RANGES);
    assert_int_equal(firmware_check(&fw, 0x10000000, 0x1000), E_OK);
    assert_int_equal(firmware_check(&fw, 0x10000000 + 39 * 0x2000, 0x1000), E_PERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges_and_merging),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_root_outside_the_map),
        cmocka_unit_test(test_too_many_regions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
