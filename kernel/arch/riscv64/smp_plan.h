/*
 * The pure parts of starting a riscv64 hart (smp.c): the start block the
 * secondary entry (smp_entry.S) reads, the trampoline page tables and the
 * order of the CPUs. No hardware access, so the host tests run them.
 */
#ifndef ANOS_RISCV_SMP_PLAN_H
#define ANOS_RISCV_SMP_PLAN_H

/* Start block offsets and claim states, shared with smp_entry.S. */
#define SMP_START_CLAIM       0  /* (hart id << 32) | SMP_STATE_* */
#define SMP_START_TRAMP_SATP  8  /* satp of the trampoline tables */
#define SMP_START_KERNEL_SATP 16 /* satp of the kernel's root */
#define SMP_START_STACK_TOP   24 /* the hart's first sp (virtual) */
#define SMP_START_PERCPU      32 /* its PerCpu (virtual): tp, sscratch, a0 */
#define SMP_START_SIZE        40

#define SMP_STATE_IDLE      0 /* no start under way */
#define SMP_STATE_WAITING   1 /* filled in; the named hart may claim it */
#define SMP_STATE_ENTERED   2 /* claimed by the hart, which is on its way to C */
#define SMP_STATE_RUNNING   3 /* the hart runs C; the block is free again */
#define SMP_STATE_ABANDONED 4 /* the starter gave up before the hart claimed it */

#ifndef __ASSEMBLER__

#include <anos/errors.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Read by the starting hart at its physical address with the MMU off, so
 * every field is a plain 64-bit value. Written by the starter only while
 * the claim is IDLE; the hart claims it (WAITING -> ENTERED, with its own
 * hart id in the upper half, one lr/sc) before reading anything else, so a
 * late hart from an abandoned start can never take another hart's block.
 */
typedef struct RiscvSmpStart {
    uint64_t claim;
    uint64_t tramp_satp;
    uint64_t kernel_satp;
    uint64_t stack_top;
    uint64_t percpu;
} RiscvSmpStart;

_Static_assert(offsetof(RiscvSmpStart, claim) == SMP_START_CLAIM, "smp_entry.S");
_Static_assert(offsetof(RiscvSmpStart, tramp_satp) == SMP_START_TRAMP_SATP, "smp_entry.S");
_Static_assert(offsetof(RiscvSmpStart, kernel_satp) == SMP_START_KERNEL_SATP, "smp_entry.S");
_Static_assert(offsetof(RiscvSmpStart, stack_top) == SMP_START_STACK_TOP, "smp_entry.S");
_Static_assert(offsetof(RiscvSmpStart, percpu) == SMP_START_PERCPU, "smp_entry.S");
_Static_assert(sizeof(RiscvSmpStart) == SMP_START_SIZE, "smp_entry.S");

static inline uint64_t riscv_smp_claim(uint32_t hart_id, uint32_t state)
{
    return ((uint64_t)hart_id << 32) | state;
}

/* satp for an Sv48 root at physical root_pa, ASID 0. */
static inline uint64_t riscv_satp_sv48(uint64_t root_pa)
{
    return (9ull << 60) | (root_pa >> 12);
}

/*
 * Fills the trampoline tables: root gets the kernel half (slots 256..511)
 * of kernel_root, nothing in the user half except one slot pointing at
 * ident (physical ident_pa), in which the 1 GiB page holding entry_pa is
 * mapped to itself, readable and executable. With that root live, the hart
 * can turn paging on while running at physical addresses and jump to the
 * kernel's link address. All tables 512 entries, roots and ident 4 KiB
 * aligned. E_ALIGN for a misaligned ident_pa, E_RANGE when entry_pa falls
 * into the kernel half's slots (it would shadow kernel mappings).
 */
Error riscv_smp_trampoline_build(uint64_t *root, uint64_t *ident, const uint64_t *kernel_root,
                                 uint64_t ident_pa, uint64_t entry_pa);

/*
 * The CPUs in start order: the boot hart first, then the other harts of
 * ids[] (the devicetree's usable harts, in document order). The boot hart is
 * listed even when ids[] leaves it out: it runs. Writes at most max ids to
 * out and returns the count.
 */
uint32_t riscv_smp_order(const uint32_t *ids, uint32_t n, uint32_t boot_id, uint32_t *out,
                         uint32_t max);

#endif
#endif
