// Host tests for BootInfo construction: memory-map painting (alignment,
// precedence, merging, capacity), kernel range, command line and validation.
// TEST_SOURCES: kernel/lib/bootinfo_build.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bootinfo_build.h>

#define KiB 1024ull
#define MiB (1024ull * KiB)

static BootInfo *new_bi(void)
{
    BootInfo *bi = malloc(sizeof(*bi));
    assert_non_null(bi);
    memset(bi, 0xa5, sizeof(*bi)); /* init must clear everything */
    bootinfo_init(bi);
    return bi;
}

static void expect_region(const BootInfo *bi, uint32_t i, uint64_t base, uint64_t len,
                          BootMemType type)
{
    assert_true(i < bi->mem_region_count);
    assert_int_equal(bi->mem_regions[i].base, base);
    assert_int_equal(bi->mem_regions[i].length, len);
    assert_int_equal(bi->mem_regions[i].type, type);
}

static void test_init(void **state)
{
    BootInfo *bi = new_bi();
    assert_int_equal(bi->magic, BOOTINFO_MAGIC);
    assert_int_equal(bi->version, BOOTINFO_VERSION);
    assert_int_equal(bi->size, sizeof(BootInfo));
    assert_int_equal(bi->mem_region_count, 0);
    assert_int_equal(bi->cmdline[0], '\0');
    assert_int_equal(bi->kernel_phys_size, 0);
    free(bi);
}

static void test_alignment(void **state)
{
    BootInfo *bi = new_bi();
    /* USABLE shrinks inward. */
    assert_int_equal(bootinfo_add_region(bi, 0x1001, 0x3000, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bi->mem_region_count, 1);
    expect_region(bi, 0, 0x2000, 0x2000, BOOT_MEM_USABLE);
    /* No whole page inside: nothing added. */
    assert_int_equal(bootinfo_add_region(bi, 0x10001, 0x1ffe, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bootinfo_add_region(bi, 0x20000, 0xfff, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bi->mem_region_count, 1);
    /* Anything else grows outward. */
    assert_int_equal(bootinfo_add_region(bi, 0x100010, 0x10, BOOT_MEM_FIRMWARE), E_OK);
    expect_region(bi, 1, 0x100000, 0x1000, BOOT_MEM_FIRMWARE);
    assert_int_equal(bootinfo_add_region(bi, 0x200fff, 0x2, BOOT_MEM_RESERVED), E_OK);
    expect_region(bi, 2, 0x200000, 0x2000, BOOT_MEM_RESERVED);
    /* Length 0 adds nothing. */
    assert_int_equal(bootinfo_add_region(bi, 0x300000, 0, BOOT_MEM_RESERVED), E_OK);
    assert_int_equal(bi->mem_region_count, 3);
    free(bi);
}

static void test_precedence(void **state)
{
    BootInfo *bi = new_bi();
    assert_int_equal(bootinfo_add_region(bi, 0, 16 * MiB, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bootinfo_add_region(bi, 1 * MiB, 1 * MiB, BOOT_MEM_FIRMWARE), E_OK);
    assert_int_equal(bi->mem_region_count, 3);
    expect_region(bi, 0, 0, 1 * MiB, BOOT_MEM_USABLE);
    expect_region(bi, 1, 1 * MiB, 1 * MiB, BOOT_MEM_FIRMWARE);
    expect_region(bi, 2, 2 * MiB, 14 * MiB, BOOT_MEM_USABLE);

    /* Lower precedence over higher: the higher stays. */
    assert_int_equal(bootinfo_add_region(bi, 0, 32 * MiB, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bi->mem_region_count, 3);
    expect_region(bi, 1, 1 * MiB, 1 * MiB, BOOT_MEM_FIRMWARE);
    expect_region(bi, 2, 2 * MiB, 30 * MiB, BOOT_MEM_USABLE);

    /* Partial overlap with a higher type splits the firmware range. */
    assert_int_equal(bootinfo_add_region(bi, 1536 * KiB, 1 * MiB, BOOT_MEM_BAD), E_OK);
    assert_int_equal(bi->mem_region_count, 4);
    expect_region(bi, 1, 1 * MiB, 512 * KiB, BOOT_MEM_FIRMWARE);
    expect_region(bi, 2, 1536 * KiB, 1 * MiB, BOOT_MEM_BAD);
    expect_region(bi, 3, 2560 * KiB, 30208 * KiB, BOOT_MEM_USABLE);

    /* A range strictly inside a region of lower type splits it in three. */
    assert_int_equal(bootinfo_add_region(bi, 8 * MiB, 4 * KiB, BOOT_MEM_KERNEL), E_OK);
    assert_int_equal(bi->mem_region_count, 6);
    expect_region(bi, 3, 2560 * KiB, 8 * MiB - 2560 * KiB, BOOT_MEM_USABLE);
    expect_region(bi, 4, 8 * MiB, 4 * KiB, BOOT_MEM_KERNEL);
    expect_region(bi, 5, 8 * MiB + 4 * KiB, 24 * MiB - 4 * KiB, BOOT_MEM_USABLE);
    free(bi);
}

static void test_gaps_and_merge(void **state)
{
    BootInfo *bi = new_bi();
    /* Out of order additions end up sorted. */
    assert_int_equal(bootinfo_add_region(bi, 2 * MiB, 1 * MiB, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bootinfo_add_region(bi, 0, 1 * MiB, BOOT_MEM_USABLE), E_OK);
    expect_region(bi, 0, 0, 1 * MiB, BOOT_MEM_USABLE);
    expect_region(bi, 1, 2 * MiB, 1 * MiB, BOOT_MEM_USABLE);

    /* Spanning a gap: the gap takes the new type, overlaps the higher. */
    assert_int_equal(bootinfo_add_region(bi, 512 * KiB, 2 * MiB, BOOT_MEM_FIRMWARE), E_OK);
    assert_int_equal(bi->mem_region_count, 3);
    expect_region(bi, 0, 0, 512 * KiB, BOOT_MEM_USABLE);
    expect_region(bi, 1, 512 * KiB, 2 * MiB, BOOT_MEM_FIRMWARE);
    expect_region(bi, 2, 2560 * KiB, 512 * KiB, BOOT_MEM_USABLE);

    /* Adjacent same-type ranges merge; different types do not. */
    assert_int_equal(bootinfo_add_region(bi, 3 * MiB, 1 * MiB, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bi->mem_region_count, 3);
    expect_region(bi, 2, 2560 * KiB, 1536 * KiB, BOOT_MEM_USABLE);
    assert_int_equal(bootinfo_add_region(bi, 4 * MiB, 1 * MiB, BOOT_MEM_RECLAIMABLE), E_OK);
    assert_int_equal(bi->mem_region_count, 4);

    /* Filling the gap between two usable ranges merges all three. */
    BootInfo *b2 = new_bi();
    assert_int_equal(bootinfo_add_region(b2, 0, 1 * MiB, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bootinfo_add_region(b2, 2 * MiB, 1 * MiB, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bootinfo_add_region(b2, 1 * MiB, 1 * MiB, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(b2->mem_region_count, 1);
    expect_region(b2, 0, 0, 3 * MiB, BOOT_MEM_USABLE);

    /* A range covering several regions and gaps, beyond both ends. */
    assert_int_equal(bootinfo_add_region(b2, 8 * MiB, 1 * MiB, BOOT_MEM_ACPI_NVS), E_OK);
    assert_int_equal(bootinfo_add_region(b2, 10 * MiB, 1 * MiB, BOOT_MEM_BAD), E_OK);
    assert_int_equal(bootinfo_add_region(b2, 2 * MiB, 12 * MiB, BOOT_MEM_ACPI_RECLAIM), E_OK);
    assert_int_equal(b2->mem_region_count, 6);
    expect_region(b2, 0, 0, 2 * MiB, BOOT_MEM_USABLE);
    expect_region(b2, 1, 2 * MiB, 6 * MiB, BOOT_MEM_ACPI_RECLAIM);
    expect_region(b2, 2, 8 * MiB, 1 * MiB, BOOT_MEM_ACPI_NVS);
    expect_region(b2, 3, 9 * MiB, 1 * MiB, BOOT_MEM_ACPI_RECLAIM);
    expect_region(b2, 4, 10 * MiB, 1 * MiB, BOOT_MEM_BAD);
    expect_region(b2, 5, 11 * MiB, 3 * MiB, BOOT_MEM_ACPI_RECLAIM);
    free(b2);
    free(bi);
}

static void test_invalid_args(void **state)
{
    BootInfo *bi = new_bi();
    assert_int_equal(bootinfo_add_region(NULL, 0, 4096, BOOT_MEM_USABLE), E_INVAL);
    assert_int_equal(bootinfo_add_region(bi, 0, 4096, (BootMemType)0), E_INVAL);
    assert_int_equal(bootinfo_add_region(bi, 0, 4096, (BootMemType)10), E_INVAL);
    assert_int_equal(bootinfo_add_region(bi, UINT64_MAX - 4095, 8192, BOOT_MEM_USABLE), E_RANGE);
    assert_int_equal(bootinfo_add_region(bi, UINT64_MAX - 8191, 4097, BOOT_MEM_RESERVED), E_RANGE);
    /* The last page cannot be described (its end would be 2^64). */
    assert_int_equal(bootinfo_add_region(bi, UINT64_MAX - 4095, 4096, BOOT_MEM_RESERVED), E_RANGE);
    /* A usable range near the top with no whole page below the limit. */
    assert_int_equal(bootinfo_add_region(bi, UINT64_MAX - 100, 50, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bootinfo_add_region(bi, UINT64_MAX - 8191, 4096, BOOT_MEM_RESERVED), E_OK);
    assert_int_equal(bi->mem_region_count, 1);
    free(bi);
}

/* Fills the map with MAX separate regions (a page, a gap, ...). */
static void fill_map(BootInfo *bi)
{
    for (uint64_t i = 0; i < BOOTINFO_MAX_MEM_REGIONS; i++) {
        assert_int_equal(bootinfo_add_region(bi, i * 0x2000, 0x1000, BOOT_MEM_USABLE), E_OK);
    }
    assert_int_equal(bi->mem_region_count, BOOTINFO_MAX_MEM_REGIONS);
}

static void test_capacity(void **state)
{
    BootInfo *bi = new_bi();
    fill_map(bi);
    BootInfo *before = malloc(sizeof(*before));
    memcpy(before, bi, sizeof(*bi));

    /* A new separate region, a split, and a retyped gap do not fit. */
    assert_int_equal(bootinfo_add_region(bi, 0x10000000, 0x1000, BOOT_MEM_USABLE), E_NOMEM);
    assert_int_equal(bootinfo_add_region(bi, 0x1000, 0x1000, BOOT_MEM_FIRMWARE), E_NOMEM);
    assert_int_equal(memcmp(before, bi, sizeof(*bi)), 0);

    /* Ranges that merge still fit: extending the last region, filling a
     * gap (merging three into one), retyping a whole region in place. */
    assert_int_equal(bootinfo_add_region(bi, (BOOTINFO_MAX_MEM_REGIONS - 1) * 0x2000ull + 0x1000,
                                         0x1000, BOOT_MEM_USABLE),
                     E_OK);
    assert_int_equal(bi->mem_region_count, BOOTINFO_MAX_MEM_REGIONS);
    assert_int_equal(bootinfo_add_region(bi, 0x1000, 0x1000, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bi->mem_region_count, BOOTINFO_MAX_MEM_REGIONS - 1);
    assert_int_equal(bootinfo_add_region(bi, 0x4000, 0x1000, BOOT_MEM_KERNEL), E_OK);
    assert_int_equal(bi->mem_region_count, BOOTINFO_MAX_MEM_REGIONS - 1);
    /* Now one slot is free: a separate region fits, the next does not. */
    assert_int_equal(bootinfo_add_region(bi, 0x10000000, 0x1000, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bootinfo_add_region(bi, 0x20000000, 0x1000, BOOT_MEM_USABLE), E_NOMEM);
    free(before);
    free(bi);
}

/* A small valid map: RAM with the kernel and firmware carved out. */
static BootInfo *valid_bi(void)
{
    BootInfo *bi = new_bi();
    assert_int_equal(bootinfo_add_region(bi, 0x80000000, 256 * MiB, BOOT_MEM_USABLE), E_OK);
    assert_int_equal(bootinfo_add_region(bi, 0x80000000, 2 * MiB, BOOT_MEM_FIRMWARE), E_OK);
    assert_int_equal(bootinfo_set_kernel(bi, 0x80200000, 0x12345, 0xffffffff80200000ull), E_OK);
    assert_int_equal(bootinfo_validate(bi), E_OK);
    return bi;
}

static void test_set_kernel(void **state)
{
    BootInfo *bi = valid_bi();
    assert_int_equal(bi->kernel_phys_base, 0x80200000);
    assert_int_equal(bi->kernel_phys_size, 0x13000);
    assert_int_equal(bi->kernel_virt_base, 0xffffffff80200000ull);
    expect_region(bi, 1, 0x80200000, 0x13000, BOOT_MEM_KERNEL);

    assert_int_equal(bootinfo_set_kernel(NULL, 0x1000, 1, 0x1000), E_INVAL);
    assert_int_equal(bootinfo_set_kernel(bi, 0x1000, 0, 0x1000), E_INVAL);
    assert_int_equal(bootinfo_set_kernel(bi, 0x1001, 1, 0x1000), E_ALIGN);
    assert_int_equal(bootinfo_set_kernel(bi, 0x1000, 1, 0x1800), E_ALIGN);
    assert_int_equal(bootinfo_set_kernel(bi, 0x1000, UINT64_MAX, 0x1000), E_RANGE);
    assert_int_equal(bootinfo_set_kernel(bi, UINT64_MAX - 0xfff, 0x2000, 0x1000), E_RANGE);
    assert_int_equal(bi->kernel_phys_base, 0x80200000);

    /* A full map refuses the kernel and leaves the fields alone. */
    BootInfo *full = new_bi();
    fill_map(full);
    assert_int_equal(bootinfo_set_kernel(full, 0x10000000, 0x1000, 0x1000), E_NOMEM);
    assert_int_equal(full->kernel_phys_size, 0);
    free(full);
    free(bi);
}

static void test_cmdline(void **state)
{
    BootInfo *bi = new_bi();
    char big[BOOTINFO_CMDLINE_MAX + 10];
    assert_int_equal(bootinfo_set_cmdline(bi, "console=ttyS0"), E_OK);
    assert_string_equal(bi->cmdline, "console=ttyS0");

    memset(big, 'a', sizeof(big));
    big[BOOTINFO_CMDLINE_MAX - 1] = '\0'; /* exactly the longest that fits */
    assert_int_equal(bootinfo_set_cmdline(bi, big), E_OK);
    assert_int_equal(strlen(bi->cmdline), BOOTINFO_CMDLINE_MAX - 1);

    big[BOOTINFO_CMDLINE_MAX - 1] = 'b';
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(bootinfo_set_cmdline(bi, big), E_RANGE);
    assert_int_equal(strlen(bi->cmdline), BOOTINFO_CMDLINE_MAX - 1);
    assert_int_equal(bi->cmdline[BOOTINFO_CMDLINE_MAX - 2], 'a');

    /* A shorter line afterwards leaves no stale bytes behind. */
    assert_int_equal(bootinfo_set_cmdline(bi, ""), E_OK);
    for (size_t i = 0; i < BOOTINFO_CMDLINE_MAX; i++) {
        assert_int_equal(bi->cmdline[i], 0);
    }
    assert_int_equal(bootinfo_set_cmdline(bi, NULL), E_INVAL);
    assert_int_equal(bootinfo_set_cmdline(NULL, "x"), E_INVAL);
    free(bi);
}

/* Each corruption of a valid BootInfo and the error it must give. */
static void test_validate(void **state)
{
    assert_int_equal(bootinfo_validate(NULL), E_INVAL);
    BootInfo *empty = new_bi();
    assert_int_equal(bootinfo_validate(empty), E_CORRUPT); /* no kernel range */
    free(empty);

    for (int which = 0; which < 16; which++) {
        BootInfo *bi = valid_bi();
        BootMemRegion *r = bi->mem_regions;
        Error want = E_CORRUPT;
        switch (which) {
        case 0: bi->magic ^= 1; break;
        case 1: bi->version = 2, want = E_INVAL; break;
        case 2: bi->size = 100, want = E_INVAL; break;
        case 3: bi->mem_region_count = BOOTINFO_MAX_MEM_REGIONS + 1; break;
        case 4: r[0].length = 0; break;
        case 5: r[0].base += 1; break;
        case 6: r[2].length += 0x800; break;
        case 7: r[2].type = 0; break;
        case 8: r[2].type = 10; break;
        case 9: r[0].length += 0x1000; break; /* overlaps the kernel */
        case 10: {
            BootMemRegion t = r[0]; /* out of order */
            r[0] = r[1];
            r[1] = t;
            break;
        }
        case 11: bi->kernel_phys_size = 0; break;
        case 12: bi->kernel_phys_base += 0x800; break;
        case 13: bi->kernel_phys_size += 0x1000; break; /* runs into usable */
        case 14: memset(bi->cmdline, 'x', sizeof(bi->cmdline)); break;
        case 15: r[2].base = UINT64_MAX & ~0xfffull, r[2].length = 0x2000; break; /* wraps */
        }
        assert_int_equal(bootinfo_validate(bi), want);
        free(bi);
    }

    /* A reservation over part of the kernel breaks the invariant. */
    BootInfo *bi = valid_bi();
    assert_int_equal(bootinfo_add_region(bi, 0x80201000, 0x1000, BOOT_MEM_RESERVED), E_OK);
    assert_int_equal(bootinfo_validate(bi), E_CORRUPT);
    free(bi);

    /* A kernel range split across two adjacent KERNEL regions is fine. */
    bi = valid_bi();
    BootMemRegion k = bi->mem_regions[1];
    memmove(&bi->mem_regions[2], &bi->mem_regions[1],
            (bi->mem_region_count - 1) * sizeof(BootMemRegion));
    bi->mem_regions[1].length = 0x1000;
    bi->mem_regions[2].base = k.base + 0x1000;
    bi->mem_regions[2].length = k.length - 0x1000;
    bi->mem_region_count++;
    assert_int_equal(bootinfo_validate(bi), E_OK);
    /* ... but not with a hole between them. */
    bi->mem_regions[2].base += 0x1000;
    bi->mem_regions[2].length -= 0x1000;
    assert_int_equal(bootinfo_validate(bi), E_CORRUPT);
    free(bi);
}

static void test_type_names(void **state)
{
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_USABLE), "usable");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_RECLAIMABLE), "reclaimable");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_ACPI_RECLAIM), "acpi-reclaim");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_ACPI_NVS), "acpi-nvs");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_FIRMWARE), "firmware");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_FRAMEBUFFER), "framebuffer");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_KERNEL), "kernel");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_RESERVED), "reserved");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_BAD), "bad");
    assert_string_equal(bootinfo_mem_type_name(0), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),         cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_precedence),   cmocka_unit_test(test_gaps_and_merge),
        cmocka_unit_test(test_invalid_args), cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_set_kernel),   cmocka_unit_test(test_cmdline),
        cmocka_unit_test(test_validate),     cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
