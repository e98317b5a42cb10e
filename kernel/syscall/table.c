/*
 * The syscall table and the slow-path dispatcher. The fast paths (SYSCALL,
 * ecall) check the number and the caller's rights in assembly and call the
 * table entry directly; syscall_invoke does the same in C.
 */
#include <anos/syscall.h>
#include <cap/syscall_rights.h>
#include <percpu.h>

#include "sys.h"

static int64_t sys_nosys(SYSCALL_ARGS)
{
    return E_NOSYS;
}

/* Every slot defaults to sys_nosys, then the implemented ones override it. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
const SyscallFn syscall_table[SYS_COUNT] = {
    [0 ... SYS_COUNT - 1] = sys_nosys,
    [SYS_NOP] = sys_nop,
    [SYS_DEBUG_WRITE] = sys_debug_write,
    [SYS_PROCESS_EXIT] = sys_process_exit,
    [SYS_THREAD_EXIT] = sys_thread_exit,
    [SYS_THREAD_CREATE] = sys_thread_create,
    [SYS_YIELD] = sys_yield,
    [SYS_SLEEP] = sys_sleep,
    [SYS_CLOCK] = sys_clock,
    [SYS_MEMINFO] = sys_meminfo,
    [SYS_MAP_ANON] = sys_map_anon,
    [SYS_UNMAP] = sys_unmap,
    [SYS_MAP_PHYS] = sys_map_phys,
    [SYS_ALLOC_PHYS] = sys_alloc_phys,
    [SYS_PROCESS_CREATE] = sys_process_create,
    [SYS_PROCESS_WAIT] = sys_process_wait,
    [SYS_HANDLE_DUP] = sys_handle_dup,
    [SYS_HANDLE_CLOSE] = sys_handle_close,
    [SYS_KLOG_READ] = sys_klog_read,
    [SYS_FIRMWARE_MAP] = sys_firmware_map,
    [SYS_IRQ_ALLOC] = sys_irq_alloc,
    [SYS_IRQ_WAIT] = sys_irq_wait,
    [SYS_PROCESS_KILL] = sys_process_kill,
    [SYS_THREAD_PRIORITY] = sys_thread_priority,
    [SYS_CHANNEL_CREATE] = sys_channel_create,
    [SYS_CHANNEL_DESTROY] = sys_channel_destroy,
    [SYS_CALL] = sys_call,
    [SYS_RECV] = sys_recv,
    [SYS_REPLY] = sys_reply,
    [SYS_REPLY_RECV] = sys_reply_recv,
    [SYS_IPC_AREA] = sys_ipc_area,
};
#pragma clang diagnostic pop

_Static_assert(SYS_COUNT <= SYSCALL_RIGHTS_BITS, "every syscall has a rights bit");
_Static_assert(SYS_CALL >= SYS_MSG_FIRST && SYS_RECV >= SYS_MSG_FIRST &&
                   SYS_REPLY_RECV >= SYS_MSG_FIRST && SYS_MSG_FIRST + 3 == SYS_COUNT,
               "the message calls, and only they, are SYS_MSG_FIRST and up");

int64_t syscall_invoke(uint64_t nr, const uint64_t args[6])
{
    if (nr >= SYS_COUNT) {
        return E_NOSYS;
    }
    const uint64_t *rights = this_cpu()->syscall_rights;
    if (rights == NULL || (rights[nr / 64] >> (nr % 64) & 1) == 0) {
        return E_PERM;
    }
    return syscall_table[nr](args[0], args[1], args[2], args[3], args[4], args[5]);
}
