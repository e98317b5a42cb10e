/*
 * The user-mode half of a thread switch, called by the scheduler on every
 * switch between two different threads.
 */
#ifndef ANOS_KERNEL_PROC_SWITCH_H
#define ANOS_KERNEL_PROC_SWITCH_H

#include <percpu.h>
#include <sched/thread.h>

/* Saves prev's FPU state, loads next's address space (the kernel's for a
 * kernel thread, so a dead process's tables are never live), kernel stack
 * for user entries, syscall rights and FPU state. Run-queue lock held,
 * interrupts off, just before the stack switch. The scheduler calls it
 * only when prev or next is a user thread: between two kernel threads
 * nothing changes (a running kernel thread always has the kernel's root,
 * or the boot one, loaded). */
void proc_switch(PerCpu *cpu, Thread *prev, Thread *next);

#endif
