/*
 * Pure encoders for GDT, TSS and IDT descriptors (Intel SDM vol. 3A, 3.4.5,
 * 7.2.3, 6.14.1). cpu_init.c loads what these build.
 */
#include "descriptors.h"

uint64_t gdt_encode_segment(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    uint64_t d = 0;
    d |= (uint64_t)(limit & 0xFFFF);
    d |= (uint64_t)(base & 0xFFFFFF) << 16;
    d |= (uint64_t)access << 40;
    d |= (uint64_t)((limit >> 16) & 0xF) << 48;
    d |= (uint64_t)(flags & 0xF) << 52;
    d |= (uint64_t)((base >> 24) & 0xFF) << 56;
    return d;
}

void gdt_encode_tss(uint64_t base, uint32_t limit, uint64_t out[2])
{
    /* Byte granularity: a TSS is far below 1 MiB. */
    out[0] = gdt_encode_segment((uint32_t)base, limit, SEG_PRESENT | SEG_TSS_AVAIL, 0);
    out[1] = base >> 32;
}

IdtGate idt_encode_gate(uint64_t handler, uint16_t selector, uint8_t ist, uint8_t type_attr)
{
    IdtGate g = {
        .offset_low = (uint16_t)handler,
        .selector = selector,
        .ist = ist & 7,
        .type_attr = type_attr,
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
        .reserved = 0,
    };
    return g;
}

void tss_build(Tss *tss, const uint64_t *ist_tops, int count)
{
    *tss = (Tss){0};
    for (int i = 0; i < count && i < 7; i++) {
        tss->ist[i] = ist_tops[i];
    }
    /* rsp[0] (the stack on a CPL 3 -> 0 switch) is set on every switch to
     * a user thread (arch_set_kernel_stack). No I/O bitmap: the base points
     * past the limit. */
    tss->iomap_base = sizeof(Tss);
}

void gdt_build(uint64_t gdt[GDT_ENTRIES], const Tss *tss)
{
    /* In long mode base and limit of code/data segments are ignored; the
     * flat 4 GiB values only matter if a segment is used in compat mode. */
    const uint8_t code_flags = SEG_FLAG_GRAN4K | SEG_FLAG_LONG;
    const uint8_t data_flags = SEG_FLAG_GRAN4K | SEG_FLAG_DB32;
    gdt[GDT_NULL / 8] = 0;
    gdt[GDT_KERNEL_CODE / 8] =
        gdt_encode_segment(0, 0xFFFFF, SEG_PRESENT | SEG_CODE_DATA | SEG_CODE, code_flags);
    gdt[GDT_KERNEL_DATA / 8] =
        gdt_encode_segment(0, 0xFFFFF, SEG_PRESENT | SEG_CODE_DATA | SEG_DATA, data_flags);
    gdt[GDT_USER_DATA / 8] = gdt_encode_segment(
        0, 0xFFFFF, SEG_PRESENT | SEG_DPL3 | SEG_CODE_DATA | SEG_DATA, data_flags);
    gdt[GDT_USER_CODE / 8] = gdt_encode_segment(
        0, 0xFFFFF, SEG_PRESENT | SEG_DPL3 | SEG_CODE_DATA | SEG_CODE, code_flags);
    gdt_encode_tss((uint64_t)(uintptr_t)tss, sizeof(Tss) - 1, &gdt[GDT_TSS / 8]);
}
