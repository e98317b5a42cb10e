/* Host-test FAKE of arch/tlb.h: records TLB flushes and root switches in
 * fake_tlb instead of touching a CPU. A test program that links code using
 * arch/tlb.h defines `FakeTlb fake_tlb;` once. */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include <stdbool.h>
#include <stdint.h>

typedef struct FakeTlb {
    unsigned flush_page; /* arch_tlb_flush_page calls */
    unsigned flush_walk; /* arch_tlb_flush_walk calls (tables freed) */
    unsigned flush_new;  /* arch_tlb_flush_new calls (entry made present) */
    unsigned flush_all;
    uintptr_t last_va; /* va of the last address-specific flush */
    uint64_t root;     /* what arch_get_root returns */
    bool refuse_root;  /* arch_set_root is ignored (riscv64 without Sv48) */
} FakeTlb;

extern FakeTlb fake_tlb;

static inline void arch_tlb_flush_page(uintptr_t va)
{
    fake_tlb.flush_page++;
    fake_tlb.last_va = va;
}

static inline void arch_tlb_flush_walk(uintptr_t va)
{
    fake_tlb.flush_walk++;
    fake_tlb.last_va = va;
}

static inline void arch_tlb_flush_new(uintptr_t va)
{
    fake_tlb.flush_new++;
    fake_tlb.last_va = va;
}

static inline void arch_tlb_flush_all(void)
{
    fake_tlb.flush_all++;
}

static inline void arch_set_root(uint64_t root_pa)
{
    if (!fake_tlb.refuse_root)
        fake_tlb.root = root_pa;
}

static inline uint64_t arch_get_root(void)
{
    return fake_tlb.root;
}

#endif
