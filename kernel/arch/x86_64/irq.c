/*
 * Interrupt set-up and dispatch: PIC masking, the MADT's CPU list, LAPIC
 * mode selection, the vector table irq_dispatch routes through, and IPIs.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <clock.h>
#include <irq_hooks.h>
#include <klog.h>
#include <mm/direct_map.h>
#include <percpu.h>

#include "acpi_kernel.h"
#include "acpi_tables.h"
#include "ipi_x86.h"
#include "lapic.h"
#include "smp_x86.h"

#define PIC1_DATA 0x21
#define PIC2_DATA 0xA1

#define CPUID_1_ECX_X2APIC (1U << 21)

/* INIT-SIPI-SIPI timing (SDM vol. 3A 9.4.4.1). */
#define INIT_DELAY_NS  10000000ULL
#define SIPI_DELAY_NS  200000ULL
#define TRAMPOLINE_MAX 0x100000ULL

/* Filled by arch_irq_init on the boot CPU before any other CPU starts;
 * read-only afterwards. */
static MadtInfo madt;
static uint32_t boot_apic_id;
static IrqHandler handlers[IRQ_VECTOR_COUNT];

/* Vectors already reported as unexpected (one line each, ever). Touched
 * only with interrupts off; a race between CPUs costs a duplicate line. */
static uint64_t unexpected_seen[IRQ_VECTOR_COUNT / 64];

static void pic_mask_all(void)
{
    /* Both 8259s stay masked for good: every interrupt comes through the
     * APICs. Masking even without PCAT_COMPAT costs nothing. */
    outb(PIC1_DATA, 0xFF);
    outb(PIC2_DATA, 0xFF);
}

static Error madt_load(const BootInfo *bi)
{
    const uint8_t *table;
    uint32_t length;
    Error err = acpi_kernel_table(bi, "APIC", &table, &length);
    if (err == E_OK) {
        err = acpi_madt_decode(table, length, &madt);
    }
    if (err != E_OK) {
        LOG(KLOG_ERROR, "irq", "no usable ACPI MADT: %s", error_name(err));
        return err;
    }
    if (madt.cpus_dropped != 0) {
        LOG(KLOG_WARN, "irq", "MADT lists %u more CPUs than the %d supported", madt.cpus_dropped,
            MADT_MAX_CPUS);
    }
    return E_OK;
}

static bool madt_has_cpu(uint32_t apic_id)
{
    for (uint32_t i = 0; i < madt.cpu_count; i++) {
        if (madt.cpus[i].apic_id == apic_id) {
            return true;
        }
    }
    return false;
}

void arch_irq_cpu_init(void)
{
    lapic_enable(IRQ_VECTOR_SPURIOUS);
}

Error arch_irq_init(const BootInfo *bi)
{
    pic_mask_all();
    Error err = madt_load(bi);
    if (err != E_OK) {
        return err;
    }
    bool x2apic = (cpuid(1, 0).ecx & CPUID_1_ECX_X2APIC) != 0;
    if (!x2apic && (madt.lapic_phys & 0xFFF) != 0) {
        LOG(KLOG_ERROR, "irq", "LAPIC address %llx not page aligned",
            (unsigned long long)madt.lapic_phys);
        return E_CORRUPT;
    }
    /* The LAPIC page is below 4 GiB, in the direct map's uncached holes. */
    lapic_setup(x2apic ? LAPIC_X2APIC : LAPIC_XAPIC,
                x2apic ? 0 : (uintptr_t)phys_to_virt(madt.lapic_phys));
    arch_irq_cpu_init();

    uint32_t id = lapic_id();
    if (!madt_has_cpu(id)) {
        LOG(KLOG_ERROR, "irq", "boot CPU (APIC id %u) is not in the MADT", id);
        return E_NOSYS;
    }
    boot_apic_id = id;
    err = ipi_x86_init();
    if (err != E_OK) {
        return err;
    }
    smp_x86_init(bi);
    kprintf("irq: %s, LAPIC id %u, %u CPUs (MADT), %u I/O APIC%s\n", x2apic ? "x2apic" : "xapic",
            id, madt.cpu_count, madt.ioapic_count, madt.ioapic_count == 1 ? "" : "s");
    return E_OK;
}

Error arch_irq_register(uint8_t vector, IrqHandler handler)
{
    /* 0x69's gate is the deprecated syscall (cpu_init.c), not irq_common:
     * a handler there would never run. */
    if (vector < IRQ_FIRST_VECTOR || vector == IRQ_VECTOR_SPURIOUS ||
        vector == IRQ_VECTOR_SYSCALL || handler == NULL) {
        return E_INVAL;
    }
    if (handlers[vector] != NULL) {
        return E_BUSY;
    }
    handlers[vector] = handler;
    return E_OK;
}

void arch_irq_unregister(uint8_t vector)
{
    if (vector >= IRQ_FIRST_VECTOR) {
        __atomic_store_n(&handlers[vector], NULL, __ATOMIC_RELEASE);
    }
}

uint32_t arch_irq_cpu_count(void)
{
    return madt.cpu_count;
}

uint32_t arch_irq_cpu_apic_id(uint32_t index)
{
    return index < madt.cpu_count ? madt.cpus[index].apic_id : UINT32_MAX;
}

uint32_t arch_irq_boot_apic_id(void)
{
    return boot_apic_id;
}

uint32_t arch_irq_this_apic_id(void)
{
    return lapic_id();
}

/* lapic_send_icr with interrupts off: an interrupt handler on this CPU
 * that sent an IPI between our ICR writes would corrupt the xAPIC's
 * two-word ICR. */
static Error send_icr(uint32_t apic_id, uint32_t low)
{
    unsigned long flags = arch_irq_save();
    Error err = lapic_send_icr(apic_id, low);
    arch_irq_restore(flags);
    return err;
}

Error arch_irq_send_ipi(uint32_t apic_id, uint8_t vector)
{
    if (vector < IRQ_FIRST_VECTOR) {
        return E_INVAL;
    }
    return send_icr(apic_id, LAPIC_ICR_FIXED | LAPIC_ICR_ASSERT | vector);
}

static void delay_ns(uint64_t ns)
{
    uint64_t end = clock_ns() + ns;
    while (clock_ns() < end) {
        arch_cpu_relax();
    }
}

Error arch_irq_start_cpu(uint32_t apic_id, uint64_t trampoline_phys)
{
    if ((trampoline_phys & 0xFFF) != 0 || trampoline_phys >= TRAMPOLINE_MAX) {
        return E_INVAL;
    }
    Error err = send_icr(apic_id, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
    if (err != E_OK) {
        return err;
    }
    delay_ns(INIT_DELAY_NS);
    /* The STARTUP vector is the trampoline's page number. Two tries, as
     * the SDM's universal algorithm sends: one may be lost. */
    uint32_t sipi = LAPIC_ICR_STARTUP | LAPIC_ICR_ASSERT | (uint32_t)(trampoline_phys >> 12);
    for (int i = 0; i < 2; i++) {
        err = send_icr(apic_id, sipi);
        if (err != E_OK) {
            return err;
        }
        delay_ns(SIPI_DELAY_NS);
    }
    return E_OK;
}

static bool is_ipi_vector(uint64_t vector)
{
    return vector >= IRQ_VECTOR_IPI_WORK && vector <= IRQ_VECTOR_IPI_SPARE2;
}

/* A vector nobody registered: the spare IPI vectors are ignored; anything
 * else is reported once. */
static void irq_unhandled(uint64_t vector)
{
    if (is_ipi_vector(vector)) {
        return;
    }
    uint64_t bit = 1ULL << (vector % 64);
    if ((unexpected_seen[vector / 64] & bit) == 0) {
        unexpected_seen[vector / 64] |= bit;
        LOG(KLOG_WARN, "irq", "unexpected interrupt on vector %llu", (unsigned long long)vector);
    }
}

void irq_dispatch(TrapFrame *frame)
{
    uint64_t vector = frame->vector;
    /* A spurious interrupt is not in service: no EOI (SDM vol. 3A 11.9). */
    if (vector != IRQ_VECTOR_SPURIOUS) {
        PerCpu *cpu = this_cpu();
        /* EOI first: irq_exit may switch threads, and the in-service bit
         * must not stay set while another thread runs. IF stays clear, so
         * no new interrupt arrives before iretq or the switch. */
        lapic_eoi();
        cpu->irq_nesting++;
        IrqHandler handler = handlers[vector];
        if (handler != NULL) {
            handler(frame);
        } else {
            irq_unhandled(vector);
        }
        cpu->irq_nesting--;
    }
    irq_exit();
}
