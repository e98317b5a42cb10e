/*
 * The user-mode half of a thread switch, called by the scheduler on every
 * switch between two different threads.
 */
#ifndef ANOS_KERNEL_PROC_SWITCH_H
#define ANOS_KERNEL_PROC_SWITCH_H

#include <mm/mm.h>
#include <percpu.h>
#include <proc/process.h>
#include <proc/user_arch.h>
#include <sched/thread.h>

/* A kernel thread's rights: none (switch.c). Never NULL, so the entry
 * code can test a bit without testing the pointer first. */
extern const uint64_t kernel_thread_rights[SYSCALL_RIGHTS_WORDS];

/* Saves prev's FPU state, loads next's address space (the kernel's for a
 * kernel thread, so a dead process's tables are never live), kernel stack
 * for user entries, syscall rights and FPU state. Inline: it is on the
 * IPC hand-over path. Run-queue lock held,
 * interrupts off, just before the stack switch. The scheduler calls it
 * only when prev or next is a user thread: between two kernel threads
 * nothing changes (a running kernel thread always has the kernel's root,
 * or the boot one, loaded). */
static inline __attribute__((always_inline)) void proc_switch(PerCpu *cpu, Thread *prev,
                                                              Thread *next)
{
    if (prev->fpu_area != NULL) {
        arch_fpu_save(prev->fpu_area);
    }
    Process *p = next->process;
    uint64_t root = p != NULL ? p->vm.root : mm_kernel_root();
    if (cpu->active_root != root) {
        /* Published before the load, with a full fence, for the TLB
         * shootdown (smp/tlb_shootdown.c): it asks only CPUs using root. */
        __atomic_store_n(&cpu->active_root, root, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        arch_space_activate(root);
    }
    if (p != NULL) {
        arch_set_kernel_stack(next->kstack_top);
        cpu->syscall_rights = p->rights.words;
        arch_fpu_restore(next->fpu_area);
    } else {
        cpu->syscall_rights = kernel_thread_rights;
    }
}

#endif
