/*
 * Kernel stacks for threads: KSTACK_SIZE bytes each in a dedicated region
 * of the kernel half, page by page from the PMM, with an unmapped guard page
 * below each so an overflow faults instead of corrupting a neighbour.
 */
#ifndef ANOS_KERNEL_SCHED_KSTACK_H
#define ANOS_KERNEL_SCHED_KSTACK_H

#include <anos/errors.h>
#include <mm/page.h>
#include <stdint.h>

/* Root slot 510 on both architectures (see docs/Scheduler.md). */
#define KSTACK_REGION_BASE 0xFFFFFF0000000000ull
#define KSTACK_SIZE        (16 * 1024ull)
#define KSTACK_SLOT_SIZE   (KSTACK_SIZE + MM_PAGE_SIZE) /* guard page, then the stack */
#define KSTACK_SLOTS       4096                         /* 80 MiB of address space */

/* Maps a new stack; *base_out is its lowest byte (the guard page is the
 * page below). E_NOMEM: no free slot or no memory (nothing is left mapped). */
Error kstack_alloc(uintptr_t *base_out);

/* Unmaps a stack from kstack_alloc and returns its pages. The stack must
 * not be in use on any CPU. E_INVAL: not a stack base in use. */
Error kstack_free(uintptr_t base);

/* Stacks currently allocated. */
uint32_t kstack_count(void);

/*
 * The PMM, VMM and slab allocators have no locks of their own yet: the
 * scheduler's callers of them go through this one lock, with interrupts
 * off so a preempting thread cannot enter them either.
 * TODO(smp): drop it when mm takes its own locks.
 */
unsigned long kmem_lock(void);
void kmem_unlock(unsigned long flags);

#endif
