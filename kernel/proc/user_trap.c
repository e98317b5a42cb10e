/*
 * The generic side of traps from user mode: lazy page faults, faults that
 * end a process, and the work due before returning to user mode.
 */
#include <arch/cpu.h>
#include <klog.h>
#include <panic.h>
#include <proc/process.h>
#include <proc/user_arch.h>
#include <sched/sched.h>

bool user_fault_resolve(uintptr_t addr, unsigned access)
{
    Process *p = process_current();
    if (p == NULL) {
        return false;
    }
    return vm_fault(&p->vm, addr, access);
}

_Noreturn void user_fault_kill(const char *what, uintptr_t pc, uintptr_t addr)
{
    Process *p = process_current();
    if (p == NULL) {
        panic("user_fault_kill from kernel thread %s", thread_current()->name);
    }
    arch_irq_enable();
    LOG(KLOG_WARN, "proc", "process %u (%s) killed: %s at pc %#llx, address %#llx", p->pid, p->name,
        what, (unsigned long long)pc, (unsigned long long)addr);
    process_kill(p, ANOS_EXIT_FAULT);
    process_thread_exit();
}

void user_return_work(void)
{
    PerCpu *cpu = this_cpu();
    for (;;) {
        Thread *self = cpu->current;
        if (__atomic_load_n(&self->kill_pending, __ATOMIC_ACQUIRE)) {
            arch_irq_enable();
            process_thread_exit();
        }
        if (!cpu->preempt_pending) {
            return;
        }
        sched_yield(); /* interrupts stay off across it */
        cpu = this_cpu();
    }
}
