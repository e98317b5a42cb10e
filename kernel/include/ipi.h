/*
 * Inter-processor interrupts as generic code sees them: a few kinds, each
 * delivered on its own vector (x86_64) or multiplexed over the supervisor
 * software interrupt with a per-CPU pending mask (riscv64).
 */
#ifndef ANOS_KERNEL_IPI_H
#define ANOS_KERNEL_IPI_H

typedef enum IpiKind {
    IPI_WORK = 0,       /* run this CPU's queue of remote work (calls, TLB shootdown) */
    IPI_RESCHEDULE = 1, /* a thread was made runnable here: reschedule */
    IPI_HALT = 2,       /* stop this CPU for good (panic); must not take locks */
    IPI_KIND_COUNT = 3,
} IpiKind;

#endif
