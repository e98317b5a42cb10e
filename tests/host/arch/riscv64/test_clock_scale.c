// Host tests for the riscv64 tick <-> nanosecond conversions (clock_scale.h):
// exact at QEMU's 10 MHz, and a deadline converted to ticks never fires early.
// TEST_SOURCES:
// TEST_CFLAGS: -Ikernel/arch/riscv64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../../../kernel/arch/riscv64/clock_scale.h"

static void test_qemu_10mhz_exact(void **state)
{
    ClockScale s;
    clock_scale_init(&s, 10000000);
    assert_int_equal(s.hz, 10000000);
    assert_int_equal(clock_scale_ns(&s, 0), 0);
    assert_int_equal(clock_scale_ns(&s, 1), 100);
    assert_int_equal(clock_scale_ns(&s, 10000000), 1000000000);
    /* A year of ticks still converts without overflow (128-bit product). */
    uint64_t year = 365ull * 24 * 3600 * 10000000;
    assert_int_equal(clock_scale_ns(&s, year), year * 100);
    /* 1 ms is 10,000 ticks, plus the margin tick. */
    assert_int_equal(clock_scale_ticks(&s, 1000000), 10001);
    assert_int_equal(clock_scale_ticks(&s, 0), 1);
}

/* For a spread of frequencies and deadlines: the tick a deadline maps to
 * reads as at least the deadline, and at most two ticks (plus rounding)
 * later. */
static void test_deadline_never_early(void **state)
{
    static const uint64_t freqs[] = {1,        1000,      32768,      1000000,    10000000,
                                     24000000, 100000000, 1000000000, 3579545ull, 1ull << 32};
    static const uint64_t deadlines[] = {1,
                                         999,
                                         1000000,
                                         123456789,
                                         1000000000ull,
                                         86400000000000ull,
                                         1ull << 50,
                                         (1ull << 62) + 12345};
    for (size_t f = 0; f < sizeof(freqs) / sizeof(freqs[0]); f++) {
        ClockScale s;
        clock_scale_init(&s, freqs[f]);
        uint64_t tick_ns = 1000000000ull / freqs[f] + 1;
        for (size_t d = 0; d < sizeof(deadlines) / sizeof(deadlines[0]); d++) {
            uint64_t ticks = clock_scale_ticks(&s, deadlines[d]);
            if (ticks == UINT64_MAX) {
                continue; /* beyond the 64-bit counter: never fires */
            }
            uint64_t at = clock_scale_ns(&s, ticks);
            if (at < deadlines[d]) {
                fail_msg("%llu Hz: deadline %llu ns -> %llu ticks reads %llu ns",
                         (unsigned long long)freqs[f], (unsigned long long)deadlines[d],
                         (unsigned long long)ticks, (unsigned long long)at);
            }
            /* Two ticks, plus the fractions' rounding. */
            uint64_t slack = 2 * tick_ns + 2;
            if (at - deadlines[d] > slack) {
                fail_msg("%llu Hz: deadline %llu ns fires at %llu ns", (unsigned long long)freqs[f],
                         (unsigned long long)deadlines[d], (unsigned long long)at);
            }
        }
    }
}

/* The clock never runs ahead of the hardware: ns(ticks) <= the exact value. */
static void test_clock_not_ahead(void **state)
{
    ClockScale s;
    clock_scale_init(&s, 3579545);
    for (uint64_t t = 0; t < 5000000; t += 7919) {
        unsigned __int128 exact = (unsigned __int128)t * 1000000000ull / 3579545;
        assert_true(clock_scale_ns(&s, t) <= exact);
        assert_true(exact - clock_scale_ns(&s, t) <= 1);
    }
}

static void test_ticks_saturate(void **state)
{
    ClockScale s;
    clock_scale_init(&s, 1ull << 32);
    assert_int_equal(clock_scale_ticks(&s, UINT64_MAX), UINT64_MAX);
    clock_scale_init(&s, 10000000);
    assert_int_equal(s.ns_int, 100);
    assert_int_equal(s.ns_frac, 0);
    assert_int_equal(clock_scale_ticks(&s, UINT64_MAX), UINT64_MAX / 100 + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_10mhz_exact),
        cmocka_unit_test(test_deadline_never_early),
        cmocka_unit_test(test_clock_not_ahead),
        cmocka_unit_test(test_ticks_saturate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
