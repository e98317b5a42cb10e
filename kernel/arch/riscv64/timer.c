/*
 * The riscv64 one-shot timer (arch/timer.h) through SBI TIME, and the
 * S-timer interrupt's handler.
 */
#include <arch/clock.h>
#include <arch/sbi.h>
#include <arch/timer.h>
#include <irq_hooks.h>
#include <kprintf.h>
#include <percpu.h>

#include "riscv.h"

/* The comparator value that never fires: keeps STIP clear. */
#define TIMER_NEVER UINT64_MAX

Error arch_timer_init(void)
{
    const SbiInfo *sbi = sbi_info();
    if (!sbi->has_time && !sbi->has_legacy_timer) {
        return E_NOSYS;
    }
    if (riscv_clock_hz() == 0) {
        return E_INVAL;
    }
    kprintf("timer: sbi\n");
    return E_OK;
}

void arch_timer_cpu_init(void)
{
    sbi_set_timer(TIMER_NEVER);
    this_cpu()->next_deadline_ns = 0;
}

void arch_timer_arm(uint64_t deadline_ns)
{
    this_cpu()->next_deadline_ns = deadline_ns;
    sbi_set_timer(deadline_ns == 0 ? TIMER_NEVER : riscv_clock_ns_to_ticks(deadline_ns));
}

/* S-timer interrupt (interrupts off, on the interrupted stack). STIP stays
 * set until the comparator moves past now, so the interrupt would fire again
 * on sret unless someone writes it: irq_timer almost always re-arms (one SBI
 * call, which also clears STIP); only when it leaves the timer unarmed is
 * the comparator pushed to "never" here. One SBI call per tick, not two. */
void riscv_timer_interrupt(void)
{
    PerCpu *cpu = this_cpu();
    cpu->timer_interrupts++;
    cpu->next_deadline_ns = 0;
    irq_timer();
    if (cpu->next_deadline_ns == 0) {
        sbi_set_timer(TIMER_NEVER);
    }
}
