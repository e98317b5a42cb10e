/*
 * test_spawn_many: creates and ends 1,000 processes, four at a time, and
 * checks that the kernel's free-page count comes back to where it was:
 * every page of every process (tables, image, stack, kernel stack, handle
 * table) is returned. A few rounds first let the kernel's own caches
 * (slab pages) reach their steady size.
 */
#include <libanos.h>
#include <libanos_ramfs.h>

#include "settled_memory.h"
#include "tap.h"

#define PROG    "test_spawn_many"
#define TOTAL   1000
#define BATCH   4
#define WARM_UP 16

/* Runs n copies of bin/exit0, BATCH at a time; how many did not exit 0. */
static int run(const Ramfs *fs, int n)
{
    AnosProcessSpec spec = {.cpu = ANOS_CPU_ANY};
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    int bad = 0;
    for (int done = 0; done < n; done += BATCH) {
        int64_t h[BATCH];
        for (int i = 0; i < BATCH; i++) {
            h[i] = anos_spawn_ramfs(fs, "bin/exit0", &spec);
        }
        for (int i = 0; i < BATCH; i++) {
            if (h[i] < 0 || anos_process_wait((Handle)h[i]) != 0) {
                bad++;
            }
            if (h[i] >= 0) {
                anos_handle_close((Handle)h[i]);
            }
        }
    }
    return bad;
}

int main(void)
{
    tap_plan(PROG, 3);
    Ramfs fs;
    Error err = anos_ramfs_open(&fs);
    tap_check(err == E_OK, "ramfs_open", "%s", error_name(err));
    run(&fs, WARM_UP);
    uint64_t before = settled_free_pages();
    int bad = run(&fs, TOTAL);
    uint64_t after = settled_free_pages();
    tap_eq(bad, 0, "1000_processes_exit_0");
    tap_check(after == before, "free_pages_restored", "free pages %llu before, %llu after",
              (unsigned long long)before, (unsigned long long)after);
    return tap_done();
}
