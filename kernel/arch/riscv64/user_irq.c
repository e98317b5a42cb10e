/*
 * riscv64 interrupts for user-space drivers: a PLIC source the driver names
 * (from the devicetree), routed to the hart that allocates it. The handler
 * masks the source until the driver's next wait, so a level-triggered
 * device cannot interrupt again before the driver has serviced it.
 */
#include <arch/irq.h>
#include <fdt.h>
#include <mm/direct_map.h>
#include <percpu.h>
#include <proc/firmware.h>
#include <proc/irq_object.h>
#include <smp.h>

#include "dt_platform.h"

/* The PLIC context each source was enabled in, by source (for masking from
 * the handler and unmasking from any hart). */
#define USER_IRQ_MAX_SOURCES 1024
static uint32_t user_irq_context[USER_IRQ_MAX_SOURCES];

static void user_irq_handler(uint32_t source, void *arg)
{
    IrqObject *irq = arg;
    arch_irq_set_masked(source, user_irq_context[source], true);
    irq_object_signal(irq);
}

Error arch_user_irq_attach(uint32_t source, IrqObject *irq, AnosIrqInfo *info)
{
    if (source == 0 || source >= USER_IRQ_MAX_SOURCES) {
        return E_INVAL;
    }
    uint32_t context = arch_irq_context();
    if (context == RISCV_PLIC_NO_CONTEXT) {
        return E_NOSYS;
    }
    user_irq_context[source] = context;
    irq->source = source;
    irq->cpu = this_cpu()->index;
    Error err = arch_irq_register(source, user_irq_handler, irq);
    if (err != E_OK) {
        return err;
    }
    info->source = source;
    info->cpu = irq->cpu;
    return E_OK;
}

static void user_irq_nothing(void *arg)
{
    (void)arg;
}

void arch_user_irq_detach(IrqObject *irq)
{
    arch_irq_unregister(irq->source, user_irq_context[irq->source]);
    /* A handler already running on the target hart finishes before a call
     * there does: then the object may go. */
    if (this_cpu()->index != irq->cpu) {
        smp_call(irq->cpu, user_irq_nothing, NULL, true);
    }
}

void arch_user_irq_rearm(IrqObject *irq)
{
    arch_irq_set_masked(irq->source, user_irq_context[irq->source], false);
}

/* ---- Self-test hooks (proc/irq_object.h): the goldfish RTC ---- */

/* Goldfish RTC registers (QEMU hw/rtc/goldfish_rtc.c): times in ns; reading
 * TIME_LOW latches TIME_HIGH, writing ALARM_LOW arms the alarm. */
#define RTC_TIME_LOW        0x00
#define RTC_TIME_HIGH       0x04
#define RTC_ALARM_LOW       0x08
#define RTC_ALARM_HIGH      0x0C
#define RTC_IRQ_ENABLED     0x10
#define RTC_CLEAR_INTERRUPT 0x1C
#define RTC_ALARM_DELAY_NS  1000000ull

static volatile uint32_t *rtc_regs;

static Error rtc_find(uint32_t *source)
{
    const FirmwareInfo *fw = firmware_info();
    Fdt fdt;
    FdtNode node;
    FdtProp reg;
    if (fw->root == 0 || fdt_init(&fdt, phys_to_virt(fw->root), fw->root_size) != E_OK ||
        fdt_find_compatible(&fdt, FDT_NODE_NONE, "google,goldfish-rtc", &node) != E_OK ||
        fdt_get_prop(&fdt, node, "reg", &reg) != E_OK || reg.len < 8 ||
        fdt_prop_u32(&fdt, node, "interrupts", source) != E_OK) {
        return E_NOSYS;
    }
    uint32_t pos = 0;
    uint64_t base;
    if (fdt_read_cells(reg.data, reg.len, &pos, 2, &base) != E_OK) {
        return E_NOSYS;
    }
    rtc_regs = phys_to_virt(base);
    return E_OK;
}

Error arch_irq_selftest_source(uint32_t *source)
{
    return rtc_find(source);
}

Error arch_irq_selftest_fire(IrqObject *irq)
{
    (void)irq;
    uint64_t now = rtc_regs[RTC_TIME_LOW / 4];
    now |= (uint64_t)rtc_regs[RTC_TIME_HIGH / 4] << 32;
    uint64_t alarm = now + RTC_ALARM_DELAY_NS;
    rtc_regs[RTC_IRQ_ENABLED / 4] = 1;
    rtc_regs[RTC_ALARM_HIGH / 4] = (uint32_t)(alarm >> 32);
    rtc_regs[RTC_ALARM_LOW / 4] = (uint32_t)alarm;
    return E_OK;
}

void arch_irq_selftest_done(IrqObject *irq)
{
    (void)irq;
    rtc_regs[RTC_CLEAR_INTERRUPT / 4] = 1;
    rtc_regs[RTC_IRQ_ENABLED / 4] = 0;
}
