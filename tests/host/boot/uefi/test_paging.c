// Host tests for the hand-over page tables built by boot/uefi/paging.c,
// walked over an arena of ordinary memory that pretends to be physical.
// TEST_SOURCES: boot/uefi/paging.c
// TEST_CFLAGS: -I.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boot/uefi/paging.h"

#define PG         4096ULL
#define ARENA_PHYS 0x7000000ULL /* where the arena "is" physically */
#define KERNEL_VA  0xFFFFFFFF80100000ULL

typedef struct Arena {
    void *mem;
    uint64_t pages;
    PageTables pt;
} Arena;

static Arena *arena(uint64_t pages, int nx)
{
    Arena *a = calloc(1, sizeof(*a));
    a->mem = aligned_alloc(PG, pages * PG);
    memset(a->mem, 0xCC, pages * PG); /* tables must be zeroed by the builder */
    a->pages = pages;
    assert_int_equal(paging_init(&a->pt, a->mem, ARENA_PHYS, pages, nx), E_OK);
    return a;
}

static void arena_free(Arena *a)
{
    free(a->mem);
    free(a);
}

static uint64_t *table(Arena *a, uint64_t phys)
{
    assert_true(phys >= ARENA_PHYS && phys < ARENA_PHYS + a->pages * PG);
    return (uint64_t *)((uint8_t *)a->mem + (phys - ARENA_PHYS));
}

/* What the MMU would do: the physical address for va, the page size and
 * the effective rights (W and NX accumulated over all levels). */
typedef struct Walk {
    int present;
    uint64_t pa;
    uint64_t page_size;
    int writable;
    int nx;
} Walk;

static Walk walk(Arena *a, uint64_t va)
{
    Walk w = {.writable = 1};
    uint64_t t = a->pt.root_phys;
    int shift = 39;
    for (int level = 0; level < 4; level++, shift -= 9) {
        uint64_t e = table(a, t)[(va >> shift) & 511];
        if (!(e & PTE_P))
            return (Walk){0};
        w.writable &= (e & PTE_W) != 0;
        w.nx |= (e & PTE_NX) != 0;
        if (level == 3 || (level > 0 && (e & PTE_PS))) {
            w.page_size = 1ULL << shift;
            w.pa = (e & PTE_ADDR_MASK & ~(w.page_size - 1)) + (va & (w.page_size - 1));
            w.present = 1;
            return w;
        }
        assert_false(e & PTE_PS); /* no large page in the PML4 */
        t = e & PTE_ADDR_MASK;
    }
    return (Walk){0};
}

static void test_init_errors(void **state)
{
    PageTables pt;
    uint8_t *mem = aligned_alloc(PG, 2 * PG);
    assert_int_equal(paging_init(&pt, NULL, ARENA_PHYS, 1, 0), E_INVAL);
    assert_int_equal(paging_init(&pt, mem + 8, ARENA_PHYS, 1, 0), E_INVAL);
    assert_int_equal(paging_init(&pt, mem, ARENA_PHYS + 8, 1, 0), E_INVAL);
    assert_int_equal(paging_init(NULL, mem, ARENA_PHYS, 1, 0), E_INVAL);
    assert_int_equal(paging_init(&pt, mem, ARENA_PHYS, 0, 0), E_NOMEM);
    assert_int_equal(paging_init(&pt, mem, ARENA_PHYS, 2, 0), E_OK);
    assert_int_equal(pt.root_phys, ARENA_PHYS);
    free(mem);
}

static void check_physical(Arena *a, uint64_t limit, uint64_t page_size, int nx)
{
    static const uint64_t probes[] = {0x0, 0x1234, 0xFEE00000, 0x12345678};
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        if (probes[i] >= limit)
            continue;
        Walk id = walk(a, probes[i]);
        assert_true(id.present);
        assert_int_equal(id.pa, probes[i]);
        assert_int_equal(id.page_size, page_size);
        assert_true(id.writable);
        assert_false(id.nx); /* the loader runs through the identity map */
        Walk dm = walk(a, PAGING_DIRECT_MAP_BASE + probes[i]);
        assert_true(dm.present);
        assert_int_equal(dm.pa, probes[i]);
        assert_int_equal(dm.nx, nx);
    }
    Walk last = walk(a, PAGING_DIRECT_MAP_BASE + limit - 1);
    assert_true(last.present);
    assert_int_equal(last.pa, limit - 1);
    assert_false(walk(a, limit).present);
    assert_false(walk(a, PAGING_DIRECT_MAP_BASE + limit).present);
}

static void test_physical_2m(void **state)
{
    uint64_t limit = 4ULL << 30;
    uint64_t need = paging_pages_needed(limit, 0, 0);
    Arena *a = arena(need, 1);
    assert_int_equal(paging_map_physical(&a->pt, limit, 0), E_OK);
    assert_true(a->pt.used <= need);
    check_physical(a, limit, 2ULL << 20, 1);
    arena_free(a);
}

static void test_physical_1g_rounds_up(void **state)
{
    Arena *a = arena(paging_pages_needed(3ULL << 29, 1, 0), 0);
    assert_int_equal(paging_map_physical(&a->pt, 3ULL << 29, 1), E_OK); /* 1.5 GiB -> 2 GiB */
    check_physical(a, 2ULL << 30, 1ULL << 30, 0);
    arena_free(a);
}

static void test_physical_beyond_512g(void **state)
{
    uint64_t limit = 600ULL << 30;
    uint64_t need = paging_pages_needed(limit, 1, 0);
    Arena *a = arena(need, 1);
    assert_int_equal(paging_map_physical(&a->pt, limit, 1), E_OK);
    assert_true(a->pt.used <= need);
    Walk w = walk(a, PAGING_DIRECT_MAP_BASE + (550ULL << 30) + 0x1234);
    assert_true(w.present);
    assert_int_equal(w.pa, (550ULL << 30) + 0x1234);
    check_physical(a, limit, 1ULL << 30, 1);
    arena_free(a);
}

static void test_physical_errors(void **state)
{
    Arena *a = arena(4, 0);
    assert_int_equal(paging_map_physical(&a->pt, 0, 1), E_RANGE);
    assert_int_equal(paging_map_physical(&a->pt, PAGING_MAX_PHYS + 1, 1), E_RANGE);
    assert_int_equal(paging_map_physical(&a->pt, 1ULL << 30, 1), E_OK);
    assert_int_equal(paging_map_physical(&a->pt, 1ULL << 30, 1), E_EXIST);
    arena_free(a);
    a = arena(3, 0); /* PML4 + PDPT + one PD: not enough for 2 GiB of 2 MiB pages */
    assert_int_equal(paging_map_physical(&a->pt, 2ULL << 30, 0), E_NOMEM);
    arena_free(a);
}

static void test_kernel_pages(void **state)
{
    uint64_t span = 0x6000;
    uint64_t need = paging_pages_needed(4ULL << 30, 0, span);
    Arena *a = arena(need, 1);
    assert_int_equal(paging_map_physical(&a->pt, 4ULL << 30, 0), E_OK);
    uint64_t kphys = 0x2000000;
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, kphys, 0x2000, PAGING_EXEC), E_OK);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA + 0x2000, kphys + 0x2000, 0x1000, 0), E_OK);
    assert_int_equal(
        paging_map_range(&a->pt, KERNEL_VA + 0x3000, kphys + 0x3000, 0x3000, PAGING_WRITE), E_OK);
    assert_true(a->pt.used <= need);

    Walk text = walk(a, KERNEL_VA + 0x1ABC);
    assert_true(text.present);
    assert_int_equal(text.pa, kphys + 0x1ABC);
    assert_int_equal(text.page_size, PG);
    assert_false(text.writable);
    assert_false(text.nx);
    Walk ro = walk(a, KERNEL_VA + 0x2000);
    assert_false(ro.writable);
    assert_true(ro.nx);
    Walk data = walk(a, KERNEL_VA + 0x5FFF);
    assert_true(data.writable);
    assert_true(data.nx);
    assert_int_equal(data.pa, kphys + 0x5FFF);
    assert_false(walk(a, KERNEL_VA + 0x6000).present);
    assert_false(walk(a, KERNEL_VA - 1).present);
    arena_free(a);
}

static void test_kernel_no_nx_when_disabled(void **state)
{
    Arena *a = arena(8, 0);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 0x100000, PG, PAGING_WRITE), E_OK);
    Walk w = walk(a, KERNEL_VA);
    assert_true(w.writable);
    assert_false(w.nx); /* NX is a reserved bit unless EFER.NXE */
    arena_free(a);
}

static void test_shared_page_gets_union(void **state)
{
    Arena *a = arena(8, 1);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 0x100000, PG, PAGING_EXEC), E_OK);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 0x100000, PG, PAGING_WRITE), E_OK);
    Walk w = walk(a, KERNEL_VA);
    assert_true(w.writable);
    assert_false(w.nx);
    /* Same page, another frame: refused. */
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 0x200000, PG, 0), E_EXIST);
    arena_free(a);
}

static void test_range_errors(void **state)
{
    Arena *a = arena(8, 0);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA + 1, 0x1000, PG, 0), E_ALIGN);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 0x1001, PG, 0), E_ALIGN);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 0x1000, 100, 0), E_ALIGN);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 0x1000, 0, 0), E_OK);
    assert_int_equal(paging_map_range(&a->pt, 0x0000800000000000ULL, 0x1000, PG, 0), E_RANGE);
    assert_int_equal(paging_map_range(&a->pt, 0x00007FFFFFFFF000ULL, 0x1000, 2 * PG, 0), E_RANGE);
    assert_int_equal(paging_map_range(&a->pt, 0xFFFFFFFFFFFFF000ULL, 0x1000, 2 * PG, 0), E_RANGE);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 1ULL << 52, PG, 0), E_RANGE);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 0xFFFFFFFFFFFFF000ULL, 2 * PG, 0),
                     E_RANGE);
    arena_free(a);

    a = arena(4, 0); /* PML4 + PDPT + PD + PT: the next PT does not fit */
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA, 0x100000, PG, 0), E_OK);
    assert_int_equal(paging_map_range(&a->pt, KERNEL_VA + (2ULL << 20), 0x400000, PG, 0), E_NOMEM);
    arena_free(a);

    a = arena(4, 0);
    assert_int_equal(paging_map_physical(&a->pt, 1ULL << 30, 1), E_OK);
    /* Under a 1 GiB page of the identity map. */
    assert_int_equal(paging_map_range(&a->pt, 0x1000, 0x5000, PG, 0), E_EXIST);
    arena_free(a);
}

static void test_pages_needed_is_enough(void **state)
{
    static const uint64_t limits[] = {1ULL << 30, 4ULL << 30, 513ULL << 30};
    static const uint64_t spans[] = {PG, 3ULL << 20, 64ULL << 20};
    for (int g = 0; g < 2; g++) {
        for (size_t i = 0; i < 3; i++) {
            for (size_t j = 0; j < 3; j++) {
                uint64_t need = paging_pages_needed(limits[i], g, spans[j]);
                Arena *a = arena(need, 1);
                assert_int_equal(paging_map_physical(&a->pt, limits[i], g), E_OK);
                /* Worst alignment: the span straddles 2 MiB and 1 GiB lines. */
                uint64_t va = 0xFFFFFFFFBFFFF000ULL - spans[j] / 2;
                va &= ~(PG - 1);
                assert_int_equal(paging_map_range(&a->pt, va, 0x1000000, spans[j], 0), E_OK);
                arena_free(a);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_physical_2m),
        cmocka_unit_test(test_physical_1g_rounds_up),
        cmocka_unit_test(test_physical_beyond_512g),
        cmocka_unit_test(test_physical_errors),
        cmocka_unit_test(test_kernel_pages),
        cmocka_unit_test(test_kernel_no_nx_when_disabled),
        cmocka_unit_test(test_shared_page_gets_union),
        cmocka_unit_test(test_range_errors),
        cmocka_unit_test(test_pages_needed_is_enough),
    };
    return cmocka_run_group_tests_name("boot/uefi/paging", tests, NULL, NULL);
}
