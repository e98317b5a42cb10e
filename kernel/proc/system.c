/*
 * SYSTEM's start: the kernel's only use of the process-creation path with
 * kernel-resident arguments. Everything SYSTEM starts later comes through
 * SYS_PROCESS_CREATE.
 */
#include <anos/startup.h>
#include <cmdline.h>
#include <kprintf.h>
#include <kstring.h>
#include <mm/mm.h>
#include <mm/vmm.h>
#include <panic.h>
#include <proc/phys_range.h>
#include <proc/process.h>
#include <proc/system.h>
#include <ramfs.h>

extern const char __ramfs_start[];
extern const char __ramfs_end[];

#define SYSTEM_MAX_ARGS 32

static Process *system_process;

/* The RAMFS image as a physical range (the kernel image is physically
 * contiguous; checked here rather than assumed). */
static Error system_ramfs_range(PhysRange **out)
{
    uint64_t start = (uint64_t)(uintptr_t)__ramfs_start;
    uint64_t size =
        ((uint64_t)(uintptr_t)__ramfs_end - start + MM_PAGE_SIZE - 1) & ~(MM_PAGE_SIZE - 1);
    uint64_t pa, pa_last;
    if (vmm_translate(mm_kernel_root(), start, &pa, NULL) != E_OK ||
        vmm_translate(mm_kernel_root(), start + size - MM_PAGE_SIZE, &pa_last, NULL) != E_OK ||
        pa_last - pa != size - MM_PAGE_SIZE) {
        return E_CORRUPT;
    }
    return phys_range_create(pa, size, false, out);
}

/* Splits the command line into argv[1..] (in place in a copy). */
static uint64_t system_argv(const char **argv, char *buf, size_t cap)
{
    uint64_t argc = 0;
    argv[argc++] = SYSTEM_RAMFS_PATH;
    size_t len = strlen(cmdline_get());
    if (len >= cap) {
        len = cap - 1;
    }
    memcpy(buf, cmdline_get(), len);
    buf[len] = '\0';
    char *p = buf;
    while (*p != '\0' && argc < SYSTEM_MAX_ARGS) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        argv[argc++] = p;
        while (*p != '\0' && *p != ' ') {
            p++;
        }
    }
    return argc;
}

Error system_start(uint64_t boot_cycles)
{
    Ramfs fs;
    Error err = ramfs_open(&fs, __ramfs_start, (size_t)(__ramfs_end - __ramfs_start));
    if (err != E_OK) {
        return err;
    }
    const void *elf;
    size_t elf_size;
    if ((err = ramfs_find(&fs, SYSTEM_RAMFS_PATH, &elf, &elf_size)) != E_OK) {
        return err;
    }
    PhysRange *ramfs;
    if ((err = system_ramfs_range(&ramfs)) != E_OK) {
        return err;
    }
    static char cmd[256];
    static char env0[48];
    const char *argv[SYSTEM_MAX_ARGS];
    uint64_t argc = system_argv(argv, cmd, sizeof(cmd));
    ksnprintf(env0, sizeof(env0), "ANOS_BOOT_CYCLES=%llu", (unsigned long long)boot_cycles);
    const char *envp[] = {env0};
    HandleInFlight give = {.obj = &ramfs->obj,
                           .rights = RIGHT_READ | RIGHT_MAP | RIGHT_TRANSFER | RIGHT_DUPLICATE};
    uint64_t tag = ANOS_START_RAMFS;
    SyscallRights all = syscall_rights_all();
    ProcessCreateArgs args = {
        .name = "SYSTEM",
        .elf = elf,
        .elf_size = elf_size,
        .rights = &all,
        .cpu = UINT32_MAX,
        .argv = argv,
        .argc = argc,
        .envp = envp,
        .envc = 1,
        .handles = &give,
        .handle_tags = &tag,
        .handle_count = 1,
    };
    Process *p;
    err = process_create(&args, &p);
    if (err != E_OK) {
        kobject_unref(&ramfs->obj); /* on success it became SYSTEM's handle */
        return err;
    }
    system_process = p; /* keeps the creation reference for good */
    return E_OK;
}

void system_process_exited(Process *p)
{
    if (p != system_process) {
        return;
    }
    kprintf("STAGE3: SYSTEM exited with status %lld; powering off\n", (long long)p->exit_status);
    int64_t s = p->exit_status;
    kernel_power_off(s < 0 || s > 255 ? 255 : (int)s);
}
