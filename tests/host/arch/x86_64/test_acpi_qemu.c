// Host tests of the ACPI power-off lookup over real tables dumped from QEMU 7.2
// q35 (SeaBIOS: ACPI 1.0 RSDP and RSDT; OVMF: ACPI 2.0 RSDP and XSDT) at
// -smp 1, 4 and 16 (tests/fixtures/acpi/README.md).
// TEST_SOURCES: kernel/arch/x86_64/acpi.c
// TEST_CFLAGS: -Ikernel/arch/x86_64 -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "acpi.h"
#include "acpi_image.h"

static void check_qemu_s5(const char *relative_path)
{
    image_load(relative_path);
    AcpiMapper m = {.map = image_map, .ctx = &image};
    AcpiS5 s5;
    assert_int_equal(acpi_s5_lookup(&m, image.rsdp, &s5), E_OK);
    /* QEMU's ICH9 PM block at 0x600 (PM1a_CNT = +4), \_S5 = {0, 0, 0, 0}. */
    assert_int_equal(s5.pm1a_cnt, 0x604);
    assert_int_equal(s5.pm1b_cnt, 0);
    assert_int_equal(s5.slp_typa, 0);
    assert_int_equal(s5.slp_typb, 0);

    uint64_t phys;
    assert_int_equal(acpi_find_table(&m, image.rsdp, "APIC", &phys), E_OK);
    assert_int_equal(acpi_find_table(&m, image.rsdp, "HPET", &phys), E_OK);
    assert_int_equal(acpi_find_table(&m, image.rsdp, "MCFG", &phys), E_OK);
    assert_int_equal(acpi_find_table(&m, image.rsdp, "SRAT", &phys), E_NOENT);

    /* One flipped byte anywhere in the FADT is refused. */
    assert_int_equal(acpi_find_table(&m, image.rsdp, "FACP", &phys), E_OK);
    Chunk *fadt = image_chunk(phys);
    assert_non_null(fadt);
    fadt->data[fadt->length / 2] ^= 0x10;
    assert_int_equal(acpi_s5_lookup(&m, image.rsdp, &s5), E_CORRUPT);
}

/* Both firmwares at -smp 1, 4 and 16: the DSDT grows by a processor object
 * per CPU, and \_S5 must still be found past them. */
static void test_qemu_q35_seabios(void **state)
{
    check_qemu_s5("acpi/acpi-q35-seabios.bin");
    image_free(NULL);
    check_qemu_s5("acpi/acpi-q35-seabios-smp4.bin");
    image_free(NULL);
    check_qemu_s5("acpi/acpi-q35-seabios-smp16.bin");
}

static void test_qemu_q35_ovmf(void **state)
{
    check_qemu_s5("acpi/acpi-q35-ovmf.bin");
    image_free(NULL);
    check_qemu_s5("acpi/acpi-q35-ovmf-smp4.bin");
    image_free(NULL);
    check_qemu_s5("acpi/acpi-q35-ovmf-smp16.bin");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_qemu_q35_seabios, image_free),
        cmocka_unit_test_teardown(test_qemu_q35_ovmf, image_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
