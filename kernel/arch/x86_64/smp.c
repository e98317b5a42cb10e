/*
 * Application-processor start-up: copy the trampoline below 1 MiB, fill its
 * parameters, INIT-SIPI-SIPI, and wait for the AP to report in from C.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <clock.h>
#include <klog.h>
#include <kstring.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <mm/vmm.h>
#include <smp_hooks.h>

#include "ap_setup.h"
#include "cpu_x86.h"
#include "lapic.h"

/* How long an AP may take from the first STARTUP to reporting in. Real
 * hardware needs well under 1 ms; TCG with 16 vCPUs on few host cores
 * can take tens of ms. */
#define AP_REPORT_TIMEOUT_NS 1000000000ULL

extern const uint8_t ap_trampoline_start[];
extern const uint8_t ap_trampoline_end[];
extern const uint32_t ap_trampoline_pm32_offset;
extern const uint32_t ap_trampoline_lm64_offset;
extern void ap_long_mode_entry(void);

/* Set once by smp_x86_init on the boot CPU; 0 = no usable low pages. */
static uint64_t area_phys;

/* One start at a time: the trampoline page and `reported` are shared. */
static uint32_t start_busy;

/* Written by the AP when it has left the trampoline and finished its arch
 * set-up; the starting CPU spins on it. */
static uint32_t reported;

void smp_x86_init(const BootInfo *bi)
{
    uint32_t count = bi->mem_region_count;
    if (count > BOOTINFO_MAX_MEM_REGIONS) {
        count = BOOTINFO_MAX_MEM_REGIONS;
    }
    if (ap_area_find(bi->mem_regions, count, &area_phys) != E_OK) {
        area_phys = 0;
        LOG(KLOG_WARN, "smp", "no usable memory below 640 KiB for the AP trampoline");
    }
}

uint32_t arch_smp_cpu_count(void)
{
    return arch_irq_cpu_count();
}

uint32_t arch_smp_cpu_arch_id(uint32_t i)
{
    uint32_t count = arch_irq_cpu_count();
    uint32_t ids[MAX_CPUS];
    if (count > MAX_CPUS) {
        count = MAX_CPUS;
    }
    for (uint32_t k = 0; k < count; k++) {
        ids[k] = arch_irq_cpu_apic_id(k);
    }
    return ap_cpu_order(ids, count, arch_irq_boot_apic_id(), i);
}

uint32_t arch_smp_this_arch_id(void)
{
    return arch_irq_this_apic_id();
}

/* C entry of an AP, from ap_long_mode_entry on the kernel's tables and its
 * own stack, interrupts off. The order matters: the GDT load nulls GS, so
 * the GS base goes in after it; the LAPIC and timer use this_cpu(). */
_Noreturn void smp_x86_ap_main(PerCpu *cpu)
{
    cpu_init_ap(cpu->index);
    arch_percpu_install(cpu);
    arch_irq_cpu_init();
    arch_timer_cpu_init();
    /* The trampoline page and its tables are no longer used: the next
     * start may overwrite them. */
    __atomic_store_n(&reported, 1, __ATOMIC_RELEASE);
    smp_ap_entry(cpu);
}

static bool madt_has(uint32_t arch_id)
{
    for (uint32_t i = 0; i < arch_irq_cpu_count(); i++) {
        if (arch_irq_cpu_apic_id(i) == arch_id) {
            return true;
        }
    }
    return false;
}

static Error check_start(uint32_t arch_id, const PerCpu *cpu, uintptr_t stack_top)
{
    if (cpu == NULL || cpu->index == 0 || cpu->index >= MAX_CPUS || stack_top == 0 ||
        (stack_top & 15) != 0 || arch_id == arch_irq_this_apic_id()) {
        return E_INVAL;
    }
    if (!madt_has(arch_id)) {
        return E_NOENT;
    }
    if (lapic_mode() == LAPIC_XAPIC && arch_id > 0xFE) {
        return E_RANGE;
    }
    return area_phys == 0 ? E_NOMEM : E_OK;
}

/* An overflow of an AP's IST stack must fault: drop its guard pages from
 * the kernel image mapping. A retry finds them gone already (E_NOENT). */
static void unmap_ist_guards(uint32_t index)
{
    uintptr_t guards[CPU_IST_COUNT];
    cpu_ist_guards(index, guards);
    for (int i = 0; i < CPU_IST_COUNT; i++) {
        Error err = vmm_unmap_page(mm_kernel_root(), guards[i]);
        if (err != E_OK && err != E_NOENT) {
            LOG(KLOG_WARN, "smp", "cannot unmap IST guard %p: %s", (void *)guards[i],
                error_name(err));
        }
    }
}

/* Copies the code, builds the low tables and the parameter block. */
static Error trampoline_prepare(PerCpu *cpu, uintptr_t stack_top)
{
    uint8_t *area = phys_to_virt(area_phys);
    size_t size = (size_t)((uintptr_t)ap_trampoline_end - (uintptr_t)ap_trampoline_start);
    ApTrampolineLayout layout = {
        .size = (uint32_t)size,
        .pm32_offset = ap_trampoline_pm32_offset,
        .lm64_offset = ap_trampoline_lm64_offset,
    };
    ApStart start = {
        .area_phys = area_phys,
        .kernel_cr3 = mm_kernel_root(),
        .entry = (uint64_t)(uintptr_t)ap_long_mode_entry,
        .cpu = (uint64_t)(uintptr_t)cpu,
        .stack_top = stack_top,
    };
    ApParams params;
    Error err = ap_params_fill(&params, &layout, &start);
    if (err != E_OK) {
        return err;
    }
    memcpy(area, ap_trampoline_start, size);
    memcpy(area + AP_PARAMS_OFFSET, &params, sizeof(params));
    ap_low_tables_build((uint64_t *)(area + AP_PML4_OFFSET), (uint64_t *)(area + AP_PDPT_OFFSET),
                        (uint64_t *)(area + AP_PD_OFFSET), area_phys + AP_PDPT_OFFSET,
                        area_phys + AP_PD_OFFSET, phys_to_virt(mm_kernel_root()));
    return E_OK;
}

static bool wait_report(void)
{
    uint64_t end = clock_ns() + AP_REPORT_TIMEOUT_NS;
    while (__atomic_load_n(&reported, __ATOMIC_ACQUIRE) == 0) {
        if (clock_ns() >= end) {
            return false;
        }
        arch_cpu_relax();
    }
    return true;
}

Error arch_smp_start_cpu(uint32_t arch_id, PerCpu *cpu, uintptr_t stack_top)
{
    Error err = check_start(arch_id, cpu, stack_top);
    if (err != E_OK) {
        return err;
    }
    if (__atomic_exchange_n(&start_busy, 1, __ATOMIC_ACQUIRE) != 0) {
        return E_BUSY;
    }
    unmap_ist_guards(cpu->index);
    err = trampoline_prepare(cpu, stack_top);
    if (err == E_OK) {
        __atomic_store_n(&reported, 0, __ATOMIC_RELEASE);
        err = arch_irq_start_cpu(arch_id, area_phys);
    }
    if (err == E_OK && !wait_report()) {
        /* Back to wait-for-SIPI, so it cannot wake up later in a page the
         * next start is rewriting. */
        unsigned long flags = arch_irq_save();
        (void)lapic_send_icr(arch_id, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
        arch_irq_restore(flags);
        err = E_AGAIN;
    }
    __atomic_store_n(&start_busy, 0, __ATOMIC_RELEASE);
    return err;
}
