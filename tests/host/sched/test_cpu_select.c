// Host tests of new-thread CPU selection: least loaded online CPU, ties,
// offline CPUs skipped, up to MAX_CPUS (64) CPUs, no CPU online.
// TEST_SOURCES: kernel/sched/cpu_select.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sched/cpu_select.h>

#define CPUS 64

static void test_single_cpu(void **state)
{
    uint32_t loads[1] = {7};
    bool online[1] = {true};
    uint32_t cpu = 99;
    assert_int_equal(sched_select_cpu(loads, online, 1, 0, &cpu), E_OK);
    assert_int_equal(cpu, 0);
}

static void test_least_loaded_of_64(void **state)
{
    uint32_t loads[CPUS];
    bool online[CPUS];
    for (int i = 0; i < CPUS; i++) {
        loads[i] = 10 + (uint32_t)(i % 7);
        online[i] = true;
    }
    loads[41] = 2;
    uint32_t cpu;
    assert_int_equal(sched_select_cpu(loads, online, CPUS, 0, &cpu), E_OK);
    assert_int_equal(cpu, 41);
}

static void test_ties_lowest_or_preferred(void **state)
{
    uint32_t loads[CPUS];
    bool online[CPUS];
    for (int i = 0; i < CPUS; i++) {
        loads[i] = 3;
        online[i] = true;
    }
    uint32_t cpu;
    assert_int_equal(sched_select_cpu(loads, online, CPUS, CPUS, &cpu), E_OK);
    assert_int_equal(cpu, 0); /* no valid preference: lowest index */
    assert_int_equal(sched_select_cpu(loads, online, CPUS, 17, &cpu), E_OK);
    assert_int_equal(cpu, 17); /* the caller's CPU when it is as good */
    loads[17] = 4;
    assert_int_equal(sched_select_cpu(loads, online, CPUS, 17, &cpu), E_OK);
    assert_int_equal(cpu, 0); /* but not when it is busier */
}

static void test_offline_skipped(void **state)
{
    uint32_t loads[CPUS] = {0};
    bool online[CPUS] = {false};
    online[5] = true;
    online[9] = true;
    loads[5] = 4;
    loads[9] = 1;
    uint32_t cpu;
    assert_int_equal(sched_select_cpu(loads, online, CPUS, 0, &cpu), E_OK);
    assert_int_equal(cpu, 9); /* CPU 0 is idle but offline */
    assert_int_equal(sched_select_cpu(loads, online, CPUS, 3, &cpu), E_OK);
    assert_int_equal(cpu, 9); /* an offline preference is ignored */
}

static void test_none_online(void **state)
{
    uint32_t loads[CPUS] = {0};
    bool online[CPUS] = {false};
    uint32_t cpu = 123;
    assert_int_equal(sched_select_cpu(loads, online, CPUS, 0, &cpu), E_NOENT);
    assert_int_equal(cpu, 123);
    assert_int_equal(sched_select_cpu(loads, online, 0, 0, &cpu), E_NOENT);
}

/* Spreading: repeatedly placing threads (adding 1 to the chosen load) over
 * 16 CPUs fills them evenly. */
static void test_spreads_evenly(void **state)
{
    uint32_t loads[16] = {0};
    bool online[16];
    for (int i = 0; i < 16; i++) {
        online[i] = true;
    }
    for (int n = 0; n < 16 * 5; n++) {
        uint32_t cpu;
        assert_int_equal(sched_select_cpu(loads, online, 16, 0, &cpu), E_OK);
        loads[cpu]++;
    }
    for (int i = 0; i < 16; i++) {
        assert_int_equal(loads[i], 5);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_cpu),
        cmocka_unit_test(test_least_loaded_of_64),
        cmocka_unit_test(test_ties_lowest_or_preferred),
        cmocka_unit_test(test_offline_skipped),
        cmocka_unit_test(test_none_online),
        cmocka_unit_test(test_spreads_evenly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
