/*
 * The LAPIC timer as the per-CPU one-shot deadline timer, calibrated against
 * the HPET-backed clock. TSC-deadline mode when CPUID offers it (QEMU 7.2
 * TCG does not), the counting one-shot mode otherwise.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/timer.h>
#include <clock.h>
#include <irq_hooks.h>
#include <kprintf.h>
#include <percpu.h>

#include "clock_scale.h"
#include "clock_x86.h"
#include "lapic.h"

#define CPUID_1_ECX_TSC_DEADLINE (1U << 24)
#define CALIBRATION_NS           10000000ULL

/* Set by arch_timer_init on the boot CPU; read-only afterwards. */
static uint64_t timer_hz;
static uint64_t ticks_mult; /* ns -> LAPIC timer ticks */
static bool tsc_deadline;

uint64_t arch_timer_hz(void)
{
    return timer_hz;
}

static void timer_interrupt(TrapFrame *frame)
{
    (void)frame;
    PerCpu *cpu = this_cpu();
    cpu->timer_interrupts++;
    /* The calibrated rate is off by a fraction of a percent, so a long
     * count can end just before the deadline: re-arm for the rest rather
     * than report a deadline as reached early. */
    uint64_t deadline = cpu->next_deadline_ns;
    if (deadline != 0 && clock_ns() < deadline) {
        arch_timer_arm(deadline);
        return;
    }
    cpu->next_deadline_ns = 0;
    irq_timer();
}

/* Counts LAPIC ticks over CALIBRATION_NS of clock time, timer masked. */
static uint64_t timer_calibrate(void)
{
    lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_ONESHOT | IRQ_VECTOR_TIMER);
    uint64_t start = clock_ns();
    lapic_write(LAPIC_TIMER_INIT, (uint32_t)SCALE_TIMER_MAX);
    uint64_t now;
    do {
        now = clock_ns();
    } while (now - start < CALIBRATION_NS);
    uint32_t left = lapic_read(LAPIC_TIMER_COUNT);
    lapic_write(LAPIC_TIMER_INIT, 0);
    uint64_t ticks = SCALE_TIMER_MAX - left;
    return scale_apply(ticks, scale_mult(NS_PER_SEC, now - start));
}

void arch_timer_cpu_init(void)
{
    lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
    lapic_write(LAPIC_TIMER_INIT, 0);
    lapic_write(LAPIC_LVT_TIMER,
                (tsc_deadline ? LAPIC_TIMER_DEADLINE : LAPIC_TIMER_ONESHOT) | IRQ_VECTOR_TIMER);
    if (tsc_deadline) {
        /* The SDM asks for a fence between the LVT write and the first
         * IA32_TSC_DEADLINE write. */
        __asm__ volatile("mfence" ::: "memory");
        wrmsr(MSR_TSC_DEADLINE, 0);
    }
    this_cpu()->next_deadline_ns = 0;
}

Error arch_timer_init(void)
{
    timer_hz = timer_calibrate();
    if (timer_hz == 0) {
        kprintf("timer: LAPIC timer does not count\n");
        return E_NOSYS;
    }
    ticks_mult = scale_mult(timer_hz, NS_PER_SEC);
    tsc_deadline = (cpuid(1, 0).ecx & CPUID_1_ECX_TSC_DEADLINE) != 0 && clock_x86_uses_tsc();
    Error err = arch_irq_register(IRQ_VECTOR_TIMER, timer_interrupt);
    if (err != E_OK) {
        return err;
    }
    arch_timer_cpu_init();
    kprintf("timer: lapic %llu Hz (divide 16), %s\n", (unsigned long long)timer_hz,
            tsc_deadline ? "tsc-deadline" : "one-shot");
    return E_OK;
}

void arch_timer_arm(uint64_t deadline_ns)
{
    this_cpu()->next_deadline_ns = deadline_ns;
    if (tsc_deadline) {
        /* 0 disarms; a TSC value already past fires at once. */
        wrmsr(MSR_TSC_DEADLINE, deadline_ns == 0 ? 0 : clock_x86_tsc_at(deadline_ns));
        return;
    }
    /* Writing the initial count restarts the count-down. A deadline beyond
     * 2^32 ticks (~68 s at 62.5 MHz) fires early; the scheduler re-arms. */
    lapic_write(LAPIC_TIMER_INIT,
                deadline_ns == 0 ? 0 : scale_timer_count(clock_ns(), deadline_ns, ticks_mult));
}
