/*
 * Kernel threads: a kernel stack, a saved stack pointer, a priority and a
 * state. Every thread lives on one CPU (thread->cpu) and never migrates.
 */
#ifndef ANOS_KERNEL_SCHED_THREAD_H
#define ANOS_KERNEL_SCHED_THREAD_H

#include <anos/errors.h>
#include <ipc/ipc_types.h>
#include <percpu.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Priority classes, most urgent first. A ready thread of a more urgent class
 * always runs before any thread of a less urgent one; within a class, level
 * 0 is the most urgent and 254 the least. REALTIME threads are not time
 * sliced (they run until they block, sleep or yield); the others share a
 * level round robin with SCHED_SLICE_NS slices.
 */
typedef enum SchedClass {
    SCHED_CLASS_REALTIME = 0,
    SCHED_CLASS_HIGH = 1,
    SCHED_CLASS_NORMAL = 2,
    SCHED_CLASS_IDLE = 3,
} SchedClass;

#define SCHED_CLASSES       4
#define SCHED_LEVELS        255
#define SCHED_LEVEL_DEFAULT 128
#define SCHED_PRIORITIES    (SCHED_CLASSES * SCHED_LEVELS)

typedef enum ThreadState {
    THREAD_READY,    /* on its CPU's run queue */
    THREAD_RUNNING,  /* its CPU's current thread */
    THREAD_BLOCKED,  /* on a wait queue or mutex, woken by sched_wake */
    THREAD_SLEEPING, /* on its CPU's sleep queue until wake_ns */
    THREAD_DEAD,     /* exited; reclaimed by thread_join */
} ThreadState;

typedef void (*ThreadEntry)(void *arg);

struct Process;

#define THREAD_NAME_MAX 24

/*
 * Fields marked [rq] are protected by the run-queue lock of thread->cpu;
 * [join] by join_lock; [const] never change after thread_create.
 */
typedef struct Thread {
    uintptr_t saved_sp;       /* [rq] stack pointer while switched out */
    uint32_t kill_pending;    /* offset 8 (asm_offsets.h): set atomically when its process ends */
    uint32_t flags;           /* [const] THREAD_F_* */
    IpcEndpoint ipc;          /* offset 16: IPC state (ipc/channel_core.h), its channel's lock */
    struct Process *process;  /* [const] the process of a user thread; NULL for kernel threads */
    uintptr_t kstack_top;     /* [const] where entries from user mode start (below fpu_area) */
    void *fpu_area;           /* [const] user threads: FPU/vector save area at the stack top */
    uintptr_t user_pc;        /* [const] user threads: where they enter user mode */
    uintptr_t user_sp;        /* [const] user threads: their initial stack pointer */
    struct Thread *proc_next; /* its process's thread list (process lock) */
    struct Thread *reap_next; /* the reaper's list of exited user threads */
    struct WaitQueue *kill_wake; /* [process lock] a wait a kill must interrupt, or NULL */
    uint32_t sleep_cancel;       /* [rq] the next sleep returns at once (sched_sleep_interrupt) */
    uintptr_t stack_base;        /* [const] lowest byte of the stack, 0 = not ours (boot) */
    size_t stack_size;           /* [const] bytes */
    ThreadState state;           /* [rq] */
    uint8_t sched_class;         /* [rq] a SchedClass: the effective priority, */
    uint8_t level;               /* [rq] 0..SCHED_LEVELS-1 (base, or inherited over IPC) */
    uint8_t base_class;          /* [rq] the priority the thread asked for */
    uint8_t base_level;          /* [rq] */
    bool on_cpu;                 /* [rq] still running on its stack; cleared after switching out */
    bool killable;               /* [rq] BLOCKED in a wait a kill ends (sched_block_killable) */
    uint32_t cpu;                /* [const] the CPU it runs on */
    uint32_t id;                 /* [const] */
    char name[THREAD_NAME_MAX];
    struct Thread *queue_next; /* run queue, wait queue or mutex queue (one at a time) */
    struct Thread *sleep_next; /* [rq] sleep queue */
    uint64_t wake_ns;          /* [rq] sleep deadline (clock_ns) */
    ThreadEntry entry;         /* [const] */
    void *arg;                 /* [const] */
    Spinlock join_lock;
    bool exited;           /* [join] thread_exit has run */
    struct Thread *joiner; /* [join] the thread blocked in thread_join, if any */
} Thread;

/*
 * Creates a thread running entry(arg) at (cls, level) on the least-loaded
 * online CPU and makes it ready. Returning from entry is thread_exit().
 * Errors: E_INVAL bad class, level or entry; E_NOMEM no memory for the
 * Thread or its stack. The thread must eventually be thread_join'ed, which
 * frees its stack and its Thread.
 */
Error thread_create(ThreadEntry entry, void *arg, SchedClass cls, unsigned level, const char *name,
                    Thread **out);

/* As thread_create, on the given CPU (E_INVAL if it is not online). */
Error thread_create_on(uint32_t cpu, ThreadEntry entry, void *arg, SchedClass cls, unsigned level,
                       const char *name, Thread **out);

/* thread_create_on in two steps: a thread that is not yet runnable (its
 * owner fills in more fields, e.g. process and fpu_area), then thread_start
 * makes it ready. A prepared thread that is never started must still be
 * started or freed by its creator. */
Error thread_prepare(uint32_t cpu, ThreadEntry entry, void *arg, SchedClass cls, unsigned level,
                     const char *name, Thread **out);
void thread_start(Thread *t);

/* For a prepared thread only: its stack starts below top (the bytes above
 * are the owner's, e.g. an FPU save area). */
void thread_set_stack_top(Thread *t, uintptr_t top);

/* Frees a prepared thread that will never be started. */
void thread_discard(Thread *t);

/* The least-loaded online CPU (the caller's own on a tie). */
uint32_t thread_pick_cpu(void);

/* Ends the calling thread. Its stack is freed by whoever joins it. */
_Noreturn void thread_exit(void);

/* Waits for t to exit, then frees its stack and Thread. Only one thread may
 * join a given thread. E_INVAL: t is NULL or the caller itself. */
Error thread_join(Thread *t);

/* The calling thread: one load through the per-CPU register. */
static inline Thread *thread_current(void)
{
    return this_cpu()->current;
}

/* Changes the caller's priority; takes effect at its next scheduling
 * decision, which happens at once (the caller yields). E_INVAL bad values. */
Error thread_set_priority(SchedClass cls, unsigned level);

#endif
