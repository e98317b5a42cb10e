/*
 * The table of in-kernel self-tests and the TAP reporter. Each subsystem
 * exports a `bool <name>_selftest(void)`; add it to the table below.
 */
#include <fault_probe.h>
#include <kprintf.h>
#include <mm/selftest.h>
#include <proc/irq_object.h>
#include <sched/selftest.h>
#include <selftest.h>
#include <smp_selftest.h>
#include <stdbool.h>

typedef struct SelfTest {
    const char *name;
    bool (*run)(void);
} SelfTest;

static const SelfTest self_tests[] = {
    {"pmm", pmm_selftest},
    {"vmm", vmm_selftest},
    {"slab", slab_selftest},
    {"thread", thread_selftest},
    {"sleep", sleep_selftest},
    {"mutex", mutex_selftest},
    {"timer", timer_selftest},
    {"fault_probe", fault_probe_selftest},
    {"smp", smp_selftest},
    {"tlb_shootdown", tlb_shootdown_selftest},
    {"irq_object", irq_object_selftest},
};

#define SELF_TEST_COUNT (sizeof(self_tests) / sizeof(self_tests[0]))

int selftest_run_all(void)
{
    int failures = 0;
    kprintf("1..%d\n", (int)SELF_TEST_COUNT);
    for (size_t i = 0; i < SELF_TEST_COUNT; i++) {
        bool ok = self_tests[i].run();
        kprintf("%sok %d - selftest/%s\n", ok ? "" : "not ", (int)i + 1, self_tests[i].name);
        failures += !ok;
    }
    kprintf("selftest: %d passed, %d failed\n", (int)SELF_TEST_COUNT - failures, failures);
    return failures;
}
