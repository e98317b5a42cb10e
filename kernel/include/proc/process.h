/*
 * Processes: an address space (user half private, kernel half shared), a
 * handle table, a syscall-rights set and threads. docs/Processes.md.
 */
#ifndef ANOS_KERNEL_PROC_PROCESS_H
#define ANOS_KERNEL_PROC_PROCESS_H

#include <anos/errors.h>
#include <anos/syscall.h>
#include <cap/handle_table.h>
#include <cap/object.h>
#include <cap/syscall_rights.h>
#include <proc/vm.h>
#include <sched/mutex.h>
#include <sched/thread.h>
#include <sched/waitqueue.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stdint.h>

/* Handle-table slots per process (one page of HandleEntry). */
#define PROCESS_HANDLES  128
#define PROCESS_NAME_MAX 32

typedef enum ProcessState {
    PROCESS_LIVE,   /* running threads */
    PROCESS_DYING,  /* killed or exited: threads are leaving */
    PROCESS_EXITED, /* no threads left, memory returned; status valid */
} ProcessState;

/*
 * [lock] fields are protected by `lock` (a spinlock, interrupts off);
 * [vm] by vm.lock (a mutex: page faults and mapping calls sleep on it);
 * [const] never change after creation.
 */
typedef struct Process {
    KObject obj;  /* KOBJ_PROCESS; one reference while it has threads, plus handles */
    uint32_t pid; /* [const] */
    char name[PROCESS_NAME_MAX]; /* [const] */
    SyscallRights rights;        /* [const] */
    uint32_t cpu;                /* [const] CPU for its threads, or UINT32_MAX for any */
    ProcessVm vm;                /* [vm] address space and regions */
    HandleTable handles;         /* its own lock */
    HandleEntry *handle_storage; /* [const] a page */
    Spinlock lock;
    ProcessState state;  /* [lock] */
    uint32_t threads;    /* [lock] threads not yet reaped */
    Thread *thread_list; /* [lock] linked through proc_next */
    int64_t exit_status; /* [lock] set by the first exit or kill */
    WaitQueue exit_wait; /* woken when state becomes PROCESS_EXITED */
} Process;

/* Everything needed to create a process from a validated, kernel-resident
 * ELF file. */
typedef struct ProcessCreateArgs {
    const char *name;
    const void *elf;
    uint64_t elf_size;
    const SyscallRights *rights;
    uint32_t cpu;            /* UINT32_MAX: any */
    const char *const *argv; /* kernel pointers */
    uint64_t argc;
    const char *const *envp;
    uint64_t envc;
    const HandleInFlight *handles; /* consumed on success only */
    const uint64_t *handle_tags;
    uint64_t handle_count;
} ProcessCreateArgs;

/*
 * Creates a process, loads the ELF, builds its initial stack and starts its
 * main thread. On success *out holds one reference (the caller's: usually
 * turned into a handle). Errors: E_INVAL/E_CORRUPT/E_RANGE/E_PERM/E_NOSYS
 * from the ELF check (logged with the reason), E_NOMEM, E_RANGE too many
 * argument bytes. Nothing is left behind on failure; the in-flight handles
 * are then still the caller's.
 */
Error process_create(const ProcessCreateArgs *args, Process **out);

/* The current thread's process, or NULL for a kernel thread. */
static inline Process *process_current(void)
{
    return thread_current()->process;
}

/* Ends process p with status (if it is the first to end it): every thread
 * leaves at its next return to user mode or kernel exit point. */
void process_kill(Process *p, int64_t status);

/* Ends the calling user thread; when it was the last, the process ends. */
_Noreturn void process_thread_exit(void);

/* Waits until p has exited; its status. Interruptible only by the caller's
 * own process being killed (then E_AGAIN, the caller is on its way out). */
Error process_wait(Process *p, int64_t *status_out);

/* Starts another user thread in the calling thread's process at entry with
 * stack_top. E_NOMEM; *tid_out its thread id. */
Error process_thread_create(Process *p, uintptr_t entry, uintptr_t stack_top, uint64_t arg,
                            uint32_t *tid_out);

/* Processes alive (created, not yet destroyed): for tests. */
uint32_t process_count(void);

/* Starts the reaper thread that frees exited threads and processes. Once,
 * after sched_init. */
Error process_init(void);

#endif
