/*
 * SYSTEM: the first user process. Maps the RAMFS it is given, reads its
 * configuration (system_config.h) and starts each program with the rights
 * the configuration grants, its directory channel and, for a service, the
 * service's channel (system_directory.h). The kernel's command line words
 * arrive as argv[1..]: `usertest` and `bench` pick the test and benchmark
 * configurations, which end with a summary and SYSTEM's exit (the kernel
 * then powers off with SYSTEM's status). docs/Userspace.md.
 */
#include <inttypes.h>
#include <libanos.h>
#include <libanos_ramfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "system_config.h"
#include "system_directory.h"

typedef enum SystemMode {
    SYSTEM_MODE_NORMAL,
    SYSTEM_MODE_TEST,
    SYSTEM_MODE_BENCH,
} SystemMode;

static const char *const system_mode_names[] = {"normal", "usertest", "bench"};
static const char *const system_mode_configs[] = {"system.conf", "system-test.conf",
                                                  "system-bench.conf"};

/* Large: kept out of main's stack. */
static SystemConfig system_config;
static Handle system_processes[SYSTEM_CONFIG_MAX_PROGRAMS];

static SystemMode system_mode(int argc, char **argv)
{
    SystemMode mode = SYSTEM_MODE_NORMAL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "usertest") == 0) {
            return SYSTEM_MODE_TEST;
        }
        if (strcmp(argv[i], "bench") == 0) {
            mode = SYSTEM_MODE_BENCH;
        }
    }
    return mode;
}

/* boot_to_system: the cycle counter at SYSTEM's start minus the kernel's
 * reading at boot, which it passes in the environment. */
static void system_bench_boot(uint64_t now)
{
    const char *boot = getenv("ANOS_BOOT_CYCLES");
    char *end = NULL;
    unsigned long long at_boot = boot != NULL ? strtoull(boot, &end, 0) : 0;
    if (boot == NULL || end == boot || *end != '\0' || at_boot > now) {
        printf("SYSTEM: no usable ANOS_BOOT_CYCLES (%s): no boot_to_system figure\n",
               boot != NULL ? boot : "unset");
        return;
    }
    printf("BENCH %s boot_to_system %llu instructions\n", ANOS_ARCH,
           (unsigned long long)(now - at_boot));
}

static Error system_load_config(const Ramfs *fs, SystemMode mode)
{
    const char *name = system_mode_configs[mode];
    const void *text;
    size_t size;
    Error err = ramfs_find(fs, name, &text, &size);
    if (err != E_OK) {
        printf("SYSTEM: no %s in the RAMFS: %s\n", name, error_name(err));
        return err;
    }
    err = system_config_parse(&system_config, text, size);
    if (err != E_OK) {
        printf("SYSTEM: %s:%" PRIu32 ": %s (%s)\n", name, system_config.error_line,
               system_config.error, error_name(err));
    }
    return err;
}

/* Starts program i with its directory channel dir; returns its process
 * handle or an Error. */
static int64_t system_start(const Ramfs *fs, uint32_t i, Handle ramfs, Handle dir)
{
    const SystemProgram *p = &system_config.programs[i];
    AnosGiveHandle give[3];
    uint64_t n = 0;
    give[n++] = (AnosGiveHandle){.handle = dir, .rights = RIGHT_SEND, .tag = ANOS_START_SYSTEM};
    if (p->give_ramfs) {
        give[n++] = (AnosGiveHandle){
            .handle = ramfs,
            .rights = RIGHT_READ | RIGHT_MAP,
            .tag = ANOS_START_RAMFS,
        };
    }
    if (p->service != NULL) {
        give[n++] = (AnosGiveHandle){
            .handle = system_directory_service(i),
            .rights = RIGHT_RECEIVE,
            .tag = ANOS_START_SERVICE,
        };
    }
    AnosProcessSpec spec = {
        .argv = p->argv,
        .argc = p->argc,
        .handles = give,
        .handle_count = n,
        .syscall_rights = {p->rights[0], p->rights[1]},
        .cpu = p->cpu,
    };
    return anos_spawn_ramfs(fs, p->path, &spec);
}

/* Starts program i; false (and a message) when it could not start. A
 * service that does not start is ended at once, so that its clients'
 * calls fail instead of waiting for it. */
static bool system_start_one(const Ramfs *fs, Handle ramfs, uint32_t i)
{
    const SystemProgram *p = &system_config.programs[i];
    system_processes[i] = HANDLE_NONE;
    Handle dir;
    Error err = system_directory_open(i, &dir);
    int64_t r = err != E_OK ? err : system_start(fs, i, ramfs, dir);
    if (r < 0) {
        printf("SYSTEM: cannot start %s: %s%s\n", p->path, error_name((int)r),
               err != E_OK ? " (no directory channel)" : "");
        system_directory_close(i);
        system_directory_end_service(i);
        return false;
    }
    system_processes[i] = (Handle)r;
    return true;
}

/* Waits for program i, if it started; returns 1 if it ended with a status
 * other than 0 (or could not be waited for), else 0. Its directory
 * channel goes with it. */
static unsigned system_wait_one(uint32_t i)
{
    const char *path = system_config.programs[i].path;
    if (system_processes[i] == HANDLE_NONE) {
        return 0;
    }
    int64_t status = anos_process_wait(system_processes[i]);
    system_directory_close(i);
    if (status < 0) {
        printf("SYSTEM: cannot wait for %s: %s\n", path, error_name((int)status));
        return 1;
    }
    const char *why = status == ANOS_EXIT_FAULT    ? " (fault)"
                      : status == ANOS_EXIT_KILLED ? " (killed)"
                                                   : "";
    const char *service = system_config.programs[i].service;
    if (service != NULL) {
        printf("SYSTEM: %s (service %s) exited with status %" PRId64 "%s\n", path, service, status,
               why);
    } else {
        printf("SYSTEM: %s exited with status %" PRId64 "%s\n", path, status, why);
    }
    anos_handle_close(system_processes[i]);
    system_processes[i] = HANDLE_NONE;
    return status != 0;
}

/* Waits in turn for the programs in [from, to) that are not services
 * (those run until the end); returns how many failed. */
static unsigned system_wait_range(uint32_t from, uint32_t to)
{
    unsigned failed = 0;
    for (uint32_t i = from; i < to; i++) {
        if (system_config.programs[i].service == NULL) {
            failed += system_wait_one(i);
        }
    }
    return failed;
}

/* Once every other program has ended, nobody can call a service any more:
 * SYSTEM destroys the service channels, each provider's receive fails
 * with E_NOENT and it exits (with 0, if it is well behaved). Returns how
 * many services failed. */
static unsigned system_end_services(void)
{
    unsigned failed = 0;
    for (uint32_t i = 0; i < system_config.count; i++) {
        system_directory_end_service(i);
    }
    for (uint32_t i = 0; i < system_config.count; i++) {
        if (system_config.programs[i].service != NULL) {
            failed += system_wait_one(i);
        }
    }
    return failed;
}

/* Starts every configured program (together, except those marked alone)
 * and waits for all, services last; returns how many failed to start or
 * ended badly. */
static unsigned system_run_all(const Ramfs *fs, Handle ramfs)
{
    unsigned failed = 0;
    uint32_t running_from = 0;
    for (uint32_t i = 0; i < system_config.count; i++) {
        bool alone = system_config.programs[i].alone;
        if (alone) {
            failed += system_wait_range(running_from, i);
            running_from = i;
        }
        failed += !system_start_one(fs, ramfs, i);
        if (alone) {
            failed += system_wait_range(i, i + 1);
            running_from = i + 1;
        }
    }
    failed += system_wait_range(running_from, system_config.count);
    return failed + system_end_services();
}

/* Normal mode never ends: SYSTEM's exit would power the machine off. */
static _Noreturn void system_idle(void)
{
    for (;;) {
        if (anos_sleep_ns(3600ull * 1000000000ull) < 0) {
            anos_yield();
        }
    }
}

int main(int argc, char **argv)
{
    uint64_t start_cycles = anos_cycles();
    SystemMode mode = system_mode(argc, argv);
    printf("SYSTEM %s (%s): supervisor started, %s mode\n", ANOS_VERSION, ANOS_ARCH,
           system_mode_names[mode]);
    if (mode == SYSTEM_MODE_BENCH) {
        system_bench_boot(start_cycles);
    }

    Ramfs fs;
    Error err = anos_ramfs_open(&fs);
    if (err != E_OK) {
        printf("SYSTEM: cannot open the RAMFS: %s\n", error_name(err));
        return 1;
    }
    if (system_load_config(&fs, mode) != E_OK) {
        return 1;
    }
    err = system_directory_init(&system_config);
    if (err != E_OK) {
        printf("SYSTEM: cannot create the service channels: %s\n", error_name(err));
        return 1;
    }

    unsigned failed = system_run_all(&fs, anos_start_handle(ANOS_START_RAMFS));
    if (mode == SYSTEM_MODE_NORMAL) {
        system_idle();
    }
    printf("SYSTEM: %" PRIu32 " programs, %u failed\n", system_config.count, failed);
    return failed > 255 ? 255 : (int)failed;
}
