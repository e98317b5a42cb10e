/*
 * test_oom: a child touches memory until the kernel runs out of pages. The
 * page fault it cannot satisfy ends it (ANOS_EXIT_FAULT); the kernel and
 * this program carry on, and every page comes back. Runs alone: while it
 * runs no other program can count on memory.
 */
#include <libanos.h>
#include <libanos_ramfs.h>

#include "settled_memory.h"
#include "tap.h"

#define PROG "test_oom"

int main(void)
{
    tap_plan(PROG, 4);
    Ramfs fs;
    Error err = anos_ramfs_open(&fs);
    tap_check(err == E_OK, "ramfs_open", "%s", error_name(err));
    uint64_t before = settled_free_pages();
    const char *argv[] = {"bin/crasher", "oom", NULL};
    AnosProcessSpec spec = {.argv = argv, .argc = 2, .cpu = ANOS_CPU_ANY};
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    anos_rights_add(spec.syscall_rights, SYS_MAP_ANON);
    int64_t h = anos_spawn_ramfs(&fs, "bin/crasher", &spec);
    int64_t status = h < 0 ? h : anos_process_wait((Handle)h);
    tap_eq(status, ANOS_EXIT_FAULT, "exhausting_memory_ends_the_child");
    if (h >= 0) {
        anos_handle_close((Handle)h); /* the last reference to the process */
    }
    uint64_t after = settled_free_pages();
    tap_check(after == before, "every_page_returned", "free pages %llu before, %llu after",
              (unsigned long long)before, (unsigned long long)after);
    /* The kernel still works: another child runs to completion. */
    const char *argv0[] = {"bin/exit0", NULL};
    AnosProcessSpec spec0 = {.argv = argv0, .argc = 1, .cpu = ANOS_CPU_ANY};
    anos_rights_add(spec0.syscall_rights, SYS_PROCESS_EXIT);
    int64_t h0 = anos_spawn_ramfs(&fs, "bin/exit0", &spec0);
    tap_eq(h0 < 0 ? h0 : anos_process_wait((Handle)h0), 0, "kernel_works_afterwards");
    return tap_done();
}
