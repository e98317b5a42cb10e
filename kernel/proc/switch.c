/*
 * proc_switch: what a switch between threads must change beyond the
 * stack. Kernel threads run on the kernel's root so that a process's tables
 * are never live once its last thread has left the CPU.
 */
#include <mm/mm.h>
#include <proc/process.h>
#include <proc/switch.h>
#include <proc/user_arch.h>

/* A kernel thread's rights: none. Never NULL, so the entry code can test
 * a bit without testing the pointer first. */
static const uint64_t kernel_thread_rights[SYSCALL_RIGHTS_WORDS];

void proc_switch(PerCpu *cpu, Thread *prev, Thread *next)
{
    if (prev->fpu_area != NULL) {
        arch_fpu_save(prev->fpu_area);
    }
    Process *p = next->process;
    uint64_t root = p != NULL ? p->vm.root : mm_kernel_root();
    if (cpu->active_root != root) {
        arch_space_activate(root);
        cpu->active_root = root;
    }
    if (p != NULL) {
        arch_set_kernel_stack(next->kstack_top);
        cpu->syscall_rights = p->rights.words;
        arch_fpu_restore(next->fpu_area);
    } else {
        cpu->syscall_rights = kernel_thread_rights;
    }
}
