/*
 * test_fpu: two threads of one process, pinned to one CPU (config cpu=N),
 * keep different doubles live in FP registers and yield to each other
 * every step, so each switch must save one thread's FP state and give the
 * other its own (riscv64 loads it lazily, on the first FP instruction
 * after the switch). Each thread's result must equal the same computation
 * run without switches.
 */
#include <libanos.h>

#include "tap.h"

#define PROG  "test_fpu"
#define STEPS 200

static double compute(double seed, bool yield)
{
    double a = seed, b = seed * 3, c = seed * 5, d = seed * 7;
    for (int i = 0; i < STEPS; i++) {
        a = a * 1.0009765625 + 0.25;
        b = b * 0.5 + c;
        if (yield) {
            anos_yield();
        }
        c = c + d * 0.125;
        d = d * 0.9990234375 - a * 0.001;
    }
    return a + b + c + d;
}

static volatile double other_result;
static volatile int other_done;
static _Alignas(16) uint8_t other_stack[16384];

static void other_thread(void *arg)
{
    (void)arg;
    other_result = compute(-2.75, true);
    other_done = 1;
}

/* Expected values kept in memory: a value in an FP register would be lost
 * with the state under test, and a wrong result would then compare equal
 * to an equally wrong expectation. */
static volatile double want_mine, want_other, mine;

int main(void)
{
    tap_plan(PROG, 3);
    want_mine = compute(1.25, false);
    want_other = compute(-2.75, false);
    int64_t tid = anos_thread_start(other_thread, NULL, other_stack, sizeof(other_stack));
    tap_check(tid > 0, "thread_create", "got %lld", (long long)tid);
    mine = compute(1.25, true);
    while (!other_done) {
        anos_yield();
    }
    tap_check(mine == want_mine && want_mine != 0, "main_thread_fp_state", "got %f, want %f", mine,
              want_mine);
    tap_check(other_result == want_other && want_other != 0, "other_thread_fp_state",
              "got %f, want %f", other_result, want_other);
    return tap_done();
}
