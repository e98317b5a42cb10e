// Host tests for the riscv64 devicetree -> BootInfo glue (boot.c), run over
// real and hand-written DTBs with the hardware parts (direct map, SBI) stubbed.
// TEST_SOURCES: kernel/arch/riscv64/boot.c kernel/lib/bootinfo_build.c
// TEST_SOURCES: kernel/lib/fdt.c kernel/lib/fdt_prop.c
// TEST_CFLAGS: -Ikernel/arch/riscv64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <anos/bootinfo.h>
#include <arch/memory_layout.h>
#include <bootinfo_build.h>
#include <fdt.h>
#include <test_fixture.h>

#include "../../../../kernel/arch/riscv64/riscv.h"

/* A fake kernel image: page-aligned, 0x13000 bytes long. */
__asm__(".data\n"
        ".balign 4096\n"
        ".globl __kernel_start\n"
        "__kernel_start: .skip 0x13000\n"
        ".globl __kernel_end\n"
        "__kernel_end:\n"
        ".text\n");

#define KERNEL_PHYS 0x80200000ull

/* ---- stubs for what boot.c reaches outside itself ----------------------- */

static uint8_t *stub_blob;
static size_t stub_blob_size;
static Error stub_open_error;
static jmp_buf stub_exit;
static BootInfo stub_handed_over;
static char stub_panic[512];
static char stub_log[4096];

Error riscv_fdt_open(uint64_t dtb_phys, Fdt *fdt)
{
    if (stub_open_error != E_OK) {
        return stub_open_error;
    }
    return fdt_init(fdt, stub_blob, stub_blob_size);
}

void riscv_platform_probe(const Fdt *fdt)
{
}

void riscv_trap_init(void)
{
}

/* The boot PerCpu (tp, sscratch) is hardware state: recorded only. */
static uint32_t stub_percpu_hart = 0xFFFFFFFFu;
void riscv_percpu_boot_install(uint32_t hart_id)
{
    stub_percpu_hart = hart_id;
}

void sbi_init(void)
{
}

void kernel_main(BootInfo *boot_info)
{
    stub_handed_over = *boot_info;
    longjmp(stub_exit, 1);
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(stub_panic, sizeof(stub_panic), fmt, ap);
    va_end(ap);
    longjmp(stub_exit, 2);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    size_t used = strlen(stub_log);
    va_start(ap, fmt);
    int n = vsnprintf(stub_log + used, sizeof(stub_log) - used, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- helpers --------------------------------------------------------------- */

/* Makes the fixture the devicetree riscv_fdt_open hands to boot.c. */
static void load_fixture(const char *relative_path)
{
    free(stub_blob);
    stub_blob = fixture_load(relative_path, &stub_blob_size);
}

/* Runs riscv_boot; returns 1 when it reached kernel_main, 2 on panic. */
static int run_boot(uint64_t hart, uint64_t dtb_phys)
{
    memset(&stub_handed_over, 0, sizeof(stub_handed_over));
    stub_panic[0] = '\0';
    stub_log[0] = '\0';
    int how = setjmp(stub_exit);
    if (how == 0) {
        riscv_boot(hart, dtb_phys, KERNEL_PHYS);
    }
    return how;
}

static void expect_region(uint32_t i, uint64_t base, uint64_t end, BootMemType type)
{
    const BootInfo *bi = &stub_handed_over;
    assert_true(i < bi->mem_region_count);
    assert_int_equal(bi->mem_regions[i].base, base);
    assert_int_equal(bi->mem_regions[i].base + bi->mem_regions[i].length, end);
    assert_int_equal(bi->mem_regions[i].type, type);
}

static void teardown_blob(void)
{
    free(stub_blob);
    stub_blob = NULL;
    stub_open_error = E_OK;
}

/* ---- tests ----------------------------------------------------------------- */

/* The devicetree as OpenSBI hands it over (dumped from a running guest):
 * its reserved-memory node, bootargs and the blob itself. */
static void test_opensbi_dtb(void **state)
{
    load_fixture("dtb/virt-smp4-512M-opensbi.dtb");
    assert_int_equal(run_boot(3, 0x9fe00000), 1);
    const BootInfo *bi = &stub_handed_over;
    assert_int_equal(bootinfo_validate(bi), E_OK);
    assert_int_equal(bi->boot_cpu_id, 3);
    assert_int_equal(stub_percpu_hart, 3);
    assert_int_equal(bi->dtb_phys, 0x9fe00000);
    assert_int_equal(bi->direct_map_base, DIRECT_MAP_BASE);
    assert_int_equal(bi->acpi_rsdp_phys, 0);
    assert_int_equal(bi->kernel_phys_base, KERNEL_PHYS);
    assert_int_equal(bi->kernel_phys_size, 0x13000);
    assert_int_equal(bi->kernel_virt_base, (uintptr_t)__kernel_start);
    assert_int_equal(bi->framebuffer.format, BOOT_FB_NONE);
    assert_string_equal(bi->cmdline, "console=ttyS0 anos.test=1");
    assert_int_equal(bi->mem_region_count, 6);
    expect_region(0, 0x80000000, 0x80080000, BOOT_MEM_FIRMWARE);
    expect_region(1, 0x80080000, 0x80200000, BOOT_MEM_USABLE);
    expect_region(2, 0x80200000, 0x80213000, BOOT_MEM_KERNEL);
    expect_region(3, 0x80213000, 0x9fe00000, BOOT_MEM_USABLE);
    expect_region(4, 0x9fe00000, 0x9fe02000, BOOT_MEM_FIRMWARE);
    expect_region(5, 0x9fe02000, 0xa0000000, BOOT_MEM_USABLE);
    assert_string_equal(stub_log, "");
    teardown_blob();
}

static void test_qemu_dtb(void **state)
{
    load_fixture("dtb/virt-smp16-2G.dtb");
    assert_int_equal(run_boot(0, 0xbfe00000), 1);
    const BootInfo *bi = &stub_handed_over;
    assert_int_equal(bootinfo_validate(bi), E_OK);
    assert_string_equal(bi->cmdline, "");
    assert_int_equal(bi->mem_region_count, 5);
    expect_region(0, 0x80000000, 0x80200000, BOOT_MEM_USABLE);
    expect_region(1, 0x80200000, 0x80213000, BOOT_MEM_KERNEL);
    expect_region(2, 0x80213000, 0xbfe00000, BOOT_MEM_USABLE);
    expect_region(3, 0xbfe00000, 0xbfe03000, BOOT_MEM_FIRMWARE);
    expect_region(4, 0xbfe03000, 0x100000000, BOOT_MEM_USABLE);
    teardown_blob();
}

/* Several memory nodes (one disabled, one reaching past the direct map),
 * all three kinds of reservation, a framebuffer and a long command line. */
static void test_synthetic(void **state)
{
    load_fixture("dtb/synthetic-boot.dtb");
    assert_int_equal(run_boot(1, 0x87ff0000), 1);
    const BootInfo *bi = &stub_handed_over;
    assert_int_equal(bootinfo_validate(bi), E_OK);
    assert_int_equal(bi->mem_region_count, 12);
    expect_region(0, 0x80000000, 0x80040000, BOOT_MEM_FIRMWARE);
    expect_region(1, 0x80040000, 0x80200000, BOOT_MEM_USABLE);
    expect_region(2, 0x80200000, 0x80213000, BOOT_MEM_KERNEL);
    expect_region(3, 0x80213000, 0x81000000, BOOT_MEM_USABLE);
    expect_region(4, 0x81000000, 0x81002000, BOOT_MEM_FIRMWARE);
    expect_region(5, 0x81002000, 0x87ff0000, BOOT_MEM_USABLE);
    expect_region(6, 0x87ff0000, 0x87ff1000, BOOT_MEM_FIRMWARE);
    expect_region(7, 0x87ff1000, 0x88000000, BOOT_MEM_USABLE);
    expect_region(8, 0x88000000, 0x88300000, BOOT_MEM_FRAMEBUFFER);
    expect_region(9, 0x90000000, 0x98000000, BOOT_MEM_USABLE);
    expect_region(10, 0x100000000, 0x110000000, BOOT_MEM_USABLE);
    expect_region(11, 0x7fc0000000, DIRECT_MAP_SIZE, BOOT_MEM_USABLE);

    assert_int_equal(bi->framebuffer.phys_base, 0x88000000);
    assert_int_equal(bi->framebuffer.size, 0x300000);
    assert_int_equal(bi->framebuffer.width, 1024);
    assert_int_equal(bi->framebuffer.height, 768);
    assert_int_equal(bi->framebuffer.pitch, 4096);
    assert_int_equal(bi->framebuffer.format, BOOT_FB_BGRX8888);

    assert_int_equal(strlen(bi->cmdline), BOOTINFO_CMDLINE_MAX - 1);
    assert_int_equal(strncmp(bi->cmdline, "0123456789abcdef", 16), 0);
    assert_non_null(strstr(stub_log, "command line truncated"));
    assert_non_null(strstr(stub_log, "memory node above 512 GiB ignored"));
    teardown_blob();
}

static void test_unusable_dtb(void **state)
{
    load_fixture("dtb/virt-smp1-256M.dtb");
    stub_open_error = E_CORRUPT;
    assert_int_equal(run_boot(0, 0x8fe00000), 2);
    assert_string_equal(stub_panic,
                        "riscv64 boot: devicetree at physical 0x8fe00000 is unusable: E_CORRUPT");
    teardown_blob();
}

static void test_no_memory(void **state)
{
    load_fixture("dtb/no-memory.dtb");
    assert_int_equal(run_boot(0, 0x8fe00000), 2);
    assert_string_equal(stub_panic, "riscv64 boot: the devicetree describes no memory");
    teardown_blob();
}

static void test_bad_memory_reg(void **state)
{
    load_fixture("dtb/bad-memory-reg.dtb");
    assert_int_equal(run_boot(0, 0x8fe00000), 2);
    assert_string_equal(stub_panic, "riscv64 boot: memory node: E_CORRUPT");
    teardown_blob();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opensbi_dtb), cmocka_unit_test(test_qemu_dtb),
        cmocka_unit_test(test_synthetic),   cmocka_unit_test(test_unusable_dtb),
        cmocka_unit_test(test_no_memory),   cmocka_unit_test(test_bad_memory_reg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
