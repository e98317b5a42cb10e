/*
 * riscv64 interrupts (arch/irq.h): set-up of the PLIC and sie, and the
 * dispatch of S-mode timer, software (IPI, ipi.c) and external interrupts.
 */
#include <arch/cpu.h>
#include <arch/csr.h>
#include <arch/irq.h>
#include <arch/memory_layout.h>
#include <arch/sbi.h>
#include <irq_hooks.h>
#include <klog.h>
#include <kprintf.h>
#include <panic.h>
#include <percpu.h>

#include "dt_platform.h"
#include "plic.h"
#include "riscv.h"

/* Written by arch_irq_init on the boot hart before other harts start;
 * read-only afterwards (plic.handlers: see plic.h). */
static RiscvHartList irq_harts;
static Plic irq_plic;
static bool irq_have_plic;

static bool irq_unexpected_ext_logged;

uint32_t riscv_irq_hart_index(uint32_t hart_id)
{
    for (uint32_t i = 0; i < irq_harts.count; i++) {
        if (irq_harts.harts[i].hart_id == hart_id) {
            return i;
        }
    }
    return RISCV_MAX_HARTS;
}

static void irq_report_devices(const Fdt *fdt)
{
    RiscvMmioInfo clint;
    RiscvEcamInfo ecam;
    if (riscv_dt_clint(fdt, &clint) == E_OK) {
        LOG(KLOG_INFO, "irq", "clint at %#llx (M-mode only; unused)",
            (unsigned long long)clint.base);
    }
    if (riscv_dt_ecam(fdt, &ecam) == E_OK) {
        LOG(KLOG_INFO, "irq", "pci ecam at %#llx, buses %u-%u", (unsigned long long)ecam.base,
            ecam.bus_start, ecam.bus_end);
    }
}

static Error irq_setup_plic(const Fdt *fdt)
{
    RiscvPlicInfo info;
    Error err = riscv_dt_plic(fdt, &irq_harts, &info);
    if (err == E_NOENT) {
        kprintf("irq: no plic, %u harts\n", irq_harts.count);
        return E_OK;
    }
    if (err != E_OK) {
        return err;
    }
    if (info.base >= DIRECT_MAP_SIZE || info.size > DIRECT_MAP_SIZE - info.base) {
        return E_RANGE; /* the direct map cannot reach it */
    }
    irq_plic.regs = (volatile uint8_t *)(uintptr_t)(DIRECT_MAP_BASE + info.base);
    irq_plic.size = info.size;
    irq_plic.ndev = info.ndev;
    plic_reset(&irq_plic, &irq_harts);
    irq_have_plic = true;
    kprintf("irq: plic at %#llx, %u sources, %u harts\n", (unsigned long long)info.base, info.ndev,
            irq_harts.count);
    return E_OK;
}

Error arch_irq_init(const BootInfo *bi)
{
    Fdt fdt;
    Error err = riscv_fdt_open(bi->dtb_phys, &fdt);
    if (err == E_OK) {
        err = riscv_dt_harts(&fdt, &irq_harts);
    }
    if (err == E_OK) {
        err = irq_setup_plic(&fdt);
    }
    if (err != E_OK) {
        return err;
    }
    if (irq_harts.skipped != 0) {
        LOG(KLOG_WARN, "irq", "%u cpu nodes unusable or beyond %u harts", irq_harts.skipped,
            RISCV_MAX_HARTS);
    }
    irq_report_devices(&fdt);
    arch_irq_cpu_init();
    return E_OK;
}

void arch_irq_cpu_init(void)
{
    uint32_t index = riscv_irq_hart_index(this_cpu()->arch_id);
    if (irq_have_plic && index < irq_harts.count &&
        irq_harts.harts[index].plic_context != RISCV_PLIC_NO_CONTEXT) {
        plic_set_threshold(&irq_plic, irq_harts.harts[index].plic_context, 0);
    }
    csr_clear(sip, SIP_SSIP);
    csr_set(sie, SIE_STIE | SIE_SSIE | SIE_SEIE);
    /* Only now may other harts signal this one: an SSIP raised before the
     * clear above would be lost with its pending kinds left unseen. */
    riscv_ipi_hart_ready();
}

uint32_t arch_irq_cpu_count(void)
{
    return irq_harts.count;
}

uint32_t arch_irq_cpu_hart_id(uint32_t index)
{
    return index < irq_harts.count ? irq_harts.harts[index].hart_id : 0;
}

Error arch_irq_register(uint32_t source, ArchIrqHandler handler, void *arg)
{
    if (!irq_have_plic) {
        return E_NOSYS;
    }
    uint32_t index = riscv_irq_hart_index(this_cpu()->arch_id);
    if (index == RISCV_MAX_HARTS || irq_harts.harts[index].plic_context == RISCV_PLIC_NO_CONTEXT) {
        return E_NOSYS;
    }
    Error err = plic_set_handler(&irq_plic, source, (PlicHandler){.fn = handler, .arg = arg});
    if (err != E_OK) {
        return err;
    }
    plic_set_priority(&irq_plic, source, 1);
    plic_set_enabled(&irq_plic, irq_harts.harts[index].plic_context, source, true);
    return E_OK;
}

/* The calling hart's PLIC context, or RISCV_PLIC_NO_CONTEXT. */
static uint32_t irq_this_context(void)
{
    uint32_t index = riscv_irq_hart_index(this_cpu()->arch_id);
    return index == RISCV_MAX_HARTS ? RISCV_PLIC_NO_CONTEXT : irq_harts.harts[index].plic_context;
}

void arch_irq_set_masked(uint32_t source, uint32_t context, bool masked)
{
    if (irq_have_plic && context != RISCV_PLIC_NO_CONTEXT) {
        plic_set_enabled(&irq_plic, context, source, !masked);
    }
}

uint32_t arch_irq_context(void)
{
    return irq_have_plic ? irq_this_context() : RISCV_PLIC_NO_CONTEXT;
}

void arch_irq_unregister(uint32_t source, uint32_t context)
{
    if (!irq_have_plic) {
        return;
    }
    if (context != RISCV_PLIC_NO_CONTEXT) {
        plic_set_enabled(&irq_plic, context, source, false);
    }
    plic_set_priority(&irq_plic, source, 0);
    plic_clear_handler(&irq_plic, source);
}

static void irq_external(void)
{
    uint32_t index = riscv_irq_hart_index(this_cpu()->arch_id);
    if (!irq_have_plic || index == RISCV_MAX_HARTS ||
        irq_harts.harts[index].plic_context == RISCV_PLIC_NO_CONTEXT) {
        /* Cannot claim: mask it on this hart rather than loop on it. */
        csr_clear(sie, SIE_SEIE);
        if (!irq_unexpected_ext_logged) {
            irq_unexpected_ext_logged = true;
            LOG(KLOG_WARN, "irq", "external interrupt without a PLIC context; masked");
        }
        return;
    }
    plic_handle(&irq_plic, irq_harts.harts[index].plic_context);
}

void riscv_irq_dispatch(TrapFrame *frame)
{
    PerCpu *cpu = this_cpu();
    uint64_t code = frame->scause & ~SCAUSE_INTERRUPT;
    cpu->irq_nesting++;
    switch (code) {
    case IRQ_S_TIMER: riscv_timer_interrupt(); break;
    case IRQ_S_SOFT: riscv_ipi_interrupt(); break;
    case IRQ_S_EXT: irq_external(); break;
    default:
        kprintf("PANIC: unexpected interrupt %llu at sepc=%#llx\n", (unsigned long long)code,
                (unsigned long long)frame->sepc);
        arch_dump_registers(frame);
        panic_finish(frame->s0, frame->sepc);
    }
    cpu->irq_nesting--;
    /* Last, with interrupts still off and this frame on the interrupted
     * thread's stack: irq_exit may switch threads and come back much later
     * (on another hart); the exit path then restores sepc and sstatus from
     * the frame. */
    irq_exit();
}
