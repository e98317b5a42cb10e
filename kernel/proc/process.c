/*
 * Process life cycle: creation (address space, ELF image, initial stack,
 * handles, main thread), user threads, exit and kill, and the reaper thread
 * that returns an exited thread's stack and, with the last thread, the
 * process's memory. docs/Processes.md.
 */
#include <anos/startup.h>
#include <arch/cpu.h>
#include <arch/ipi.h>
#include <ipc/channel.h>
#include <klog.h>
#include <kstring.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <panic.h>
#include <proc/loader.h>
#include <proc/process.h>
#include <proc/system.h>
#include <proc/uaccess.h>
#include <proc/user_arch.h>
#include <proc/user_stack.h>
#include <sched/kstack.h>
#include <sched/sched.h>

_Static_assert(sizeof(Process) <= MM_PAGE_SIZE, "a Process lives in one page");
_Static_assert(PROCESS_HANDLES * sizeof(HandleEntry) <= MM_PAGE_SIZE, "handle storage is a page");

/* Pages for building the initial stack image (argument strings included). */
#define PROCESS_STACK_IMAGE_PAGES 2

static uint32_t next_pid = 1;
static uint32_t live_processes;

/* Exited threads waiting for the reaper, linked through reap_next. */
static Spinlock reap_lock = SPINLOCK_INIT;
static Thread *reap_list;
static WaitQueue reap_wait = WAITQUEUE_INIT;

uint32_t process_count(void)
{
    return __atomic_load_n(&live_processes, __ATOMIC_RELAXED);
}

static void process_free(KObject *obj)
{
    Process *p = (Process *)obj;
    pmm_free_page(&mm_pmm, virt_to_phys_direct(p));
    __atomic_fetch_sub(&live_processes, 1, __ATOMIC_RELAXED);
}

static Error process_alloc(const ProcessCreateArgs *args, Process **out)
{
    uint64_t pa, hpa;
    Error err = pmm_alloc_page(&mm_pmm, &pa);
    if (err != E_OK) {
        return err;
    }
    if ((err = pmm_alloc_page(&mm_pmm, &hpa)) != E_OK) {
        pmm_free_page(&mm_pmm, pa);
        return err;
    }
    Process *p = phys_to_virt(pa);
    memset(p, 0, sizeof(*p));
    p->handle_storage = phys_to_virt(hpa);
    if ((err = vm_create(&p->vm)) != E_OK) {
        pmm_free_page(&mm_pmm, hpa);
        pmm_free_page(&mm_pmm, pa);
        return err;
    }
    handle_table_init(&p->handles, p->handle_storage, PROCESS_HANDLES);
    kobject_init(&p->obj, KOBJ_PROCESS, process_free);
    p->pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
    size_t i = 0;
    for (; args->name != NULL && args->name[i] != '\0' && i < PROCESS_NAME_MAX - 1; i++) {
        p->name[i] = args->name[i];
    }
    p->name[i] = '\0';
    p->rights = *args->rights;
    p->cpu = args->cpu;
    spin_init(&p->lock);
    waitq_init(&p->exit_wait);
    p->state = PROCESS_LIVE;
    __atomic_fetch_add(&live_processes, 1, __ATOMIC_RELAXED);
    *out = p;
    return E_OK;
}

/* Returns memory and handles of a process whose threads are all gone (or
 * that never had one). */
static void process_release_memory(Process *p)
{
    vm_destroy(&p->vm);
    handle_table_destroy(&p->handles);
    pmm_free_page(&mm_pmm, virt_to_phys_direct(p->handle_storage));
    p->handle_storage = NULL;
}

/* Builds the initial stack in the new process: the stack region, the image
 * of <anos/startup.h>, written through the process's own tables. */
static Error process_build_stack(Process *p, const ProcessCreateArgs *args,
                                 const AnosStartHandle *start, uint64_t *sp_out)
{
    uint64_t base = ANOS_STACK_TOP - ANOS_STACK_SIZE, addr;
    Error err = vm_map_anon(&p->vm, base, ANOS_STACK_SIZE, ANOS_PROT_READ | ANOS_PROT_WRITE, &addr);
    if (err != E_OK) {
        return err;
    }
    uint64_t buf_pa;
    if ((err = pmm_alloc_pages(&mm_pmm, PROCESS_STACK_IMAGE_PAGES, &buf_pa)) != E_OK) {
        return err;
    }
    size_t cap = PROCESS_STACK_IMAGE_PAGES * MM_PAGE_SIZE;
    uint8_t *buf = phys_to_virt(buf_pa);
    UserStackArgs sa = {
        .argv = args->argv,
        .argc = args->argc,
        .envp = args->envp,
        .envc = args->envc,
        .handles = start,
        .handle_count = args->handle_count,
    };
    uint64_t sp;
    err = user_stack_build(&sa, ANOS_STACK_TOP, buf, cap, &sp);
    if (err == E_OK) {
        err = vm_write(&p->vm, sp, buf + cap - (ANOS_STACK_TOP - sp), ANOS_STACK_TOP - sp);
    }
    pmm_free_pages(&mm_pmm, buf_pa, PROCESS_STACK_IMAGE_PAGES);
    *sp_out = sp;
    return err;
}

/* The kernel entry of every user thread: its first switch lands here, on
 * its kernel stack, and it leaves for user mode for good. */
static void process_thread_entry(void *arg)
{
    (void)arg;
    Thread *self = thread_current();
    arch_irq_save();
    arch_user_enter(self->user_pc, self->user_sp);
}

static Error process_thread_new(Process *p, uintptr_t pc, uintptr_t sp, Thread **out)
{
    uint32_t cpu = p->cpu != UINT32_MAX ? p->cpu : thread_pick_cpu();
    Thread *t;
    Error err = thread_prepare(cpu, process_thread_entry, NULL, SCHED_CLASS_NORMAL,
                               SCHED_LEVEL_DEFAULT, p->name, &t);
    if (err != E_OK) {
        return err;
    }
    uintptr_t top = t->stack_base + KSTACK_SIZE;
    uintptr_t area = (top - ARCH_FPU_AREA_SIZE) & ~(uintptr_t)63;
    t->fpu_area = (void *)area;
    arch_fpu_init(t->fpu_area);
    thread_set_stack_top(t, area & ~(uintptr_t)15);
    t->process = p;
    t->user_pc = pc;
    t->user_sp = sp;
    unsigned long flags = spin_lock_irqsave(&p->lock);
    if (p->state != PROCESS_LIVE) {
        spin_unlock_irqrestore(&p->lock, flags);
        thread_discard(t);
        return E_AGAIN;
    }
    p->threads++;
    t->proc_next = NULL;
    Thread **link = &p->thread_list;
    while (*link != NULL) {
        link = &(*link)->proc_next;
    }
    *link = t;
    spin_unlock_irqrestore(&p->lock, flags);
    *out = t;
    return E_OK;
}

Error process_create(const ProcessCreateArgs *args, Process **out)
{
    if (args->handle_count > ANOS_SPEC_MAX_HANDLES) {
        return E_RANGE;
    }
    Process *p;
    Error err = process_alloc(args, &p);
    if (err != E_OK) {
        return err;
    }
    uint64_t entry;
    const char *reason = NULL;
    err = loader_load(&p->vm, args->elf, args->elf_size, &entry, &reason);
    if (err != E_OK) {
        LOG(KLOG_WARN, "proc", "%s: ELF refused (%s): %s", p->name, error_name(err),
            reason != NULL ? reason : "");
        goto fail;
    }
    AnosStartHandle start[ANOS_SPEC_MAX_HANDLES];
    for (uint64_t i = 0; i < args->handle_count; i++) {
        HandleInFlight in = args->handles[i]; /* the caller's reference stays its own */
        kobject_ref(in.obj);
        if ((err = handle_transfer_in(&p->handles, &in, &start[i].handle)) != E_OK) {
            kobject_unref(in.obj);
            goto fail;
        }
        start[i].tag = args->handle_tags[i];
    }
    uint64_t sp;
    if ((err = process_build_stack(p, args, start, &sp)) != E_OK) {
        goto fail;
    }
    Thread *t;
    if ((err = process_thread_new(p, entry, sp, &t)) != E_OK) {
        goto fail;
    }
    /* The in-flight handles were duplicated into the child: drop the
     * caller's references now that nothing can fail. */
    for (uint64_t i = 0; i < args->handle_count; i++) {
        kobject_unref(args->handles[i].obj);
    }
    kobject_ref(&p->obj); /* the caller's; the first stays while threads live */
    *out = p;
    thread_start(t);
    return E_OK;

fail:
    process_release_memory(p);
    p->state = PROCESS_EXITED;
    kobject_unref(&p->obj);
    return err;
}

Error process_thread_create(Process *p, uintptr_t entry, uintptr_t stack_top, uint64_t arg,
                            uint32_t *tid_out)
{
    /* The argument goes on the new thread's stack: its sp points at it. */
    uint64_t sp = (stack_top & ~15ull) - 16;
    Error err = copy_to_user(sp, &arg, sizeof(arg), 8);
    if (err != E_OK) {
        return err;
    }
    Thread *t;
    if ((err = process_thread_new(p, entry, sp, &t)) != E_OK) {
        return err;
    }
    *tid_out = t->id;
    thread_start(t);
    return E_OK;
}

void process_kill(Process *p, int64_t status)
{
    unsigned long flags = spin_lock_irqsave(&p->lock);
    if (p->state == PROCESS_LIVE) {
        p->state = PROCESS_DYING;
        p->exit_status = status;
        for (Thread *t = p->thread_list; t != NULL; t = t->proc_next) {
            __atomic_store_n(&t->kill_pending, 1, __ATOMIC_SEQ_CST);
            /* Waits end now: a sleep, an IPC wait (which undoes itself
             * when it sees the kill), or a wait for another process. */
            sched_kill_wake(t);
            if (t->kill_wake != NULL) {
                waitq_wake_all(t->kill_wake);
            }
            /* A thread spinning in user mode on another CPU notices at its
             * next kernel exit: make that now rather than at its next tick. */
            if (t->cpu != this_cpu()->index) {
                arch_ipi_send(sched_cpu(t->cpu)->arch_id, IPI_RESCHEDULE);
            }
        }
    }
    spin_unlock_irqrestore(&p->lock, flags);
}

_Noreturn void process_thread_exit(void)
{
    channel_thread_exit(thread_current()); /* a call it serves fails now */
    /* Interrupts stay off from here to the final switch: a preemption in
     * between would put the thread back on a run queue after the reaper
     * may already have seen it. */
    arch_irq_save();
    Thread *self = thread_current();
    spin_lock(&reap_lock);
    self->reap_next = reap_list;
    reap_list = self;
    spin_unlock(&reap_lock);
    waitq_wake_one(&reap_wait);
    thread_exit();
}

static bool process_exited(void *arg)
{
    Process *p = arg;
    return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PROCESS_EXITED;
}

/* The wait condition of process_wait: the awaited process has exited, or
 * the waiter itself is being killed. */
typedef struct ProcessWait {
    Process *awaited;
    Thread *waiter;
} ProcessWait;

static bool process_wait_over(void *arg)
{
    const ProcessWait *w = arg;
    return process_exited(w->awaited) ||
           __atomic_load_n(&w->waiter->kill_pending, __ATOMIC_SEQ_CST) != 0;
}

/* Publishes (or withdraws) the wait queue a kill of self must wake. Under
 * self's process lock, which process_kill holds while it reads it: a kill
 * never wakes a queue whose process the waiter has already let go of. */
static void process_set_kill_wake(Thread *self, WaitQueue *wq)
{
    Process *own = self->process;
    if (own == NULL) {
        return; /* a kernel thread cannot be killed */
    }
    unsigned long flags = spin_lock_irqsave(&own->lock);
    self->kill_wake = wq;
    spin_unlock_irqrestore(&own->lock, flags);
}

Error process_wait(Process *p, int64_t *status_out)
{
    Thread *self = thread_current();
    ProcessWait w = {.awaited = p, .waiter = self};
    process_set_kill_wake(self, &p->exit_wait);
    while (!process_wait_over(&w)) {
        waitq_wait_unless(&p->exit_wait, process_wait_over, &w);
    }
    process_set_kill_wake(self, NULL);
    if (!process_exited(p)) {
        return E_AGAIN; /* this thread's process is being killed */
    }
    *status_out = p->exit_status;
    return E_OK;
}

/* The reaper's work for one exited thread of p. */
static void process_thread_reaped(Process *p, Thread *t)
{
    unsigned long flags = spin_lock_irqsave(&p->lock);
    Thread **link = &p->thread_list;
    while (*link != NULL && *link != t) {
        link = &(*link)->proc_next;
    }
    if (*link == t) {
        *link = t->proc_next;
    }
    bool last = --p->threads == 0;
    if (last && p->state == PROCESS_LIVE) {
        p->state = PROCESS_DYING; /* the last thread left without SYS_PROCESS_EXIT */
        p->exit_status = 0;
    }
    spin_unlock_irqrestore(&p->lock, flags);
    if (!last) {
        return;
    }
    process_release_memory(p);
    /* Faults and kills were logged when they happened; an ordinary exit
     * is its parent's business (and a serial line costs more than a
     * spawn). */
    LOG(KLOG_DEBUG, "proc", "process %u (%s) exited with status %lld", p->pid, p->name,
        (long long)p->exit_status);
    flags = spin_lock_irqsave(&p->lock);
    __atomic_store_n(&p->state, PROCESS_EXITED, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&p->lock, flags);
    /* Wake under the wait queue's lock after the state change: a waiter
     * re-checks the condition under the same lock. */
    waitq_wake_all(&p->exit_wait);
    system_process_exited(p);
    kobject_unref(&p->obj);
}

static bool reap_pending(void *arg)
{
    (void)arg;
    return __atomic_load_n(&reap_list, __ATOMIC_ACQUIRE) != NULL;
}

static void process_reaper(void *arg)
{
    (void)arg;
    for (;;) {
        unsigned long flags = spin_lock_irqsave(&reap_lock);
        Thread *t = reap_list;
        if (t != NULL) {
            reap_list = t->reap_next;
        }
        spin_unlock_irqrestore(&reap_lock, flags);
        if (t == NULL) {
            waitq_wait_unless(&reap_wait, reap_pending, NULL);
            continue;
        }
        Process *p = t->process;
        Error err = thread_join(t);
        if (err != E_OK) {
            panic("reaper: cannot join %s: %s", t->name, error_name(err));
        }
        process_thread_reaped(p, t);
    }
}

Error process_init(void)
{
    Thread *t;
    return thread_create(process_reaper, NULL, SCHED_CLASS_HIGH, SCHED_LEVEL_DEFAULT, "reaper", &t);
}
