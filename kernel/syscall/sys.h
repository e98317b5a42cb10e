/*
 * The syscall handlers, one group per file, all with the table's signature
 * (SyscallFn): six raw argument registers in, a result or an Error out.
 * docs/Syscalls.md is the reference for each.
 */
#ifndef ANOS_KERNEL_SYSCALL_SYS_H
#define ANOS_KERNEL_SYSCALL_SYS_H

#include <anos/syscall.h>
#include <proc/user_arch.h>
#include <stdint.h>

#define SYSCALL_ARGS uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5

/* sys_basic.c */
int64_t sys_nop(SYSCALL_ARGS);
int64_t sys_debug_write(SYSCALL_ARGS);
int64_t sys_yield(SYSCALL_ARGS);
int64_t sys_thread_priority(SYSCALL_ARGS);
int64_t sys_sleep(SYSCALL_ARGS);
int64_t sys_clock(SYSCALL_ARGS);
int64_t sys_meminfo(SYSCALL_ARGS);
int64_t sys_klog_read(SYSCALL_ARGS);

/* sys_memory.c */
int64_t sys_map_anon(SYSCALL_ARGS);
int64_t sys_unmap(SYSCALL_ARGS);
int64_t sys_map_phys(SYSCALL_ARGS);
int64_t sys_alloc_phys(SYSCALL_ARGS);
int64_t sys_firmware_map(SYSCALL_ARGS);

/* sys_process.c */
int64_t sys_process_exit(SYSCALL_ARGS);
int64_t sys_thread_exit(SYSCALL_ARGS);
int64_t sys_thread_create(SYSCALL_ARGS);
int64_t sys_process_create(SYSCALL_ARGS);
int64_t sys_process_wait(SYSCALL_ARGS);
int64_t sys_process_kill(SYSCALL_ARGS);

/* sys_irq.c */
int64_t sys_irq_alloc(SYSCALL_ARGS);
int64_t sys_irq_wait(SYSCALL_ARGS);

/* sys_ipc.c */
int64_t sys_channel_create(SYSCALL_ARGS);
int64_t sys_channel_destroy(SYSCALL_ARGS);
int64_t sys_call(SYSCALL_ARGS);
int64_t sys_recv(SYSCALL_ARGS);
int64_t sys_reply(SYSCALL_ARGS);
int64_t sys_reply_recv(SYSCALL_ARGS);
int64_t sys_ipc_area(SYSCALL_ARGS);

/* sys_handle.c */
int64_t sys_handle_dup(SYSCALL_ARGS);
int64_t sys_handle_close(SYSCALL_ARGS);

#endif
