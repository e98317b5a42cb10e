/*
 * Compile-time proof that asm_offsets.h matches the C structures: a field
 * moved in C without the assembly following fails the build here.
 */
#include <asm_offsets.h>
#include <percpu.h>
#include <sched/thread.h>
#include <stddef.h>

_Static_assert(offsetof(PerCpu, self) == PERCPU_SELF, "PERCPU_SELF");
_Static_assert(offsetof(PerCpu, arch_scratch) == PERCPU_ARCH_SCRATCH, "PERCPU_ARCH_SCRATCH");
_Static_assert(offsetof(PerCpu, kernel_sp) == PERCPU_KERNEL_SP, "PERCPU_KERNEL_SP");
_Static_assert(offsetof(PerCpu, syscall_rights) == PERCPU_SYSCALL_RIGHTS, "PERCPU_SYSCALL_RIGHTS");
_Static_assert(offsetof(PerCpu, current) == PERCPU_CURRENT, "PERCPU_CURRENT");
_Static_assert(offsetof(PerCpu, preempt_pending) == PERCPU_PREEMPT_PENDING,
               "PERCPU_PREEMPT_PENDING");
_Static_assert(offsetof(Thread, kill_pending) == THREAD_KILL_PENDING, "THREAD_KILL_PENDING");
_Static_assert(offsetof(Thread, ipc.msg) == THREAD_IPC_MSG, "THREAD_IPC_MSG");
