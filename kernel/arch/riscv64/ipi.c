/*
 * riscv64 IPIs (arch/ipi.h): a pending-kinds mask per hart, raised by SBI
 * IPI and taken by the S-mode software interrupt, which calls irq_ipi.
 */
#include <arch/cpu.h>
#include <arch/csr.h>
#include <arch/ipi.h>
#include <arch/irq.h>
#include <arch/sbi.h>
#include <percpu.h>
#include <smp_hooks.h>

#include "dt_platform.h"
#include "ipi_mask.h"
#include "riscv.h"

#define IPI_WINDOW 64u /* harts one SBI send_ipi call can name */

/* One hart's IPI state, per devicetree hart index, a cache line each so
 * senders to different harts do not contend. pending: senders OR, the
 * target exchanges. ready: set once by the hart itself (release) when its
 * software interrupt is enabled; a hart that is not ready is not signalled. */
typedef struct IpiSlot {
    uint32_t pending;
    uint32_t ready;
} __attribute__((aligned(64))) IpiSlot;

static IpiSlot ipi_slots[RISCV_MAX_HARTS];

void riscv_ipi_hart_ready(void)
{
    uint32_t index = riscv_irq_hart_index(this_cpu()->arch_id);
    if (index < RISCV_MAX_HARTS) {
        __atomic_store_n(&ipi_slots[index].ready, 1, __ATOMIC_RELEASE);
    }
}

/* Posts kind on hart_id; true when that hart should then be signalled. */
static bool ipi_post(uint32_t hart_id, IpiKind kind)
{
    uint32_t index = riscv_irq_hart_index(hart_id);
    if (index >= RISCV_MAX_HARTS || !__atomic_load_n(&ipi_slots[index].ready, __ATOMIC_ACQUIRE)) {
        return false;
    }
    return riscv_ipi_mask_post(&ipi_slots[index].pending, kind);
}

void arch_ipi_send(uint32_t arch_id, IpiKind kind)
{
    if (!ipi_post(arch_id, kind)) {
        return;
    }
    if (arch_id == this_cpu()->arch_id) {
        csr_set(sip, SIP_SSIP); /* S-mode may raise its own SSIP */
    } else {
        sbi_send_ipi(1, arch_id);
    }
}

void arch_ipi_send_all_others(IpiKind kind)
{
    uint32_t self = this_cpu()->arch_id;
    uint32_t count = arch_irq_cpu_count();
    /* Post everywhere first, then one ecall per window of hart ids. */
    uint64_t posted = 0; /* bit i: hart index i was posted and not yet signalled */
    for (uint32_t i = 0; i < count; i++) {
        uint32_t id = arch_irq_cpu_hart_id(i);
        if (id != self && ipi_post(id, kind)) {
            posted |= 1ull << i;
        }
    }
    while (posted != 0) {
        uint32_t first = (uint32_t)__builtin_ctzll(posted);
        uint32_t base = arch_irq_cpu_hart_id(first) & ~(IPI_WINDOW - 1);
        unsigned long mask = 0;
        for (uint32_t i = first; i < count; i++) {
            uint32_t id = arch_irq_cpu_hart_id(i);
            if ((posted & (1ull << i)) && id >= base && id - base < IPI_WINDOW) {
                mask |= 1ul << (id - base);
                posted &= ~(1ull << i);
            }
        }
        sbi_send_ipi(mask, base);
    }
}

/* S-software interrupt (interrupts off). SSIP is cleared before the mask is
 * taken, so an IPI posted after the exchange raises SSIP again and is not
 * lost. riscv_irq_dispatch calls irq_exit afterwards. */
void riscv_ipi_interrupt(void)
{
    csr_clear(sip, SIP_SSIP);
    uint32_t index = riscv_irq_hart_index(this_cpu()->arch_id);
    if (index >= RISCV_MAX_HARTS) {
        return;
    }
    uint32_t mask = riscv_ipi_mask_take(&ipi_slots[index].pending);
    IpiKind kind;
    while (riscv_ipi_mask_next(&mask, &kind)) {
        irq_ipi(kind);
    }
}

bool riscv_relax_wfi;

/*
 * arch_cpu_relax under relax=wfi (arch/cpu.h): raises this hart's own SSIP
 * with interrupts off, so the wfi returns at once (it wakes on any interrupt
 * pending and enabled in sie, whatever sstatus.SIE), then clears it again.
 * A real IPI whose SSIP that clear swallowed has its kind in the pending
 * mask (posted before the SBI call that raised SSIP), so SSIP is raised again
 * when the mask is not empty. Without SSIE in sie the wfi might not return:
 * no wfi then.
 */
void riscv_cpu_relax_wfi(void);
void riscv_cpu_relax_wfi(void)
{
    unsigned long flags = arch_irq_save();
    uint32_t index = riscv_irq_hart_index(this_cpu()->arch_id);
    if (index < RISCV_MAX_HARTS && (csr_read(sie) & SIE_SSIE) != 0) {
        csr_set(sip, SIP_SSIP);
        __asm__ volatile("wfi" ::: "memory");
        csr_clear(sip, SIP_SSIP);
        if (__atomic_load_n(&ipi_slots[index].pending, __ATOMIC_ACQUIRE) != 0) {
            csr_set(sip, SIP_SSIP);
        }
    }
    arch_irq_restore(flags);
}

/* From arch_cpu_relax: return address in t0, every other register kept
 * (the caller-saved ones around the C call; the kernel has no FP state). */
void riscv_cpu_relax_wfi_entry(void);
__attribute__((naked)) void riscv_cpu_relax_wfi_entry(void)
{
    __asm__ volatile("addi sp, sp, -128\n"
                     "sd ra, 0(sp)\n"
                     "sd t0, 8(sp)\n"
                     "sd t1, 16(sp)\n"
                     "sd t2, 24(sp)\n"
                     "sd t3, 32(sp)\n"
                     "sd t4, 40(sp)\n"
                     "sd t5, 48(sp)\n"
                     "sd t6, 56(sp)\n"
                     "sd a0, 64(sp)\n"
                     "sd a1, 72(sp)\n"
                     "sd a2, 80(sp)\n"
                     "sd a3, 88(sp)\n"
                     "sd a4, 96(sp)\n"
                     "sd a5, 104(sp)\n"
                     "sd a6, 112(sp)\n"
                     "sd a7, 120(sp)\n"
                     "call riscv_cpu_relax_wfi\n"
                     "ld ra, 0(sp)\n"
                     "ld t0, 8(sp)\n"
                     "ld t1, 16(sp)\n"
                     "ld t2, 24(sp)\n"
                     "ld t3, 32(sp)\n"
                     "ld t4, 40(sp)\n"
                     "ld t5, 48(sp)\n"
                     "ld t6, 56(sp)\n"
                     "ld a0, 64(sp)\n"
                     "ld a1, 72(sp)\n"
                     "ld a2, 80(sp)\n"
                     "ld a3, 88(sp)\n"
                     "ld a4, 96(sp)\n"
                     "ld a5, 104(sp)\n"
                     "ld a6, 112(sp)\n"
                     "ld a7, 120(sp)\n"
                     "addi sp, sp, 128\n"
                     "jr t0\n");
}
