// Host tests of the clock's fixed-point rate conversion (clock_scale.h): TSC
// and HPET ticks to ns, ns to LAPIC timer counts, and the saturating edges.
// TEST_SOURCES:
// TEST_CFLAGS: -Ikernel/arch/x86_64
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clock_scale.h"

static void assert_near(uint64_t got, uint64_t want, uint64_t tolerance)
{
    uint64_t diff = got > want ? got - want : want - got;
    if (diff > tolerance) {
        fail_msg("got %llu, want %llu +- %llu", (unsigned long long)got, (unsigned long long)want,
                 (unsigned long long)tolerance);
    }
}

static void test_tsc_to_ns(void **state)
{
    uint64_t hz = 2466033000ULL;
    uint64_t mult = scale_mult(NS_PER_SEC, hz);
    assert_near(scale_apply(hz, mult), NS_PER_SEC, 1);
    assert_int_equal(scale_apply(0, mult), 0);
    /* Ten years of a 5 GHz TSC: no overflow, still exact to 1 ppm. */
    uint64_t fast = 5000000000ULL;
    uint64_t ten_years_s = 10ULL * 365 * 24 * 3600;
    assert_near(scale_apply(ten_years_s * fast, scale_mult(NS_PER_SEC, fast)),
                ten_years_s * NS_PER_SEC, ten_years_s * NS_PER_SEC / 1000000);
}

static void test_hpet_to_ns(void **state)
{
    /* QEMU's 100 MHz and the common 14.318 MHz HPETs. */
    assert_near(scale_apply(100000000, scale_mult(NS_PER_SEC, 100000000)), NS_PER_SEC, 1);
    uint64_t hz = 14318180;
    assert_near(scale_apply(hz * 60, scale_mult(NS_PER_SEC, hz)), 60 * NS_PER_SEC, 60);
}

static void test_mult_exact_and_slow(void **state)
{
    assert_int_equal(scale_mult(NS_PER_SEC, NS_PER_SEC), 1ULL << 32);
    /* A 1 kHz source: each tick is 10^6 ns (the quotient part). */
    assert_int_equal(scale_apply(3, scale_mult(NS_PER_SEC, 1000)), 3000000);
}

static void test_saturation(void **state)
{
    assert_int_equal(scale_apply(UINT64_MAX, 1ULL << 40), UINT64_MAX);
    assert_int_equal(scale_apply(UINT64_MAX, 1ULL << 32), UINT64_MAX);
}

static void test_timer_count(void **state)
{
    uint64_t mult = scale_mult(62500000, NS_PER_SEC); /* 1 GHz bus / 16 */
    /* 1 ms ahead: 62,500 ticks. */
    assert_near(scale_timer_count(5000000, 6000000, mult), 62500, 1);
    /* Rounded up, so the count never ends before the deadline. */
    assert_int_equal(scale_timer_count(0, 1000, mult), 63);
    assert_int_equal(scale_apply_ceil(1000, mult), 63);
    assert_int_equal(scale_apply(1000, mult), 62);
    /* Past, now and sub-tick deadlines still fire: count 1, never 0. */
    assert_int_equal(scale_timer_count(5000000, 4000000, mult), 1);
    assert_int_equal(scale_timer_count(5000000, 5000000, mult), 1);
    assert_int_equal(scale_timer_count(5000000, 5000001, mult), 1);
    /* Far deadlines clamp to the 32-bit register. */
    assert_int_equal(scale_timer_count(0, 3600 * NS_PER_SEC, mult), 0xFFFFFFFFU);
    assert_int_equal(scale_timer_count(0, UINT64_MAX, mult), 0xFFFFFFFFU);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tsc_to_ns),           cmocka_unit_test(test_hpet_to_ns),
        cmocka_unit_test(test_mult_exact_and_slow), cmocka_unit_test(test_saturation),
        cmocka_unit_test(test_timer_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
