// Host tests for the riscv64 IPI pending mask (ipi_mask.h): posting, taking
// and the order in which the kinds are handed to irq_ipi.
// TEST_SOURCES:
// TEST_CFLAGS: -Ikernel/arch/riscv64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../../../kernel/arch/riscv64/ipi_mask.h"

/* Takes the mask and returns the kinds in delivery order, -1 terminated. */
static void deliver(uint32_t *pending, int *out)
{
    uint32_t mask = riscv_ipi_mask_take(pending);
    IpiKind kind;
    int n = 0;
    while (riscv_ipi_mask_next(&mask, &kind)) {
        out[n++] = kind;
    }
    out[n] = -1;
    assert_int_equal(mask, 0);
}

static void test_post_and_take(void **state)
{
    uint32_t pending = 0;
    assert_true(riscv_ipi_mask_post(&pending, IPI_WORK));
    assert_int_equal(pending, 1u << IPI_WORK);
    assert_true(riscv_ipi_mask_post(&pending, IPI_RESCHEDULE));
    assert_int_equal(riscv_ipi_mask_take(&pending), (1u << IPI_WORK) | (1u << IPI_RESCHEDULE));
    assert_int_equal(pending, 0);
    assert_int_equal(riscv_ipi_mask_take(&pending), 0);
}

/* Kinds sent again before the target runs are delivered once. */
static void test_repeat_merges(void **state)
{
    uint32_t pending = 0;
    int out[8];
    for (int i = 0; i < 5; i++) {
        riscv_ipi_mask_post(&pending, IPI_WORK);
    }
    deliver(&pending, out);
    assert_int_equal(out[0], IPI_WORK);
    assert_int_equal(out[1], -1);
}

static void test_bad_kind(void **state)
{
    uint32_t pending = 0;
    assert_false(riscv_ipi_mask_post(&pending, IPI_KIND_COUNT));
    assert_false(riscv_ipi_mask_post(&pending, (IpiKind)-1));
    assert_int_equal(pending, 0);
}

/* HALT first, then WORK, then RESCHEDULE, whatever the posting order. */
static void test_order(void **state)
{
    uint32_t pending = 0;
    int out[8];
    riscv_ipi_mask_post(&pending, IPI_RESCHEDULE);
    riscv_ipi_mask_post(&pending, IPI_WORK);
    riscv_ipi_mask_post(&pending, IPI_HALT);
    deliver(&pending, out);
    assert_int_equal(out[0], IPI_HALT);
    assert_int_equal(out[1], IPI_WORK);
    assert_int_equal(out[2], IPI_RESCHEDULE);
    assert_int_equal(out[3], -1);

    riscv_ipi_mask_post(&pending, IPI_RESCHEDULE);
    riscv_ipi_mask_post(&pending, IPI_WORK);
    deliver(&pending, out);
    assert_int_equal(out[0], IPI_WORK);
    assert_int_equal(out[1], IPI_RESCHEDULE);
    assert_int_equal(out[2], -1);
}

/* Stray bits (a kind this kernel does not know) are dropped, not looped on. */
static void test_unknown_bits_dropped(void **state)
{
    uint32_t pending = 0x80000000u | (1u << IPI_KIND_COUNT) | (1u << IPI_RESCHEDULE);
    int out[8];
    deliver(&pending, out);
    assert_int_equal(out[0], IPI_RESCHEDULE);
    assert_int_equal(out[1], -1);
    uint32_t mask = 1u << 7;
    IpiKind kind;
    assert_false(riscv_ipi_mask_next(&mask, &kind));
    assert_int_equal(mask, 0);
}

/* A post after the take is kept for the next interrupt (the target
 * clears SSIP before taking, so that post also raised it again). */
static void test_post_after_take_kept(void **state)
{
    uint32_t pending = 0;
    riscv_ipi_mask_post(&pending, IPI_WORK);
    uint32_t mask = riscv_ipi_mask_take(&pending);
    riscv_ipi_mask_post(&pending, IPI_WORK);
    assert_int_equal(mask, 1u << IPI_WORK);
    assert_int_equal(pending, 1u << IPI_WORK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_post_and_take),
        cmocka_unit_test(test_repeat_merges),
        cmocka_unit_test(test_bad_kind),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_unknown_bits_dropped),
        cmocka_unit_test(test_post_after_take_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
