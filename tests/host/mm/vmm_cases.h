/* VMM host-test cases shared by test_vmm_x86_64.c and test_vmm_riscv64.c:
 * the same behaviour checked over each arch's real arch/paging.h. Page
 * tables live in fake RAM; a fake table allocator can be told to fail. */
#ifndef TESTS_HOST_MM_VMM_CASES_H
#define TESTS_HOST_MM_VMM_CASES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_ram.h"
#include <arch/paging.h>
#include <arch/tlb.h>
#include <mm/vmm.h>

uintptr_t mm_direct_map_base;
FakeTlb fake_tlb;

#define MIB    0x100000ull
#define GIB    0x40000000ull
#define PG     MM_PAGE_SIZE
#define RW     (VMM_READ | VMM_WRITE)
#define KVA    0xFFFF900000000000ull /* a kernel-half test address */
#define POOL   256                   /* table pages available */
#define FRAMEA 0x80000000ull         /* mapped frames: never touched */

/* The fake table allocator: pages [1 MiB, 1 MiB + POOL pages) of fake RAM. */
static uint64_t pool_free[POOL];
static int pool_top;
static int tables_live;
static int fail_after; /* allocations left before E_NOMEM; < 0: never fail */

static Error pool_alloc(void *ctx, uint64_t *pa)
{
    if (fail_after == 0 || pool_top == 0)
        return E_NOMEM;
    if (fail_after > 0)
        fail_after--;
    *pa = pool_free[--pool_top];
    tables_live++;
    return E_OK;
}

static void pool_release(void *ctx, uint64_t pa)
{
    assert_true(pa >= MIB && pa < MIB + POOL * PG && pa % PG == 0);
    for (int i = 0; i < pool_top; i++)
        assert_true(pool_free[i] != pa); /* double free of a table */
    pool_free[pool_top++] = pa;
    tables_live--;
}

static uint64_t root;

static int vmm_setup(void **state)
{
    fake_ram_init(MIB + POOL * PG);
    pool_top = 0;
    for (int i = POOL - 1; i >= 0; i--)
        pool_free[pool_top++] = MIB + (uint64_t)i * PG;
    tables_live = 0;
    fail_after = -1;
    memset(&fake_tlb, 0, sizeof(fake_tlb));
    VmmTableAllocator a = {.alloc = pool_alloc, .free = pool_release, .ctx = NULL};
    vmm_set_table_allocator(&a);
    vmm_set_max_leaf_level(PT_MAX_LEAF_LEVEL);
    assert_int_equal(vmm_root_create(&root), E_OK);
    return 0;
}

static int vmm_teardown(void **state)
{
    fake_ram_fini();
    return 0;
}

/* The raw entry mapping va and its level, by walking with arch helpers. */
static Pte raw_leaf(uint64_t r, uint64_t va, int *level)
{
    Pte *t = phys_to_virt(r);
    for (int l = PT_TOP_LEVEL; l >= 0; l--) {
        Pte e = t[pt_index(va, l)];
        if (!arch_pte_present(e) || l == 0 || arch_pte_is_leaf(e, l)) {
            *level = l;
            return e;
        }
        t = phys_to_virt(arch_pte_addr(e, l));
    }
    return 0;
}

static Pte raw_root_entry(uint64_t va)
{
    Pte *t = phys_to_virt(root);
    return t[pt_index(va, PT_TOP_LEVEL)];
}

static void test_map_translate_unmap(void **state)
{
    uint64_t pa;
    unsigned flags;
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, RW), E_OK);
    assert_int_equal(tables_live, 4); /* root + 3 */
    assert_int_equal(fake_tlb.flush_new, 1);
    assert_int_equal(vmm_translate(root, KVA + 0x123, &pa, &flags), E_OK);
    assert_int_equal(pa, FRAMEA + 0x123);
    assert_int_equal(flags, RW);
    assert_int_equal(vmm_translate(root, KVA + PG, &pa, NULL), E_NOENT);
    assert_int_equal(vmm_unmap_page(root, KVA), E_OK);
    assert_int_equal(fake_tlb.flush_page, 1);
    assert_int_equal(fake_tlb.last_va, KVA);
    assert_int_equal(fake_tlb.flush_walk, 1);
    assert_int_equal(tables_live, 1); /* empty tables went back */
    assert_int_equal(raw_root_entry(KVA), 0);
    assert_int_equal(vmm_translate(root, KVA, &pa, NULL), E_NOENT);
    assert_int_equal(vmm_unmap_page(root, KVA), E_NOENT);
}

/* What the remote-flush hook saw: the SMP layer's view of an unmap. */
static int remote_calls;
static uint64_t remote_root, remote_va;
static bool remote_walk;

static void record_remote_flush(uint64_t r, uint64_t va, bool walk_freed)
{
    remote_calls++;
    remote_root = r;
    remote_va = va;
    remote_walk = walk_freed;
}

static void test_unmap_flushes_other_cpus(void **state)
{
    vmm_set_remote_flush(record_remote_flush);
    remote_calls = 0;
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, RW), E_OK);
    assert_int_equal(vmm_map_page(root, KVA + PG, FRAMEA + PG, RW), E_OK);
    assert_int_equal(remote_calls, 0); /* mapping needs no shootdown */
    assert_int_equal(vmm_unmap_page(root, KVA), E_OK);
    assert_int_equal(remote_calls, 1);
    assert_int_equal(remote_root, root);
    assert_int_equal(remote_va, KVA);
    assert_false(remote_walk); /* the neighbour keeps the tables */
    assert_int_equal(vmm_unmap_page(root, KVA + PG), E_OK);
    assert_int_equal(remote_calls, 2);
    assert_true(remote_walk); /* last page: tables freed */
    assert_int_equal(vmm_unmap_page(root, KVA), E_NOENT);
    assert_int_equal(remote_calls, 2); /* a refused unmap flushes nothing */
    vmm_set_remote_flush(NULL);
}

static void test_flags_round_trip(void **state)
{
    const unsigned sets[] = {
        VMM_READ,        RW, VMM_READ | VMM_EXEC, RW | VMM_USER, VMM_READ | VMM_EXEC | VMM_GLOBAL,
        RW | VMM_GLOBAL,
    };
    for (unsigned i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        uint64_t va = KVA + i * PG, pa;
        unsigned flags;
        assert_int_equal(vmm_map_page(root, va, FRAMEA + i * PG, sets[i]), E_OK);
        assert_int_equal(vmm_translate(root, va, &pa, &flags), E_OK);
        assert_int_equal(flags, sets[i]);
    }
}

static void test_neighbours_keep_tables(void **state)
{
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, RW), E_OK);
    assert_int_equal(vmm_map_page(root, KVA + PG, FRAMEA + PG, RW), E_OK);
    assert_int_equal(tables_live, 4);
    assert_int_equal(vmm_unmap_page(root, KVA), E_OK);
    assert_int_equal(tables_live, 4);
    assert_int_equal(fake_tlb.flush_walk, 0);
    assert_int_equal(vmm_unmap_page(root, KVA), E_NOENT); /* table present, entry empty */
    assert_int_equal(vmm_unmap_page(root, KVA + PG), E_OK);
    assert_int_equal(tables_live, 1);
}

static void test_map_errors(void **state)
{
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, RW | 0x100), E_INVAL);
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, VMM_WRITE), E_INVAL);
    assert_int_equal(vmm_map(root, KVA, FRAMEA, 8192, RW), E_INVAL);
    assert_int_equal(vmm_map_page(root, KVA + 8, FRAMEA, RW), E_ALIGN);
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA + 8, RW), E_ALIGN);
    assert_int_equal(vmm_map(root, KVA + PG, FRAMEA, MM_SIZE_2M, RW), E_ALIGN);
    assert_int_equal(vmm_map(root, KVA, FRAMEA + PG, MM_SIZE_1G, RW), E_ALIGN);
    assert_int_equal(vmm_map_page(root, 0x0000800000000000ull, FRAMEA, RW), E_RANGE);
    assert_int_equal(vmm_map_page(root, 0xFFFF7FFFFFFFF000ull, FRAMEA, RW), E_RANGE);
    assert_int_equal(vmm_map_page(root, KVA, ARCH_PHYS_ADDR_LIMIT, RW), E_RANGE);
    assert_int_equal(vmm_map_page(root, KVA, ARCH_PHYS_ADDR_LIMIT - PG, RW), E_OK);
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, RW), E_EXIST);
    assert_int_equal(vmm_translate(root, 0x0000800000000000ull, &(uint64_t){0}, NULL), E_RANGE);
    assert_int_equal(vmm_unmap_page(root, 0x0000800000000000ull), E_RANGE);
    assert_int_equal(tables_live, 4);
}

static void test_large_pages(void **state)
{
    uint64_t pa;
    int level;
    assert_int_equal(vmm_map(root, KVA, 2 * GIB, MM_SIZE_1G, RW), E_OK);
    assert_int_equal(vmm_map(root, KVA + GIB, 4 * GIB, MM_SIZE_2M, VMM_READ), E_OK);
    assert_int_equal(tables_live, 3); /* root, level 2, level 1 for the 2 MiB leaf */
    raw_leaf(root, KVA, &level);
    assert_int_equal(level, 2);
    raw_leaf(root, KVA + GIB, &level);
    assert_int_equal(level, 1);
    assert_int_equal(vmm_translate(root, KVA + 0x12345678, &pa, NULL), E_OK);
    assert_int_equal(pa, 2 * GIB + 0x12345678);
    assert_int_equal(vmm_translate(root, KVA + GIB + 0x1FFFFF, &pa, NULL), E_OK);
    assert_int_equal(pa, 4 * GIB + 0x1FFFFF);
    /* Inside a large page nothing else maps; a table is not replaced. */
    assert_int_equal(vmm_map_page(root, KVA + 5 * PG, FRAMEA, RW), E_EXIST);
    assert_int_equal(vmm_map(root, KVA, 2 * GIB, MM_SIZE_2M, RW), E_EXIST);
    assert_int_equal(vmm_map(root, KVA + GIB, 0, MM_SIZE_1G, RW), E_EXIST);
    assert_int_equal(vmm_unmap_page(root, KVA + PG), E_ALIGN);
    assert_int_equal(vmm_unmap_page(root, KVA), E_OK);
    assert_int_equal(vmm_unmap_page(root, KVA + GIB), E_OK);
    assert_int_equal(tables_live, 1);
}

static void test_max_leaf_level(void **state)
{
    vmm_set_max_leaf_level(1);
    assert_int_equal(vmm_map(root, KVA, 0, MM_SIZE_1G, RW), E_INVAL);
    assert_int_equal(vmm_map_range(root, KVA, 0, GIB, RW, true), E_OK);
    int level;
    raw_leaf(root, KVA + GIB - PG, &level);
    assert_int_equal(level, 1);
    assert_int_equal(vmm_unmap_range(root, KVA, GIB), E_OK);
    vmm_set_max_leaf_level(-3);
    assert_int_equal(vmm_map(root, KVA, 0, MM_SIZE_2M, RW), E_INVAL);
    vmm_set_max_leaf_level(99);
    assert_int_equal(vmm_map(root, KVA, 0, MM_SIZE_1G, RW), E_OK);
    assert_int_equal(tables_live, 2);
}

static void test_nomem_leaves_nothing(void **state)
{
    for (int budget = 0; budget < 3; budget++) {
        fail_after = budget;
        assert_int_equal(vmm_map_page(root, KVA, FRAMEA, RW), E_NOMEM);
        assert_int_equal(tables_live, 1);
        assert_int_equal(raw_root_entry(KVA), 0);
    }
    /* With part of the path present only the new tables go. */
    fail_after = -1;
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, RW), E_OK);
    fail_after = 0;
    assert_int_equal(vmm_map_page(root, KVA + MM_SIZE_2M, FRAMEA, RW), E_NOMEM);
    assert_int_equal(tables_live, 4);
    fail_after = 1;
    assert_int_equal(vmm_map_page(root, KVA + GIB, FRAMEA, RW), E_NOMEM);
    assert_int_equal(tables_live, 4);
    uint64_t pa;
    assert_int_equal(vmm_translate(root, KVA, &pa, NULL), E_OK);
    /* No allocator installed at all. */
    VmmTableAllocator none = {0};
    vmm_set_table_allocator(&none);
    assert_int_equal(vmm_root_create(&pa), E_NOMEM);
    assert_int_equal(vmm_space_create(root, &pa), E_NOMEM);
}

static void test_map_range_large_and_rollback(void **state)
{
    /* 4 KiB head, 2 MiB pages, one 1 GiB page, 2 MiB and 4 KiB tail. */
    uint64_t va = KVA + GIB - MM_SIZE_2M - PG;
    uint64_t pa0 = 8 * GIB - MM_SIZE_2M - PG;
    uint64_t size = PG + MM_SIZE_2M + GIB + MM_SIZE_2M + PG;
    assert_int_equal(vmm_map_range(root, va, pa0, size, RW | VMM_GLOBAL, true), E_OK);
    int level;
    raw_leaf(root, va, &level);
    assert_int_equal(level, 0);
    raw_leaf(root, va + PG, &level);
    assert_int_equal(level, 1);
    raw_leaf(root, va + PG + MM_SIZE_2M, &level);
    assert_int_equal(level, 2);
    raw_leaf(root, va + size - PG, &level);
    assert_int_equal(level, 0);
    for (uint64_t off = 0; off < size; off += 0x3FF000) {
        uint64_t pa;
        unsigned flags;
        assert_int_equal(vmm_translate(root, va + off, &pa, &flags), E_OK);
        assert_int_equal(pa, pa0 + off);
        assert_int_equal(flags, RW | VMM_GLOBAL);
    }
    assert_int_equal(vmm_unmap_range(root, va, size), E_OK);
    assert_int_equal(tables_live, 1);

    /* Small pages only; running out half-way unmaps what was done. */
    assert_int_equal(vmm_map_range(root, KVA, 0, 8 * PG, RW, false), E_OK);
    raw_leaf(root, KVA, &level);
    assert_int_equal(level, 0);
    assert_int_equal(vmm_unmap_range(root, KVA, 8 * PG), E_OK);
    fail_after = 3; /* enough for the first table path, not for the second */
    assert_int_equal(vmm_map_range(root, KVA + MM_SIZE_2M - 2 * PG, 0, 4 * PG, RW, false), E_NOMEM);
    assert_int_equal(tables_live, 1);
    fail_after = -1;
    assert_int_equal(vmm_map_page(root, KVA + 2 * PG, 0, RW), E_OK);
    assert_int_equal(vmm_map_range(root, KVA, 0, 4 * PG, RW, false), E_EXIST);
    assert_int_equal(vmm_translate(root, KVA, &(uint64_t){0}, NULL), E_NOENT);
}

static void test_range_errors(void **state)
{
    assert_int_equal(vmm_map_range(root, KVA, 0, 0, RW, true), E_INVAL);
    assert_int_equal(vmm_map_range(root, KVA + 1, 0, PG, RW, true), E_ALIGN);
    assert_int_equal(vmm_map_range(root, KVA, 0, PG + 1, RW, true), E_ALIGN);
    assert_int_equal(vmm_map_range(root, 0x00007FFFFFFFF000ull, 0, 2 * PG, RW, true), E_RANGE);
    assert_int_equal(vmm_map_range(root, 0xFFFFFFFFFFFFF000ull, 0, 2 * PG, RW, true), E_RANGE);
    assert_int_equal(vmm_map_range(root, KVA, ARCH_PHYS_ADDR_LIMIT - PG, 2 * PG, RW, true),
                     E_RANGE);
    assert_int_equal(vmm_unmap_range(root, KVA, 0), E_INVAL);
    assert_int_equal(vmm_unmap_range(root, KVA + 4, PG), E_ALIGN);
    assert_int_equal(vmm_unmap_range(root, 0x00007FFFFFFFF000ull, 2 * PG), E_RANGE);
    assert_int_equal(vmm_unmap_range(root, KVA, GIB), E_NOENT);
}

static void test_unmap_range_holes_and_large(void **state)
{
    assert_int_equal(vmm_map_page(root, KVA + PG, 0, RW), E_OK);
    assert_int_equal(vmm_map_page(root, KVA + 5 * PG, 0, RW), E_OK);
    assert_int_equal(vmm_map(root, KVA + 4 * MM_SIZE_2M, 0, MM_SIZE_2M, RW), E_OK);
    assert_int_equal(vmm_map_page(root, KVA + 3 * GIB, 0, RW), E_OK);
    /* A large leaf sticking out of the range: refused before any change. */
    assert_int_equal(vmm_unmap_range(root, KVA, 4 * MM_SIZE_2M + PG), E_ALIGN);
    assert_int_equal(vmm_unmap_range(root, KVA + 4 * MM_SIZE_2M + PG, PG), E_ALIGN);
    uint64_t pa;
    assert_int_equal(vmm_translate(root, KVA + PG, &pa, NULL), E_OK);
    assert_int_equal(vmm_unmap_range(root, KVA, 4 * GIB), E_OK);
    assert_int_equal(vmm_translate(root, KVA + 3 * GIB, &pa, NULL), E_NOENT);
    assert_int_equal(tables_live, 1);
    /* The last page of the address space: the scan ends without wrapping. */
    assert_int_equal(vmm_map_page(root, 0xFFFFFFFFFFFFF000ull, 0, RW), E_OK);
    assert_int_equal(vmm_unmap_range(root, 0xFFFFFFFFFFE00000ull, MM_SIZE_2M), E_OK);
    assert_int_equal(tables_live, 1);
}

static void test_spaces_share_kernel_half(void **state)
{
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, RW | VMM_GLOBAL), E_OK);
    int before = tables_live;
    uint64_t user;
    assert_int_equal(vmm_space_create(root, &user), E_OK);
    uint64_t pa;
    assert_int_equal(vmm_translate(user, KVA, &pa, NULL), E_OK);
    assert_int_equal(pa, FRAMEA);
    assert_int_equal(vmm_map_page(user, 0x400000, FRAMEA + PG, RW | VMM_USER), E_OK);
    assert_int_equal(vmm_map(user, 0x40000000, 0, MM_SIZE_1G, RW | VMM_USER), E_OK);
    assert_int_equal(vmm_map(user, 0x80000000, 0, MM_SIZE_2M, RW | VMM_USER), E_OK);
    assert_int_equal(vmm_translate(root, 0x400000, &pa, NULL), E_NOENT);
    vmm_space_destroy(user);
    assert_int_equal(tables_live, before);
    assert_int_equal(vmm_translate(root, KVA, &pa, NULL), E_OK);
}

/* Leaves seen by vmm_space_destroy_leaves / vmm_unmap_range_leaves. */
static uint64_t leaf_bytes;
static int leaf_count;
static uint64_t leaf_last_pa;

static void count_leaf(void *ctx, uint64_t pa, uint64_t size)
{
    (void)ctx;
    leaf_bytes += size;
    leaf_count++;
    leaf_last_pa = pa;
}

static void test_destroy_reports_every_leaf(void **state)
{
    assert_int_equal(vmm_map_page(root, KVA, FRAMEA, RW | VMM_GLOBAL), E_OK);
    int before = tables_live;
    uint64_t user;
    assert_int_equal(vmm_space_create(root, &user), E_OK);
    assert_int_equal(vmm_map_page(user, 0x400000, FRAMEA + PG, RW | VMM_USER), E_OK);
    assert_int_equal(vmm_map_page(user, 0x401000, FRAMEA + 2 * PG, RW | VMM_USER), E_OK);
    assert_int_equal(vmm_map(user, 0x80000000, FRAMEA, MM_SIZE_2M, RW | VMM_USER), E_OK);
    assert_int_equal(vmm_map(user, 0x40000000, 0, MM_SIZE_1G, RW | VMM_USER), E_OK);
    assert_int_equal(vmm_map_page(user, 0x7FFFFFFFE000ull, FRAMEA + 5 * PG, RW | VMM_USER), E_OK);
    leaf_bytes = 0;
    leaf_count = 0;
    vmm_space_destroy_leaves(user, count_leaf, NULL);
    assert_int_equal(leaf_count, 5);
    assert_int_equal(leaf_bytes, 3 * PG + MM_SIZE_2M + MM_SIZE_1G);
    assert_int_equal(leaf_last_pa, FRAMEA + 5 * PG); /* walked in address order */
    assert_int_equal(tables_live, before);           /* every table freed */
    /* The kernel half is the kernel's: untouched. */
    uint64_t pa;
    assert_int_equal(vmm_translate(root, KVA, &pa, NULL), E_OK);
}

static void test_unmap_range_reports_leaves(void **state)
{
    assert_int_equal(vmm_map_page(root, 0x400000, FRAMEA, RW), E_OK);
    assert_int_equal(vmm_map_page(root, 0x403000, FRAMEA + PG, RW), E_OK);
    leaf_bytes = 0;
    leaf_count = 0;
    assert_int_equal(vmm_unmap_range_leaves(root, 0x400000, 8 * PG, count_leaf, NULL), E_OK);
    assert_int_equal(leaf_count, 2);
    assert_int_equal(leaf_last_pa, FRAMEA + PG);
    assert_int_equal(vmm_unmap_range_leaves(root, 0x400000, 8 * PG, count_leaf, NULL), E_NOENT);
    assert_int_equal(leaf_count, 2);
}

#define VMM_COMMON_TESTS                                                                           \
    cmocka_unit_test_setup_teardown(test_map_translate_unmap, vmm_setup, vmm_teardown),            \
        cmocka_unit_test_setup_teardown(test_unmap_flushes_other_cpus, vmm_setup, vmm_teardown),   \
        cmocka_unit_test_setup_teardown(test_flags_round_trip, vmm_setup, vmm_teardown),           \
        cmocka_unit_test_setup_teardown(test_neighbours_keep_tables, vmm_setup, vmm_teardown),     \
        cmocka_unit_test_setup_teardown(test_map_errors, vmm_setup, vmm_teardown),                 \
        cmocka_unit_test_setup_teardown(test_large_pages, vmm_setup, vmm_teardown),                \
        cmocka_unit_test_setup_teardown(test_max_leaf_level, vmm_setup, vmm_teardown),             \
        cmocka_unit_test_setup_teardown(test_nomem_leaves_nothing, vmm_setup, vmm_teardown),       \
        cmocka_unit_test_setup_teardown(test_map_range_large_and_rollback, vmm_setup,              \
                                        vmm_teardown),                                             \
        cmocka_unit_test_setup_teardown(test_range_errors, vmm_setup, vmm_teardown),               \
        cmocka_unit_test_setup_teardown(test_unmap_range_holes_and_large, vmm_setup,               \
                                        vmm_teardown),                                             \
        cmocka_unit_test_setup_teardown(test_spaces_share_kernel_half, vmm_setup, vmm_teardown),   \
        cmocka_unit_test_setup_teardown(test_destroy_reports_every_leaf, vmm_setup, vmm_teardown), \
        cmocka_unit_test_setup_teardown(test_unmap_range_reports_leaves, vmm_setup, vmm_teardown)

#endif
