/*
 * The monotonic clock: HPET main counter as the reference (its period comes
 * from the hardware), TSC calibrated against it and scaled to ns by a
 * multiply-shift. The HPET is the fallback source when the TSC cannot be
 * trusted to tick at a constant rate.
 */
#include <arch/clock.h>
#include <arch/cpu.h>
#include <klog.h>
#include <mm/direct_map.h>

#include "acpi_kernel.h"
#include "acpi_tables.h"
#include "clock_scale.h"
#include "clock_x86.h"

/* HPET registers (HPET spec 1.0a section 2.3). */
#define HPET_CAPABILITIES     0x000
#define HPET_CONFIG           0x010
#define HPET_MAIN_COUNTER     0x0F0
#define HPET_CAP_PERIOD_SHIFT 32
#define HPET_CAP_COUNTER_64   (1ULL << 13)
#define HPET_CONFIG_ENABLE    (1ULL << 0)
#define HPET_MAX_PERIOD_FS    100000000ULL /* 100 ns: the spec's upper bound */
#define FS_PER_SEC            1000000000000000ULL

/* How long the TSC is measured against the HPET. */
#define CALIBRATION_NS 20000000ULL
/* HPET reads before we decide its counter is stuck. */
#define HPET_STUCK_SPIN 10000000

/* CPUID bits. */
#define CPUID_80000007_EDX_INVARIANT_TSC (1U << 8)
#define CPUID_1_ECX_HYPERVISOR           (1U << 31)

/* Set once by arch_clock_init on the boot CPU before any other CPU or
 * interrupt reads them; read-only afterwards, so readers need no lock. */
static volatile uint64_t *hpet_regs;
static uint64_t hpet_hz;
static uint64_t tsc_hz;
static bool use_tsc;
static uint64_t base_count; /* source count at clock_ns() == 0 */
static uint64_t ns_mult;    /* source ticks -> ns */
static uint64_t tsc_mult;   /* ns -> TSC ticks */

static uint64_t hpet_read(void)
{
    return hpet_regs[HPET_MAIN_COUNTER / 8];
}

uint64_t arch_clock_ns(void)
{
    if (ns_mult == 0) {
        return 0;
    }
    uint64_t count = use_tsc ? rdtsc() : hpet_read();
    return scale_apply(count - base_count, ns_mult);
}

bool clock_x86_uses_tsc(void)
{
    return use_tsc;
}

uint64_t clock_x86_tsc_at(uint64_t ns)
{
    return base_count + scale_apply(ns, tsc_mult);
}

uint64_t clock_x86_tsc_hz(void)
{
    return tsc_hz;
}

static Error hpet_start(const BootInfo *bi, bool *counter_64)
{
    const uint8_t *table;
    uint32_t length;
    HpetInfo hpet;
    Error err = acpi_kernel_table(bi, "HPET", &table, &length);
    if (err == E_OK) {
        err = acpi_hpet_decode(table, length, &hpet);
    }
    if (err != E_OK) {
        LOG(KLOG_ERROR, "clock", "no usable ACPI HPET table: %s", error_name(err));
        return err;
    }
    hpet_regs = phys_to_virt(hpet.phys);
    uint64_t caps = hpet_regs[HPET_CAPABILITIES / 8];
    uint64_t period_fs = caps >> HPET_CAP_PERIOD_SHIFT;
    if (period_fs == 0 || period_fs > HPET_MAX_PERIOD_FS) {
        LOG(KLOG_ERROR, "clock", "HPET at %llx reports period %llu fs",
            (unsigned long long)hpet.phys, (unsigned long long)period_fs);
        return E_CORRUPT;
    }
    hpet_hz = FS_PER_SEC / period_fs;
    *counter_64 = (caps & HPET_CAP_COUNTER_64) != 0;
    /* Legacy replacement stays off: the HPET is only read, never a source
     * of interrupts. */
    hpet_regs[HPET_CONFIG / 8] |= HPET_CONFIG_ENABLE;

    uint64_t first = hpet_read();
    for (int i = 0; i < HPET_STUCK_SPIN; i++) {
        if (hpet_read() != first) {
            return E_OK;
        }
    }
    LOG(KLOG_ERROR, "clock", "HPET main counter does not count");
    return E_CORRUPT;
}

/* Counts TSC ticks over CALIBRATION_NS of HPET time. The 32-bit difference
 * is enough: a 32-bit HPET wraps after minutes, not milliseconds. */
static uint64_t tsc_calibrate(void)
{
    uint64_t wait = scale_apply(CALIBRATION_NS, scale_mult(hpet_hz, NS_PER_SEC));
    uint32_t h0 = (uint32_t)hpet_read();
    uint64_t t0 = rdtsc();
    uint32_t elapsed;
    do {
        elapsed = (uint32_t)hpet_read() - h0;
    } while (elapsed < wait);
    uint64_t t1 = rdtsc();
    /* (t1 - t0) * hpet_hz / elapsed without a 128-bit division. */
    return scale_apply(t1 - t0, scale_mult(hpet_hz, elapsed));
}

/* A TSC that keeps a constant rate through P- and C-states, or a virtual
 * CPU (whose TSC the hypervisor keeps constant). */
static bool tsc_trustworthy(void)
{
    bool invariant = cpuid(0x80000000, 0).eax >= 0x80000007 &&
                     (cpuid(0x80000007, 0).edx & CPUID_80000007_EDX_INVARIANT_TSC) != 0;
    bool hypervisor = (cpuid(1, 0).ecx & CPUID_1_ECX_HYPERVISOR) != 0;
    return invariant || hypervisor;
}

Error arch_clock_init(const BootInfo *bi)
{
    bool counter_64 = false;
    Error err = hpet_start(bi, &counter_64);
    if (err != E_OK) {
        return err;
    }
    tsc_hz = tsc_calibrate();
    use_tsc = tsc_trustworthy() || !counter_64;
    if (!tsc_trustworthy()) {
        LOG(KLOG_WARN, "clock", "TSC not invariant%s",
            use_tsc ? " (used anyway: 32-bit HPET)" : "");
    }
    uint64_t source_hz = use_tsc ? tsc_hz : hpet_hz;
    tsc_mult = scale_mult(tsc_hz, NS_PER_SEC);
    base_count = use_tsc ? rdtsc() : hpet_read();
    /* Written last: arch_clock_ns() returns 0 until the scale is set. */
    ns_mult = scale_mult(NS_PER_SEC, source_hz);
    kprintf("clock: hpet %llu Hz, tsc %llu.%03llu MHz, source %s\n", (unsigned long long)hpet_hz,
            (unsigned long long)(tsc_hz / 1000000), (unsigned long long)(tsc_hz / 1000 % 1000),
            use_tsc ? "tsc" : "hpet");
    return E_OK;
}
