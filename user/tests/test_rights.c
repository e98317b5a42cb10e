/*
 * test_rights: runs with only debug_write, process_exit, map_anon and
 * clock (what newlib's printf, malloc and exit need). Every other syscall
 * must be refused with E_PERM and have no effect: a refused thread_create
 * starts nothing, a refused unmap leaves the memory mapped, a refused
 * klog_read writes nothing.
 */
#include <libanos.h>

#include "tap.h"

#define PROG "test_rights"

static volatile int thread_ran;
static _Alignas(16) unsigned char stack[8192];

static void thread_body(void *arg)
{
    (void)arg;
    thread_ran = 1;
}

int main(void)
{
    tap_plan(PROG, 5);
    static const uint64_t refused[] = {
        SYS_NOP,          SYS_THREAD_EXIT, SYS_THREAD_CREATE, SYS_YIELD,      SYS_SLEEP,
        SYS_MEMINFO,      SYS_UNMAP,       SYS_MAP_PHYS,      SYS_ALLOC_PHYS, SYS_PROCESS_CREATE,
        SYS_PROCESS_WAIT, SYS_HANDLE_DUP,  SYS_HANDLE_CLOSE,  SYS_KLOG_READ,  SYS_PROCESS_KILL,
        SYS_FIRMWARE_MAP, SYS_CALL,
    };
    int bad = -1;
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        if (anos_syscall(refused[i], 0, 0, 0, 0, 0, 0) != E_PERM) {
            bad = (int)refused[i];
        }
    }
    tap_check(bad < 0, "every_other_syscall_eperm", "syscall %d was not refused", bad);

    int64_t r = anos_thread_start(thread_body, NULL, stack, sizeof(stack));
    int64_t start = anos_clock_ns();
    while (anos_clock_ns() - start < 20000000) {
    }
    tap_check(r == E_PERM && !thread_ran, "refused_thread_starts_nothing", "r %lld ran %d",
              (long long)r, thread_ran);

    int64_t addr = anos_map_anon(0, 4096, ANOS_PROT_READ | ANOS_PROT_WRITE);
    volatile int *p = (volatile int *)addr;
    if (addr > 0) {
        *p = 1234;
    }
    r = anos_unmap((uintptr_t)addr, 4096);
    tap_check(addr > 0 && r == E_PERM && *p == 1234, "refused_unmap_keeps_memory", "r %lld",
              (long long)r);

    /* Allowed calls still work. */
    tap_check(anos_clock_ns() > 0, "allowed_call_works", "clock failed");

    static char buf[64] = "untouched";
    uint64_t seq = 0;
    r = anos_klog_read(buf, sizeof(buf), &seq);
    tap_check(r == E_PERM && seq == 0 && buf[0] == 'u', "refused_klog_read_writes_nothing",
              "r %lld seq %llu", (long long)r, (unsigned long long)seq);
    return tap_done();
}
