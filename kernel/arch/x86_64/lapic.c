/*
 * The mode-independent local APIC register interface (see lapic.h). The only
 * per-mode code is the address of a register and the shape of the ICR.
 */
#include "lapic.h"

/* Written once by lapic_setup on the boot CPU before other CPUs start. */
static LapicMode mode;
static uintptr_t mmio_base;

#define XAPIC_ID_SHIFT   24
#define XAPIC_MAX_DEST   0xFE /* 0xFF is broadcast */
#define XAPIC_DEST_SHIFT 24

void lapic_setup(LapicMode new_mode, uintptr_t new_mmio_base)
{
    mode = new_mode;
    mmio_base = new_mmio_base;
}

LapicMode lapic_mode(void)
{
    return mode;
}

static uint32_t x2apic_msr(uint32_t reg)
{
    return MSR_X2APIC_BASE + (reg >> 4);
}

uint32_t lapic_read(uint32_t reg)
{
    if (mode == LAPIC_X2APIC) {
        return (uint32_t)lapic_hw_rdmsr(x2apic_msr(reg));
    }
    return lapic_hw_mmio_read(mmio_base + reg);
}

void lapic_write(uint32_t reg, uint32_t value)
{
    if (mode == LAPIC_X2APIC) {
        lapic_hw_wrmsr(x2apic_msr(reg), value);
        return;
    }
    lapic_hw_mmio_write(mmio_base + reg, value);
}

uint32_t lapic_id(void)
{
    uint32_t id = lapic_read(LAPIC_ID);
    return mode == LAPIC_X2APIC ? id : id >> XAPIC_ID_SHIFT;
}

void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

void lapic_enable(uint8_t spurious_vector)
{
    uint64_t base = lapic_hw_rdmsr(MSR_APIC_BASE);
    if ((base & APIC_BASE_ENABLE) == 0) {
        base |= APIC_BASE_ENABLE;
        lapic_hw_wrmsr(MSR_APIC_BASE, base);
    }
    if (mode == LAPIC_X2APIC && (base & APIC_BASE_X2APIC) == 0) {
        lapic_hw_wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);
    }
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | spurious_vector);
    /* The ESR latches errors; a write re-arms it (both modes accept 0). */
    lapic_write(LAPIC_ESR, 0);
}

static bool xapic_wait_idle(void)
{
    for (int i = 0; i < LAPIC_ICR_SPIN; i++) {
        if ((lapic_read(LAPIC_ICR_LOW) & LAPIC_ICR_DELIVERY_STATUS) == 0) {
            return true;
        }
        lapic_hw_relax();
    }
    return false;
}

Error lapic_send_icr(uint32_t dest, uint32_t low)
{
    if (mode == LAPIC_X2APIC) {
        /* One 64-bit write sends; there is no delivery status to poll.
         * WRMSR to x2APIC registers is not serialising: fence first so the
         * target sees the stores that the IPI announces. */
        lapic_hw_fence();
        lapic_hw_wrmsr(MSR_X2APIC_ICR, ((uint64_t)dest << 32) | low);
        return E_OK;
    }
    if (dest > XAPIC_MAX_DEST) {
        return E_RANGE;
    }
    if (!xapic_wait_idle()) {
        return E_BUSY;
    }
    /* The write to the low word sends, so the destination goes first. */
    lapic_write(LAPIC_ICR_HIGH, dest << XAPIC_DEST_SHIFT);
    lapic_write(LAPIC_ICR_LOW, low);
    return xapic_wait_idle() ? E_OK : E_BUSY;
}
