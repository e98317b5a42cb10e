// Host tests of the slab allocator over an fba in a host buffer: size
// classes, slab growth and release, exhaustion, bad pointers, double frees.
// TEST_SOURCES: kernel/mm/slab.c kernel/mm/fba.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mm/slab.h>

#define PG    MM_PAGE_SIZE
#define PAGES 33 /* bitmap + 32 blocks */

static uint8_t *area;
static Fba fba;

static int setup(void **state)
{
    area = aligned_alloc(PG, PAGES * PG);
    memset(area, 0x5A, PAGES * PG);
    assert_int_equal(fba_init(&fba, area, PAGES), E_OK);
    return 0;
}

static int teardown(void **state)
{
    free(area);
    return 0;
}

static void test_free_before_init(void **state)
{
    int x;
    assert_int_equal(slab_free(&x), E_INVAL);
}

static void test_cache_init_errors(void **state)
{
    SlabCache c;
    assert_int_equal(slab_cache_init(&c, &fba, 0), E_INVAL);
    assert_int_equal(slab_cache_init(&c, NULL, 64), E_INVAL);
    assert_int_equal(slab_cache_init(&c, &fba, PG), E_INVAL);
    assert_int_equal(slab_cache_init(&c, &fba, 20), E_OK);
    assert_int_equal(c.obj_size, 32); /* rounded to the 16-byte alignment */
}

static void test_cache_grow_and_release(void **state)
{
    SlabCache c;
    assert_int_equal(slab_cache_init(&c, &fba, 100), E_OK);
    size_t n = c.per_slab * 3 + 1;
    void **objs = calloc(n, sizeof(void *));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(slab_cache_alloc(&c, &objs[i]), E_OK);
        assert_true((uintptr_t)objs[i] % 16 == 0);
        memset(objs[i], (int)i, 100);
    }
    assert_int_equal(c.slabs, 4);
    assert_int_equal(c.in_use, n);
    assert_int_equal(fba_free_count(&fba), 32 - 4);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *b = objs[i];
        for (int k = 0; k < 100; k++)
            assert_int_equal(b[k], (uint8_t)i);
    }
    /* Freeing from a full slab moves it to partial; the last object of a
     * slab returns its page. */
    assert_int_equal(slab_cache_free(&c, objs[0]), E_OK);
    assert_int_equal(slab_cache_alloc(&c, &objs[0]), E_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(slab_cache_free(&c, objs[i]), E_OK);
    assert_int_equal(c.slabs, 0);
    assert_int_equal(c.in_use, 0);
    assert_int_equal(fba_free_count(&fba), 32);
    free(objs);
}

static void test_bad_pointers_and_double_free(void **state)
{
    SlabCache a, b;
    assert_int_equal(slab_cache_init(&a, &fba, 64), E_OK);
    assert_int_equal(slab_cache_init(&b, &fba, 64), E_OK);
    void *x, *y, *raw;
    assert_int_equal(slab_cache_alloc(&a, &x), E_OK);
    assert_int_equal(slab_cache_alloc(&a, &y), E_OK);
    assert_int_equal(fba_alloc(&fba, &raw), E_OK);
    memset(raw, 0, PG);
    int local;
    assert_int_equal(slab_cache_free(&a, &local), E_INVAL);         /* not in the fba */
    assert_int_equal(slab_cache_free(&a, raw), E_INVAL);            /* fba page, not a slab */
    assert_int_equal(slab_cache_free(&b, x), E_INVAL);              /* other cache */
    assert_int_equal(slab_cache_free(&a, (char *)x + 16), E_INVAL); /* inside an object */
    uintptr_t page = (uintptr_t)x & ~(uintptr_t)(PG - 1);
    assert_int_equal(slab_cache_free(&a, (void *)page), E_INVAL);             /* the header */
    assert_int_equal(slab_cache_free(&a, (void *)(page + PG - 16)), E_INVAL); /* tail slack */
    assert_int_equal(slab_cache_free(&a, (char *)y + 64), E_INVAL);           /* never allocated */
    assert_int_equal(slab_cache_free(&a, x), E_OK);
    assert_int_equal(slab_cache_free(&a, x), E_INVAL);
    assert_int_equal(a.in_use, 1);
    assert_int_equal(slab_cache_free(&a, y), E_OK);
    /* The slab's page went back: a stale pointer is no longer a slab. */
    assert_int_equal(slab_cache_free(&a, y), E_INVAL);
    assert_int_equal(fba_free(&fba, raw), E_OK);
}

static void test_exhaustion(void **state)
{
    SlabCache c;
    assert_int_equal(slab_cache_init(&c, &fba, 2048), E_OK);
    assert_int_equal(c.per_slab, 1);
    void *objs[32], *p;
    for (int i = 0; i < 32; i++)
        assert_int_equal(slab_cache_alloc(&c, &objs[i]), E_OK);
    assert_int_equal(slab_cache_alloc(&c, &p), E_NOMEM);
    for (int i = 0; i < 32; i++)
        assert_int_equal(slab_cache_free(&c, objs[i]), E_OK);
    assert_int_equal(fba_free_count(&fba), 32);
}

static void test_generic_classes(void **state)
{
    assert_int_equal(slab_init(&fba), E_OK);
    void *p, *q;
    assert_int_equal(slab_alloc(0, &p), E_INVAL);
    assert_int_equal(slab_alloc(SLAB_MAX_SIZE + 1, &p), E_INVAL);
    const size_t sizes[] = {1, 16, 17, 100, 128, 500, 1024, 1025, 2048};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        assert_int_equal(slab_alloc(sizes[i], &p), E_OK);
        assert_int_equal(slab_alloc(sizes[i], &q), E_OK);
        memset(p, 1, sizes[i]);
        memset(q, 2, sizes[i]);
        size_t gap = p > q ? (size_t)((char *)p - (char *)q) : (size_t)((char *)q - (char *)p);
        assert_true(gap >= sizes[i]);
        assert_int_equal(slab_free(p), E_OK);
        assert_int_equal(slab_free(q), E_OK);
        assert_int_equal(slab_free(q), E_INVAL);
    }
    assert_int_equal(slab_pages_in_use(), 0);
    assert_int_equal(fba_free_count(&fba), 32);
    /* A slab of a private cache is not the generic allocator's. */
    SlabCache own;
    assert_int_equal(slab_cache_init(&own, &fba, 48), E_OK);
    assert_int_equal(slab_cache_alloc(&own, &p), E_OK);
    assert_int_equal(slab_free(p), E_INVAL);
    assert_int_equal(slab_cache_free(&own, p), E_OK);
    int local;
    assert_int_equal(slab_free(&local), E_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_free_before_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_init_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_grow_and_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_pointers_and_double_free, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exhaustion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generic_classes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
