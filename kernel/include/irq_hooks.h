/*
 * What the architecture's interrupt code calls in generic code: the small
 * upward interface the lower layer declares (STYLE.md habit 1). The arch
 * calls these with interrupts off, on the interrupted thread's kernel stack,
 * after acknowledging (EOI) the interrupt where the controller needs it.
 */
#ifndef ANOS_KERNEL_IRQ_HOOKS_H
#define ANOS_KERNEL_IRQ_HOOKS_H

/* This CPU's timer fired (the deadline set by arch_timer_arm). */
void irq_timer(void);

/* Called last on the way out of any interrupt taken from kernel or user
 * code, still with interrupts off: may switch threads (preemption). */
void irq_exit(void);

#endif
