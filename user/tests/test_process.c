/*
 * test_process: processes from a user program's side: starting programs
 * from the RAMFS, their exit statuses (exit, return from main, atexit,
 * abort, a fault, being killed), arguments, several children at once, and
 * the refusals (rights not held, a bad ELF, bad handles). Needs the RAMFS
 * (handle=ramfs) and bin/exit0, bin/exit_with.
 */
#include <libanos.h>
#include <libanos_ramfs.h>
#include <string.h>

#include "tap.h"

#define PROG "test_process"

static Ramfs fs;
static bool have_fs;

/* What every child may do: enough for newlib's exit, malloc and sleep. */
static void child_rights(uint64_t rights[2])
{
    rights[0] = rights[1] = 0;
    anos_rights_add(rights, SYS_DEBUG_WRITE);
    anos_rights_add(rights, SYS_PROCESS_EXIT);
    anos_rights_add(rights, SYS_MAP_ANON);
    anos_rights_add(rights, SYS_SLEEP);
    anos_rights_add(rights, SYS_CLOCK);
}

/* Starts path with argv = {path, a1, a2} (NULLs end it early). */
static int64_t spawn_rights(const char *path, const char *a1, const char *a2,
                            const uint64_t rights[2])
{
    if (!have_fs) {
        return E_NOENT;
    }
    const char *argv[] = {path, a1, a2, NULL};
    AnosProcessSpec spec = {
        .argv = argv,
        .argc = a1 == NULL   ? 1
                : a2 == NULL ? 2
                             : 3,
        .syscall_rights = {rights[0], rights[1]},
        .cpu = ANOS_CPU_ANY,
    };
    return anos_spawn_ramfs(&fs, path, &spec);
}

static int64_t spawn(const char *path, const char *a1, const char *a2)
{
    uint64_t rights[2];
    child_rights(rights);
    return spawn_rights(path, a1, a2, rights);
}

/* Starts, waits and closes; returns the status or an Error. */
static int64_t run(const char *path, const char *a1, const char *a2)
{
    int64_t h = spawn(path, a1, a2);
    if (h < 0) {
        return h;
    }
    int64_t status = anos_process_wait((Handle)h);
    anos_handle_close((Handle)h);
    return status;
}

static void test_statuses(void)
{
    tap_eq(run("bin/exit0", NULL, NULL), 0, "exit0");
    tap_eq(run("bin/exit_with", "exit", "7"), 7, "exit_7");
    tap_eq(run("bin/exit_with", "return", "3"), 3, "return_3");
    tap_eq(run("bin/exit_with", "exit", "300"), 300 & 255, "exit_low_8_bits");
    tap_eq(run("bin/exit_with", "atexit", NULL), 42, "atexit_runs");
    tap_eq(run("bin/exit_with", "abort", NULL), 128 + 6, "abort_sigabrt");
    tap_eq(run("bin/exit_with", "fault", NULL), ANOS_EXIT_FAULT, "fault_ends_child_only");
    tap_eq(run("bin/exit_with", "argv0", NULL), 0, "child_argv");
}

static void test_kill(void)
{
    int64_t h = spawn("bin/exit_with", "sleep", NULL);
    int64_t killed = h < 0 ? h : anos_process_kill((Handle)h);
    tap_eq(killed, 0, "kill");
    int64_t status = h < 0 ? h : anos_process_wait((Handle)h);
    tap_eq(status, ANOS_EXIT_KILLED, "killed_status");
    if (h >= 0) {
        anos_handle_close((Handle)h);
    }
}

static void test_many(void)
{
    enum { N = 4 };
    static const char *const codes[N] = {"11", "12", "13", "14"};
    int64_t h[N];
    for (int i = 0; i < N; i++) {
        h[i] = spawn("bin/exit_with", "exit", codes[i]);
    }
    bool ok = true;
    for (int i = 0; i < N; i++) {
        int64_t status = h[i] < 0 ? h[i] : anos_process_wait((Handle)h[i]);
        ok = ok && status == 11 + i;
        if (h[i] >= 0) {
            anos_handle_close((Handle)h[i]);
        }
    }
    TAP_OK(ok, "four_children_at_once");
}

static void test_refusals(void)
{
    uint64_t rights[2];
    child_rights(rights);
    anos_rights_add(rights, SYS_KLOG_READ); /* not ours to give */
    tap_eq(spawn_rights("bin/exit0", NULL, NULL, rights), E_PERM, "rights_not_held");

    int64_t r = spawn("hello.txt", NULL, NULL);
    tap_check(r == E_CORRUPT || r == E_INVAL, "not_an_elf", "got %s", error_name((int)r));

    tap_check(anos_process_wait(HANDLE_NONE) < 0, "wait_no_handle", "accepted");

    int64_t h = spawn("bin/exit0", NULL, NULL);
    int64_t status = h < 0 ? h : anos_process_wait((Handle)h);
    tap_check(status == 0 && anos_handle_close((Handle)h) == 0, "close_process_handle",
              "status %" PRId64, status);
    tap_check(h >= 0 && anos_process_wait((Handle)h) < 0, "wait_closed_handle", "accepted");
}

int main(void)
{
    tap_plan(PROG, 17);
    Error err = anos_ramfs_open(&fs);
    have_fs = err == E_OK;
    tap_check(have_fs, "ramfs_open", "%s", error_name(err));
    test_statuses();
    test_kill();
    test_many();
    test_refusals();
    return tap_done();
}
