/*
 * test_faults: children that die by every kind of user fault (null and
 * kernel-address accesses, writing code, executing data, an illegal or a
 * privileged instruction, division by zero, stack overflow), all started
 * at once next to a child doing real work. Each faulting child must end
 * with ANOS_EXIT_FAULT, the worker and this program must carry on.
 */
#include <libanos.h>
#include <libanos_ramfs.h>

#include "tap.h"

#define PROG "test_faults"

static const char *const modes[] = {
    "null", "kernel", "write_text", "exec_data", "garbage", "privileged", "divzero", "stack",
};
#define MODES (sizeof(modes) / sizeof(modes[0]))

static int64_t start(const Ramfs *fs, const char *mode)
{
    const char *argv[] = {"bin/crasher", mode, NULL};
    AnosProcessSpec spec = {.argv = argv, .argc = 2, .cpu = ANOS_CPU_ANY};
    anos_rights_add(spec.syscall_rights, SYS_DEBUG_WRITE);
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    anos_rights_add(spec.syscall_rights, SYS_MAP_ANON);
    anos_rights_add(spec.syscall_rights, SYS_CLOCK);
    anos_rights_add(spec.syscall_rights, SYS_SLEEP);
    anos_rights_add(spec.syscall_rights, SYS_THREAD_CREATE);
    return anos_spawn_ramfs(fs, "bin/crasher", &spec);
}

int main(void)
{
    tap_plan(PROG, (int)MODES + 4);
    Ramfs fs;
    Error err = anos_ramfs_open(&fs);
    tap_check(err == E_OK, "ramfs_open", "%s", error_name(err));
    int64_t worker = start(&fs, "work");
    int64_t children[MODES];
    for (size_t i = 0; i < MODES; i++) {
        children[i] = start(&fs, modes[i]);
    }
    for (size_t i = 0; i < MODES; i++) {
        int64_t status = children[i] < 0 ? children[i] : anos_process_wait((Handle)children[i]);
#if defined(__riscv)
        /* RISC-V division by zero does not trap: the quotient is all ones. */
        int64_t want = i == 6 ? 0 : ANOS_EXIT_FAULT;
#else
        int64_t want = ANOS_EXIT_FAULT;
#endif
        tap_eq(status, want, modes[i]);
    }
    int64_t status = worker < 0 ? worker : anos_process_wait((Handle)worker);
    tap_eq(status, 0, "worker_unharmed");

    /* Kills that must not wait for the victim: an hour-long sleep, and
     * four threads spinning in user mode. Without the interruption these
     * waits would not end, and the boot test would time out. */
    static const char *const victims[] = {"sleep_forever", "threads_spin"};
    for (size_t i = 0; i < 2; i++) {
        int64_t h = start(&fs, victims[i]);
        anos_sleep_ns(20000000); /* let it get going */
        int64_t r = h < 0 ? h : anos_process_kill((Handle)h);
        status = r < 0 ? r : anos_process_wait((Handle)h);
        tap_eq(status, ANOS_EXIT_KILLED, victims[i]);
    }
    return tap_done();
}
