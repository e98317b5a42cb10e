/*
 * The local APIC behind one register interface for both modes: x2APIC
 * (registers are MSRs 0x800 + offset/16, a 64-bit ICR) and xAPIC (4 KiB of
 * MMIO, a split ICR with a delivery-status bit). Everything above this file
 * names registers by their xAPIC offset and never asks which mode is on.
 */
#ifndef ANOS_ARCH_X86_64_LAPIC_H
#define ANOS_ARCH_X86_64_LAPIC_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stdint.h>

/* Register offsets (SDM vol. 3A table 11-1). */
#define LAPIC_ID          0x020
#define LAPIC_VERSION     0x030
#define LAPIC_TPR         0x080
#define LAPIC_EOI         0x0B0
#define LAPIC_SVR         0x0F0
#define LAPIC_ESR         0x280
#define LAPIC_ICR_LOW     0x300
#define LAPIC_ICR_HIGH    0x310 /* xAPIC only: x2APIC's ICR is one MSR */
#define LAPIC_LVT_TIMER   0x320
#define LAPIC_LVT_LINT0   0x350
#define LAPIC_LVT_LINT1   0x360
#define LAPIC_LVT_ERROR   0x370
#define LAPIC_TIMER_INIT  0x380
#define LAPIC_TIMER_COUNT 0x390
#define LAPIC_TIMER_DIV   0x3E0

#define LAPIC_SVR_ENABLE     (1U << 8)
#define LAPIC_LVT_MASKED     (1U << 16)
#define LAPIC_TIMER_ONESHOT  (0U << 17)
#define LAPIC_TIMER_DEADLINE (2U << 17)
#define LAPIC_TIMER_DIV_16   0x3

/* ICR low word. */
#define LAPIC_ICR_FIXED           (0U << 8)
#define LAPIC_ICR_NMI             (4U << 8) /* vector field ignored */
#define LAPIC_ICR_INIT            (5U << 8)
#define LAPIC_ICR_STARTUP         (6U << 8)
#define LAPIC_ICR_DELIVERY_STATUS (1U << 12) /* xAPIC: send pending */
#define LAPIC_ICR_ASSERT          (1U << 14)
/* Destination shorthands (bits 19:18); with one, the destination field is
 * ignored (pass 0). */
#define LAPIC_ICR_DEST_SELF         (1U << 18)
#define LAPIC_ICR_DEST_ALL          (2U << 18) /* including self */
#define LAPIC_ICR_DEST_ALL_BUT_SELF (3U << 18)

/* MSRs. */
#define MSR_APIC_BASE       0x1B
#define APIC_BASE_ENABLE    (1ULL << 11)
#define APIC_BASE_X2APIC    (1ULL << 10)
#define APIC_BASE_ADDR_MASK 0x000FFFFFFFFFF000ULL
#define MSR_X2APIC_BASE     0x800
#define MSR_X2APIC_ICR      0x830
#define MSR_TSC_DEADLINE    0x6E0

/* How many times lapic_send_icr polls delivery status (xAPIC) before it
 * gives up: far more than any real or emulated APIC needs. */
#define LAPIC_ICR_SPIN 1000000

typedef enum LapicMode {
    LAPIC_XAPIC = 0,
    LAPIC_X2APIC = 1,
} LapicMode;

/* The hardware accessors lapic.c is built on: lapic_hw.c in the kernel,
 * fakes in the host tests. addr is a virtual address in the direct map. */
uint32_t lapic_hw_mmio_read(uintptr_t addr);
void lapic_hw_mmio_write(uintptr_t addr, uint32_t value);
uint64_t lapic_hw_rdmsr(uint32_t msr);
void lapic_hw_wrmsr(uint32_t msr, uint64_t value);
void lapic_hw_relax(void);
void lapic_hw_fence(void); /* orders earlier stores before an x2APIC ICR write */

/* Chooses the mode and, for xAPIC, the virtual address of the register
 * page. Boot CPU, before any other lapic_ call; the same for every CPU. */
void lapic_setup(LapicMode mode, uintptr_t mmio_base);
LapicMode lapic_mode(void);

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);

/* This CPU's APIC id: 8 bits (ID[31:24]) in xAPIC, 32 in x2APIC. */
uint32_t lapic_id(void);

/* Signals the end of the interrupt being serviced. */
void lapic_eoi(void);

/* Puts this CPU's APIC into the chosen mode through IA32_APIC_BASE
 * (xAPIC -> x2APIC goes through xAPIC-enabled first, as the SDM requires),
 * software-enables it with spurious vector spurious_vector and accepts
 * every priority (TPR 0). Interrupts off. */
void lapic_enable(uint8_t spurious_vector);

/* Sends an IPI: low is the ICR low word (vector, delivery mode, level),
 * dest the destination APIC id. E_RANGE for a dest an xAPIC cannot
 * address (> 254), E_BUSY when an xAPIC never clears delivery status.
 * Interrupts off, so nothing else on this CPU uses the ICR meanwhile. */
Error lapic_send_icr(uint32_t dest, uint32_t low);

#endif
