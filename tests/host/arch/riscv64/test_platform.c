// Host tests for the riscv64 platform probe (platform.c): which UART and test
// finisher it picks from a devicetree, and which devicetree addresses it refuses.
// TEST_SOURCES: kernel/arch/riscv64/platform.c kernel/lib/fdt.c kernel/lib/fdt_prop.c
// TEST_CFLAGS: -Ikernel/arch/riscv64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arch/memory_layout.h>
#include <test_fixture.h>

#include "../../../../kernel/arch/riscv64/riscv.h"

static void test_probe_virt(void **state)
{
    size_t size;
    uint8_t *blob = fixture_load("dtb/virt-smp4-512M-opensbi.dtb", &size);
    Fdt fdt;
    assert_int_equal(fdt_init(&fdt, blob, size), E_OK);
    memset(&riscv_platform, 0, sizeof(riscv_platform));
    riscv_platform_probe(&fdt);
    assert_true(riscv_platform.probed);
    assert_int_equal(riscv_platform.uart_phys, 0x10000000);
    assert_int_equal(riscv_platform.uart_reg_shift, 0);
    assert_int_equal(riscv_platform.uart_io_width, 1);
    assert_int_equal(riscv_platform.finisher_phys, 0x100000);

    /* A second probe changes nothing, even with another devicetree. */
    riscv_platform.uart_phys = 0x1234;
    riscv_platform_probe(&fdt);
    assert_int_equal(riscv_platform.uart_phys, 0x1234);
    free(blob);
}

/* Without UART or finisher (a hand-written tree): both stay 0, so the
 * console falls back to SBI and power-off to SRST. */
static void test_probe_none(void **state)
{
    size_t size;
    uint8_t *blob = fixture_load("dtb/synthetic-boot.dtb", &size);
    Fdt fdt;
    assert_int_equal(fdt_init(&fdt, blob, size), E_OK);
    memset(&riscv_platform, 0, sizeof(riscv_platform));
    riscv_platform_probe(&fdt);
    assert_true(riscv_platform.probed);
    assert_int_equal(riscv_platform.uart_phys, 0);
    assert_int_equal(riscv_platform.finisher_phys, 0);
    free(blob);
}

static void test_probe_stdout_path(void **state)
{
    size_t size;
    uint8_t *blob = fixture_load("dtb/uart-stdout-path.dtb", &size);
    Fdt fdt;
    assert_int_equal(fdt_init(&fdt, blob, size), E_OK);
    memset(&riscv_platform, 0, sizeof(riscv_platform));
    riscv_platform_probe(&fdt);
    assert_int_equal(riscv_platform.uart_phys, 0x20000000);
    assert_int_equal(riscv_platform.uart_reg_shift, 2);
    assert_int_equal(riscv_platform.uart_io_width, 4);
    assert_int_equal(riscv_platform.finisher_phys, 0x100000);
    free(blob);
}

/* Addresses the direct map cannot reach are refused before any access. */
static void test_fdt_open_refuses(void **state)
{
    Fdt fdt;
    assert_int_equal(riscv_fdt_open(0, &fdt), E_INVAL);
    assert_int_equal(riscv_fdt_open(0x80000004, &fdt), E_INVAL);
    assert_int_equal(riscv_fdt_open(DIRECT_MAP_SIZE, &fdt), E_INVAL);
    assert_int_equal(riscv_fdt_open(DIRECT_MAP_SIZE - 4096, &fdt), E_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_virt),
        cmocka_unit_test(test_probe_none),
        cmocka_unit_test(test_probe_stdout_path),
        cmocka_unit_test(test_fdt_open_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
