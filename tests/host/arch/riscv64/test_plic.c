// Host tests for the PLIC programming (plic.c) on a register window faked in
// host memory: reset, enables, handler registration and the claim loop.
// TEST_SOURCES: kernel/arch/riscv64/plic.c
// TEST_CFLAGS: -Ikernel/arch/riscv64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../../../kernel/arch/riscv64/plic.h"

#define WINDOW 0x600000u /* QEMU virt's PLIC reg size */

static int log_count;
void klog_write(int level, const char *subsys, const char *fmt, ...)
{
    log_count++;
}

static Plic *plic;
static uint8_t *window;

static uint32_t reg(uint64_t offset)
{
    return *(uint32_t *)(window + offset);
}

static void set_reg(uint64_t offset, uint32_t v)
{
    *(uint32_t *)(window + offset) = v;
}

static uint64_t claim_reg(uint32_t context)
{
    return PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * (uint64_t)context + PLIC_CLAIM;
}

static int setup(void **state)
{
    window = malloc(WINDOW);
    memset(window, 0xAB, WINDOW);
    plic = calloc(1, sizeof(*plic));
    plic->regs = window;
    plic->size = WINDOW;
    plic->ndev = 96;
    log_count = 0;
    return 0;
}

static int teardown(void **state)
{
    free(window);
    free(plic);
    return 0;
}

static RiscvHartList two_harts(void)
{
    RiscvHartList list = {.count = 2};
    list.harts[0] = (RiscvHart){.hart_id = 0, .plic_context = 1};
    list.harts[1] = (RiscvHart){.hart_id = 1, .plic_context = 3};
    return list;
}

/* Reset silences every source and the harts' S contexts, and leaves the
 * M contexts (0, 2) to the firmware. */
static void test_reset(void **state)
{
    RiscvHartList list = two_harts();
    plic_reset(plic, &list);
    for (uint32_t s = 1; s <= 96; s++) {
        assert_int_equal(reg(4 * s), 0);
    }
    assert_int_equal(reg(4 * 97), 0xABABABAB);
    for (uint32_t ctx = 1; ctx <= 3; ctx += 2) {
        for (uint32_t w = 0; w < 4; w++) {
            assert_int_equal(reg(PLIC_ENABLE_BASE + 0x80 * ctx + 4 * w), 0);
        }
        assert_int_equal(reg(PLIC_CONTEXT_BASE + 0x1000 * ctx), 0);
    }
    assert_int_equal(reg(PLIC_ENABLE_BASE + 0x80 * 0), 0xABABABAB);
    assert_int_equal(reg(PLIC_ENABLE_BASE + 0x80 * 2), 0xABABABAB);
    assert_int_equal(reg(PLIC_CONTEXT_BASE + 0x1000 * 2), 0xABABABAB);
    assert_int_equal(list.harts[1].plic_context, 3);
}

/* A context whose registers lie past the window is dropped, not written. */
static void test_context_outside_window(void **state)
{
    RiscvHartList list = two_harts();
    uint32_t last = (WINDOW - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE - 1;
    list.harts[0].plic_context = last;
    list.harts[1].plic_context = last + 1;
    assert_true(plic_context_fits(plic, last));
    assert_false(plic_context_fits(plic, last + 1));
    assert_false(plic_context_fits(plic, RISCV_PLIC_NO_CONTEXT));
    plic_reset(plic, &list);
    assert_int_equal(list.harts[0].plic_context, last);
    assert_int_equal(list.harts[1].plic_context, RISCV_PLIC_NO_CONTEXT);
}

static void test_enable_bits(void **state)
{
    RiscvHartList list = two_harts();
    plic_reset(plic, &list);
    plic_set_enabled(plic, 3, 10, true);
    plic_set_enabled(plic, 3, 33, true);
    plic_set_enabled(plic, 3, 95, true);
    assert_int_equal(reg(PLIC_ENABLE_BASE + 0x80 * 3), 1u << 10);
    assert_int_equal(reg(PLIC_ENABLE_BASE + 0x80 * 3 + 4), 1u << 1);
    assert_int_equal(reg(PLIC_ENABLE_BASE + 0x80 * 3 + 8), 1u << 31);
    plic_set_enabled(plic, 3, 10, false);
    assert_int_equal(reg(PLIC_ENABLE_BASE + 0x80 * 3), 0);
    assert_int_equal(reg(PLIC_ENABLE_BASE + 0x80 * 1), 0);
    plic_set_priority(plic, 10, 7);
    assert_int_equal(reg(40), 7);
    plic_set_threshold(plic, 3, 2);
    assert_int_equal(reg(PLIC_CONTEXT_BASE + 0x3000), 2);
}

static uint32_t seen_source;
static void *seen_arg;
static int calls;

/* In the fake, claim and complete are one plain word: completion writes the
 * source back, so a claimed source reads as still pending (a device that
 * keeps its line asserted) until the test clears it. */
static void handler(uint32_t source, void *arg)
{
    seen_source = source;
    seen_arg = arg;
    calls++;
}

static void test_set_handler_errors(void **state)
{
    PlicHandler h = {.fn = handler, .arg = NULL};
    assert_int_equal(plic_set_handler(plic, 0, h), E_INVAL);
    assert_int_equal(plic_set_handler(plic, 97, h), E_INVAL);
    assert_int_equal(plic_set_handler(plic, 5, (PlicHandler){.fn = NULL}), E_INVAL);
    assert_int_equal(plic_set_handler(plic, 96, h), E_OK);
    assert_int_equal(plic_set_handler(plic, 96, h), E_BUSY);
}

static void test_claim_dispatch(void **state)
{
    int token;
    calls = 0;
    assert_int_equal(plic_set_handler(plic, 10, (PlicHandler){.fn = handler, .arg = &token}), E_OK);
    set_reg(claim_reg(3), 10);
    assert_int_equal(plic_handle(plic, 3), PLIC_MAX_CLAIMS);
    assert_int_equal(calls, PLIC_MAX_CLAIMS);
    assert_int_equal(seen_source, 10);
    assert_ptr_equal(seen_arg, &token);
    /* Completion writes the source number back. */
    assert_int_equal(reg(claim_reg(3)), 10);
    assert_int_equal(log_count, 0);

    /* Nothing pending: no handler runs, nothing is completed. */
    set_reg(claim_reg(3), 0);
    assert_int_equal(plic_handle(plic, 3), 0);
    assert_int_equal(calls, PLIC_MAX_CLAIMS);
    assert_int_equal(reg(claim_reg(3)), 0);
}

/* A source without handler (or beyond ndev) is completed and reported once;
 * a source that stays asserted ends the loop after PLIC_MAX_CLAIMS. */
static void test_unhandled_source(void **state)
{
    set_reg(claim_reg(3), 20);
    assert_int_equal(plic_handle(plic, 3), PLIC_MAX_CLAIMS);
    assert_int_equal(reg(claim_reg(3)), 20);
    assert_int_equal(log_count, 1);
    set_reg(claim_reg(3), 500);
    assert_int_equal(plic_handle(plic, 3), PLIC_MAX_CLAIMS);
    assert_int_equal(log_count, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_context_outside_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enable_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_handler_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_dispatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unhandled_source, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
