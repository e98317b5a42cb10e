// Host tests for the UEFI memory map conversion in boot/uefi/memmap.c.
// TEST_SOURCES: boot/uefi/memmap.c
// TEST_CFLAGS: -I. -I/usr/include/efi -I/usr/include/efi/x86_64
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <efi.h>

#include "boot/uefi/memmap.h"

#define PG        4096ULL
#define MAX_DESCS 600

/* A fake firmware map with OVMF's 48-byte descriptors unless told otherwise;
 * the padding is filled with junk so that a reader using the wrong stride
 * sees garbage. */
typedef struct FakeMap {
    uint8_t bytes[MAX_DESCS * 64];
    uint64_t desc_size;
    uint64_t count;
    MemmapOverride ov[4];
    uint32_t ov_count;
    BootMemRegion out[2 * BOOTINFO_MAX_MEM_REGIONS]; /* room to test larger limits */
    uint32_t n;
} FakeMap;

static FakeMap *new_map(uint64_t desc_size)
{
    FakeMap *m = calloc(1, sizeof(*m));
    m->desc_size = desc_size;
    memset(m->bytes, 0x5A, sizeof(m->bytes));
    return m;
}

static void add(FakeMap *m, uint32_t type, uint64_t base, uint64_t pages)
{
    EFI_MEMORY_DESCRIPTOR d = {.Type = type,
                               .PhysicalStart = base,
                               .VirtualStart = 0,
                               .NumberOfPages = pages,
                               .Attribute = 0xF};
    memcpy(m->bytes + m->count * m->desc_size, &d, sizeof(d));
    m->count++;
}

static MemmapInput input(FakeMap *m)
{
    return (MemmapInput){.map = m->bytes,
                         .map_size = m->count * m->desc_size,
                         .desc_size = m->desc_size,
                         .overrides = m->ov,
                         .override_count = m->ov_count};
}

static Error convert(FakeMap *m, uint32_t max)
{
    MemmapInput in = input(m);
    return memmap_convert(&in, m->out, max, &m->n);
}

static void expect_region(FakeMap *m, uint32_t i, uint64_t base, uint64_t end, uint32_t type)
{
    assert_true(i < m->n);
    assert_int_equal(m->out[i].base, base);
    assert_int_equal(m->out[i].base + m->out[i].length, end);
    assert_int_equal(m->out[i].type, type);
}

static void test_type_mapping(void **state)
{
    assert_int_equal(memmap_type_from_efi(EfiConventionalMemory), BOOT_MEM_USABLE);
    assert_int_equal(memmap_type_from_efi(EfiBootServicesCode), BOOT_MEM_USABLE);
    assert_int_equal(memmap_type_from_efi(EfiBootServicesData), BOOT_MEM_USABLE);
    assert_int_equal(memmap_type_from_efi(EfiLoaderCode), BOOT_MEM_RECLAIMABLE);
    assert_int_equal(memmap_type_from_efi(EfiLoaderData), BOOT_MEM_RECLAIMABLE);
    assert_int_equal(memmap_type_from_efi(EfiACPIReclaimMemory), BOOT_MEM_ACPI_RECLAIM);
    assert_int_equal(memmap_type_from_efi(EfiACPIMemoryNVS), BOOT_MEM_ACPI_NVS);
    assert_int_equal(memmap_type_from_efi(EfiRuntimeServicesCode), BOOT_MEM_FIRMWARE);
    assert_int_equal(memmap_type_from_efi(EfiRuntimeServicesData), BOOT_MEM_FIRMWARE);
    assert_int_equal(memmap_type_from_efi(EfiUnusableMemory), BOOT_MEM_BAD);
    assert_int_equal(memmap_type_from_efi(EfiReservedMemoryType), BOOT_MEM_RESERVED);
    assert_int_equal(memmap_type_from_efi(EfiMemoryMappedIO), BOOT_MEM_RESERVED);
    assert_int_equal(memmap_type_from_efi(EfiMemoryMappedIOPortSpace), BOOT_MEM_RESERVED);
    assert_int_equal(memmap_type_from_efi(EfiPalCode), BOOT_MEM_RESERVED);
    assert_int_equal(memmap_type_from_efi(14 /* persistent */), BOOT_MEM_RESERVED);
    assert_int_equal(memmap_type_from_efi(0x80000001u /* OS loader type */), BOOT_MEM_RESERVED);
}

static void test_unsorted_and_merged(void **state)
{
    FakeMap *m = new_map(48);
    add(m, EfiBootServicesData, 0x200000, 16);
    add(m, EfiConventionalMemory, 0x0, 0xA0);
    add(m, EfiACPIReclaimMemory, 0x300000, 1);
    add(m, EfiConventionalMemory, 0x100000, 0x100); /* adjacent to the first: merged */
    add(m, EfiReservedMemoryType, 0xA0000, 0x60);
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_OK);
    assert_int_equal(m->n, 4);
    expect_region(m, 0, 0x0, 0xA0000, BOOT_MEM_USABLE);
    expect_region(m, 1, 0xA0000, 0x100000, BOOT_MEM_RESERVED);
    expect_region(m, 2, 0x100000, 0x210000, BOOT_MEM_USABLE);
    expect_region(m, 3, 0x300000, 0x301000, BOOT_MEM_ACPI_RECLAIM);
    free(m);
}

static void test_overlap_higher_type_wins(void **state)
{
    FakeMap *m = new_map(sizeof(EFI_MEMORY_DESCRIPTOR));
    add(m, EfiConventionalMemory, 0x100000, 0x100); /* 1 MiB .. 2 MiB */
    add(m, EfiMemoryMappedIO, 0x180000, 0x10);      /* inside it */
    add(m, EfiRuntimeServicesData, 0x1F0000, 0x20); /* straddles its end */
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_OK);
    assert_int_equal(m->n, 4);
    expect_region(m, 0, 0x100000, 0x180000, BOOT_MEM_USABLE);
    expect_region(m, 1, 0x180000, 0x190000, BOOT_MEM_RESERVED);
    expect_region(m, 2, 0x190000, 0x1F0000, BOOT_MEM_USABLE);
    expect_region(m, 3, 0x1F0000, 0x210000, BOOT_MEM_FIRMWARE);
    free(m);
}

static void test_kernel_and_framebuffer_overrides(void **state)
{
    FakeMap *m = new_map(48);
    add(m, EfiLoaderData, 0x1000000, 0x400); /* 16 MiB .. 20 MiB, kernel inside */
    add(m, EfiConventionalMemory, 0x1400000, 0x100);
    add(m, EfiMemoryMappedIO, 0xB0000000, 0x10000);
    m->ov[0] = (MemmapOverride){0x1100000, 0x200000, BOOT_MEM_KERNEL};
    m->ov[1] = (MemmapOverride){0xC0000000, 0x3E8000, BOOT_MEM_FRAMEBUFFER}; /* in a hole */
    m->ov[2] = (MemmapOverride){0xB0000000, 0x1000, BOOT_MEM_FRAMEBUFFER};   /* under MMIO */
    m->ov_count = 3;
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_OK);
    assert_int_equal(m->n, 6);
    expect_region(m, 0, 0x1000000, 0x1100000, BOOT_MEM_RECLAIMABLE);
    expect_region(m, 1, 0x1100000, 0x1300000, BOOT_MEM_KERNEL);
    expect_region(m, 2, 0x1300000, 0x1400000, BOOT_MEM_RECLAIMABLE);
    expect_region(m, 3, 0x1400000, 0x1500000, BOOT_MEM_USABLE);
    expect_region(m, 4, 0xB0000000, 0xC0000000, BOOT_MEM_RESERVED); /* reserved outranks */
    expect_region(m, 5, 0xC0000000, 0xC03E8000, BOOT_MEM_FRAMEBUFFER);
    free(m);
}

static void test_large_descriptor_stride(void **state)
{
    FakeMap *m = new_map(64);
    add(m, EfiConventionalMemory, 0x0, 1);
    add(m, EfiACPIMemoryNVS, 0x1000, 1);
    add(m, EfiConventionalMemory, 0x2000, 1);
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_OK);
    assert_int_equal(m->n, 3);
    expect_region(m, 1, 0x1000, 0x2000, BOOT_MEM_ACPI_NVS);
    free(m);
}

static void test_unaligned_rounding(void **state)
{
    FakeMap *m = new_map(48);
    m->ov[0] = (MemmapOverride){0x10800, 0x1000, BOOT_MEM_USABLE};     /* inward: nothing */
    m->ov[1] = (MemmapOverride){0x20800, 0x2000, BOOT_MEM_USABLE};     /* inward: 0x21000.. */
    m->ov[2] = (MemmapOverride){0x40800, 0x100, BOOT_MEM_FRAMEBUFFER}; /* outward */
    m->ov_count = 3;
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_OK);
    assert_int_equal(m->n, 2);
    expect_region(m, 0, 0x21000, 0x22000, BOOT_MEM_USABLE);
    expect_region(m, 1, 0x40000, 0x41000, BOOT_MEM_FRAMEBUFFER);
    free(m);
}

static void test_empty_and_zero_pages(void **state)
{
    FakeMap *m = new_map(48);
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_OK);
    assert_int_equal(m->n, 0);
    add(m, EfiConventionalMemory, 0x5000, 0);
    add(m, EfiConventionalMemory, 0x0, 1);
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_OK);
    assert_int_equal(m->n, 1);
    expect_region(m, 0, 0x0, 0x1000, BOOT_MEM_USABLE);
    free(m);
}

static void test_top_of_address_space(void **state)
{
    FakeMap *m = new_map(48);
    add(m, EfiMemoryMappedIO, 0xFFFFFFFFFFFF0000ULL, 0xF);
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_OK);
    assert_int_equal(m->n, 1);
    expect_region(m, 0, 0xFFFFFFFFFFFF0000ULL, 0xFFFFFFFFFFFFF000ULL, BOOT_MEM_RESERVED);
    MemmapInput in = input(m);
    assert_int_equal(memmap_highest_address(&in), 0xFFFFFFFFFFFFF000ULL);
    free(m);
}

static void test_too_many_regions(void **state)
{
    FakeMap *m = new_map(48);
    /* Alternating types never merge: 300 descriptors, 300 regions. */
    for (int i = 0; i < 300; i++)
        add(m, (i & 1) ? EfiACPIMemoryNVS : EfiConventionalMemory, (uint64_t)i * PG, 1);
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_RANGE);
    assert_int_equal(convert(m, 300), E_OK);
    assert_int_equal(m->n, 300);
    assert_int_equal(convert(m, 299), E_RANGE);
    free(m);
}

static void test_many_descriptors_that_merge(void **state)
{
    FakeMap *m = new_map(48);
    /* 500 descriptors, in reverse order, all usable kinds: one region. */
    for (int i = 499; i >= 0; i--)
        add(m, (i % 3 == 0) ? EfiBootServicesCode : EfiConventionalMemory, (uint64_t)i * PG, 1);
    assert_int_equal(convert(m, 1), E_OK);
    assert_int_equal(m->n, 1);
    expect_region(m, 0, 0, 500 * PG, BOOT_MEM_USABLE);
    free(m);
}

static void test_bad_input(void **state)
{
    FakeMap *m = new_map(48);
    add(m, EfiConventionalMemory, 0x0, 1);
    MemmapInput in = input(m);
    in.desc_size = sizeof(EFI_MEMORY_DESCRIPTOR) - 1;
    assert_int_equal(memmap_convert(&in, m->out, BOOTINFO_MAX_MEM_REGIONS, &m->n), E_INVAL);
    in.desc_size = 0;
    assert_int_equal(memmap_convert(&in, m->out, BOOTINFO_MAX_MEM_REGIONS, &m->n), E_INVAL);
    assert_int_equal(memmap_highest_address(&in), 0);
    in = input(m);
    in.map = NULL;
    assert_int_equal(memmap_convert(&in, m->out, BOOTINFO_MAX_MEM_REGIONS, &m->n), E_INVAL);
    in = input(m);
    in.override_count = 1;
    in.overrides = NULL;
    assert_int_equal(memmap_convert(&in, m->out, BOOTINFO_MAX_MEM_REGIONS, &m->n), E_INVAL);
    free(m);
}

static void test_wrapping_entries(void **state)
{
    FakeMap *m = new_map(48);
    add(m, EfiConventionalMemory, 0xFFFFFFFFFFF00000ULL, 0x200); /* runs past 2^64 */
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_CORRUPT);
    free(m);
    m = new_map(48);
    add(m, EfiConventionalMemory, 0x0, 1);
    m->ov[0] = (MemmapOverride){0xFFFFFFFFFFFFF000ULL, 0x2000, BOOT_MEM_KERNEL};
    m->ov_count = 1;
    assert_int_equal(convert(m, BOOTINFO_MAX_MEM_REGIONS), E_CORRUPT);
    free(m);
}

static void test_highest_address(void **state)
{
    FakeMap *m = new_map(48);
    add(m, EfiConventionalMemory, 0x100000000ULL, 0x40000); /* 4 GiB .. 5 GiB */
    add(m, EfiConventionalMemory, 0x0, 0xA0);
    m->ov[0] = (MemmapOverride){0x800000000ULL, PG, BOOT_MEM_FRAMEBUFFER}; /* not counted */
    m->ov_count = 1;
    MemmapInput in = input(m);
    assert_int_equal(memmap_highest_address(&in), 0x140000000ULL);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_mapping),
        cmocka_unit_test(test_unsorted_and_merged),
        cmocka_unit_test(test_overlap_higher_type_wins),
        cmocka_unit_test(test_kernel_and_framebuffer_overrides),
        cmocka_unit_test(test_large_descriptor_stride),
        cmocka_unit_test(test_unaligned_rounding),
        cmocka_unit_test(test_empty_and_zero_pages),
        cmocka_unit_test(test_top_of_address_space),
        cmocka_unit_test(test_too_many_regions),
        cmocka_unit_test(test_many_descriptors_that_merge),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_wrapping_entries),
        cmocka_unit_test(test_highest_address),
    };
    return cmocka_run_group_tests_name("boot/uefi/memmap", tests, NULL, NULL);
}
