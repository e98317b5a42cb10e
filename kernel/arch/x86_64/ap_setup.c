/*
 * Pure parts of AP start-up (host-tested): finding the trampoline's low
 * pages, filling its parameter block, building its temporary page tables,
 * and the CPU start order.
 */
#include "ap_setup.h"

#include <stdbool.h>

#include "descriptors.h"

#define PT_ENTRIES      512
#define PT_KERNEL_FIRST 256 /* PML4 slots of the kernel half */
#define PTE_PRESENT     (1ULL << 0)
#define PTE_WRITABLE    (1ULL << 1)
#define PTE_LARGE       (1ULL << 7)

Error ap_area_find(const BootMemRegion *regions, size_t count, uint64_t *phys_out)
{
    const uint64_t need = AP_AREA_PAGES * AP_PAGE_SIZE;
    uint64_t best = 0;
    for (size_t i = 0; i < count; i++) {
        const BootMemRegion *r = &regions[i];
        if (r->type != BOOT_MEM_USABLE || r->length == 0) {
            continue;
        }
        uint64_t start = (r->base + AP_PAGE_SIZE - 1) & ~(AP_PAGE_SIZE - 1);
        if (start < AP_AREA_MIN) {
            start = AP_AREA_MIN;
        }
        uint64_t end = r->base + r->length; /* the map never wraps (BootInfo) */
        if (end > AP_AREA_LIMIT) {
            end = AP_AREA_LIMIT;
        }
        if (start < end && end - start >= need && (best == 0 || start < best)) {
            best = start;
        }
    }
    if (best == 0) {
        return E_NOMEM;
    }
    *phys_out = best;
    return E_OK;
}

Error ap_params_fill(ApParams *p, const ApTrampolineLayout *layout, const ApStart *s)
{
    if (layout->size > AP_PARAMS_OFFSET || layout->pm32_offset >= layout->size ||
        layout->lm64_offset >= layout->size) {
        return E_INVAL;
    }
    if ((s->area_phys & (AP_PAGE_SIZE - 1)) != 0 || s->area_phys < AP_AREA_MIN ||
        s->area_phys + AP_AREA_PAGES * AP_PAGE_SIZE > AP_AREA_LIMIT) {
        return E_INVAL;
    }
    if (s->stack_top == 0 || (s->stack_top & 15) != 0 || s->cpu == 0 || s->entry == 0) {
        return E_INVAL;
    }
    *p = (ApParams){0};
    /* Flat 4 GiB code and data for the 32-bit stage, 64-bit code for the
     * jump into long mode. The kernel's own GDT replaces them in C. */
    const uint8_t code = SEG_PRESENT | SEG_CODE_DATA | SEG_CODE;
    const uint8_t data = SEG_PRESENT | SEG_CODE_DATA | SEG_DATA;
    p->gdt[AP_GDT_CODE32 / 8] =
        gdt_encode_segment(0, 0xFFFFF, code, SEG_FLAG_GRAN4K | SEG_FLAG_DB32);
    p->gdt[AP_GDT_DATA32 / 8] =
        gdt_encode_segment(0, 0xFFFFF, data, SEG_FLAG_GRAN4K | SEG_FLAG_DB32);
    p->gdt[AP_GDT_CODE64 / 8] =
        gdt_encode_segment(0, 0xFFFFF, code, SEG_FLAG_GRAN4K | SEG_FLAG_LONG);
    /* Below 1 MiB, so every physical address here fits 32 bits. */
    uint32_t page = (uint32_t)s->area_phys;
    p->gdt_limit = sizeof(p->gdt) - 1;
    p->gdt_base = page + AP_PARAMS_OFFSET + (uint32_t)offsetof(ApParams, gdt);
    p->pm32_offset = page + layout->pm32_offset;
    p->pm32_selector = AP_GDT_CODE32;
    p->lm64_offset = page + layout->lm64_offset;
    p->lm64_selector = AP_GDT_CODE64;
    p->low_cr3 = page + (uint32_t)AP_PML4_OFFSET;
    p->kernel_cr3 = s->kernel_cr3;
    p->entry = s->entry;
    p->cpu = s->cpu;
    p->stack_top = s->stack_top;
    return E_OK;
}

void ap_low_tables_build(uint64_t *pml4, uint64_t *pdpt, uint64_t *pd, uint64_t pdpt_phys,
                         uint64_t pd_phys, const uint64_t *kernel_pml4)
{
    for (int i = 0; i < PT_ENTRIES; i++) {
        pml4[i] = i >= PT_KERNEL_FIRST ? kernel_pml4[i] : 0;
        pdpt[i] = 0;
        pd[i] = 0;
    }
    /* No US bit anywhere: CR4.SMEP (set later in C) must not see the
     * trampoline as a user page it may not execute. */
    pml4[0] = pdpt_phys | PTE_PRESENT | PTE_WRITABLE;
    pdpt[0] = pd_phys | PTE_PRESENT | PTE_WRITABLE;
    pd[0] = 0 | PTE_PRESENT | PTE_WRITABLE | PTE_LARGE;
}

uint32_t ap_cpu_order(const uint32_t *ids, uint32_t count, uint32_t boot_id, uint32_t i)
{
    bool boot_seen = false;
    for (uint32_t k = 0; k < count; k++) {
        boot_seen |= ids[k] == boot_id;
    }
    if (!boot_seen || i >= count) {
        return UINT32_MAX;
    }
    if (i == 0) {
        return boot_id;
    }
    /* The i-th non-boot id, MADT order. */
    uint32_t seen = 0;
    for (uint32_t k = 0; k < count; k++) {
        if (ids[k] != boot_id && ++seen == i) {
            return ids[k];
        }
    }
    return UINT32_MAX;
}
