// Host tests of arch_frame_step's refusals (0, misaligned, lower-half and
// non-ascending frames) and of the TrapFrame layout isr.asm depends on.
// TEST_SOURCES:
// TEST_CFLAGS: -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arch/backtrace.h>
#include <arch/trap.h>

static void test_refuses_bad_frames(void **state)
{
    uintptr_t pc = 0x1234;
    uintptr_t fp = 0;
    assert_false(arch_frame_step(&fp, &pc));
    /* Host stack addresses are all in the lower half: never dereferenced. */
    uintptr_t frame[2] = {0, 0x5678};
    fp = (uintptr_t)frame;
    assert_false(arch_frame_step(&fp, &pc));
    fp = KERNEL_HALF_BASE + 4;
    assert_false(arch_frame_step(&fp, &pc));
    fp = UINTPTR_MAX - 7;
    assert_false(arch_frame_step(&fp, &pc));
    assert_int_equal(pc, 0x1234); /* untouched on refusal */
}

static void test_trap_frame_layout(void **state)
{
    /* isr.asm pushes 15 GPRs (rax first), the vector and the error code
     * (or a dummy); the CPU pushed RIP, CS, RFLAGS, RSP, SS above them. */
    assert_int_equal(offsetof(TrapFrame, r15), 0);
    assert_int_equal(offsetof(TrapFrame, rax), 14 * 8);
    assert_int_equal(offsetof(TrapFrame, vector), 15 * 8);
    assert_int_equal(offsetof(TrapFrame, error_code), 16 * 8);
    assert_int_equal(offsetof(TrapFrame, rip), 17 * 8);
    assert_int_equal(offsetof(TrapFrame, ss), 21 * 8);
    assert_int_equal(sizeof(TrapFrame) % 16, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refuses_bad_frames),
        cmocka_unit_test(test_trap_frame_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
