// Host tests of the fixed-block allocator over a host buffer: exhaustion,
// reuse, the bitmap's word skipping, bad and double frees.
// TEST_SOURCES: kernel/mm/fba.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mm/fba.h>

#define PG MM_PAGE_SIZE

static uint8_t *area;
static Fba fba;

static int setup(void **state)
{
    area = aligned_alloc(PG, 201 * PG);
    return 0;
}

static int teardown(void **state)
{
    free(area);
    return 0;
}

static void test_init_errors(void **state)
{
    assert_int_equal(fba_init(&fba, NULL, 4), E_INVAL);
    assert_int_equal(fba_init(&fba, area + 8, 4), E_ALIGN);
    assert_int_equal(fba_init(&fba, area, 1), E_INVAL); /* only room for the bitmap */
    assert_int_equal(fba_init(&fba, area, 0), E_INVAL);
    assert_int_equal(fba_init(&fba, area, 2), E_OK);
    assert_int_equal(fba_free_count(&fba), 1);
}

static void test_alloc_all_free_all(void **state)
{
    assert_int_equal(fba_init(&fba, area, 201), E_OK);
    assert_int_equal(fba_free_count(&fba), 200);
    static void *blocks[200];
    for (int i = 0; i < 200; i++) {
        assert_int_equal(fba_alloc(&fba, &blocks[i]), E_OK);
        assert_true((uintptr_t)blocks[i] % PG == 0);
        assert_ptr_equal(blocks[i], area + (i + 1) * PG); /* the bitmap is page 0 */
        assert_true(fba_owns(&fba, (char *)blocks[i] + 100));
        memset(blocks[i], 0xCC, PG);
    }
    void *p;
    assert_int_equal(fba_alloc(&fba, &p), E_NOMEM);
    assert_int_equal(fba_free_count(&fba), 0);
    /* A hole low down is found again even after the hint moved past it,
     * skipping full bitmap words on the way. */
    assert_int_equal(fba_free(&fba, blocks[150]), E_OK);
    assert_int_equal(fba_alloc(&fba, &p), E_OK);
    assert_ptr_equal(p, blocks[150]);
    assert_int_equal(fba_free(&fba, blocks[3]), E_OK);
    assert_int_equal(fba_free(&fba, blocks[190]), E_OK);
    assert_int_equal(fba_alloc(&fba, &p), E_OK);
    assert_ptr_equal(p, blocks[3]);
    assert_int_equal(fba_alloc(&fba, &p), E_OK);
    assert_ptr_equal(p, blocks[190]);
    for (int i = 0; i < 200; i++)
        assert_int_equal(fba_free(&fba, blocks[i]), E_OK);
    assert_int_equal(fba_free_count(&fba), 200);
}

static void test_bad_and_double_frees(void **state)
{
    assert_int_equal(fba_init(&fba, area, 9), E_OK);
    void *p;
    assert_int_equal(fba_alloc(&fba, &p), E_OK);
    assert_int_equal(fba_free(&fba, (char *)p + 8), E_INVAL);
    assert_int_equal(fba_free(&fba, area), E_INVAL); /* the bitmap page */
    assert_int_equal(fba_free(&fba, area + 9 * PG), E_INVAL);
    assert_int_equal(fba_free(&fba, area + 2 * PG), E_INVAL); /* never allocated */
    assert_false(fba_owns(&fba, area + 2 * PG));
    assert_false(fba_owns(&fba, area));
    assert_int_equal(fba_free_count(&fba), 7);
    assert_int_equal(fba_free(&fba, p), E_OK);
    assert_int_equal(fba_free(&fba, p), E_INVAL);
    assert_int_equal(fba_free_count(&fba), 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_all_free_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_and_double_frees, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
