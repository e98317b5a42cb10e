/*
 * x86_64 descriptor formats (GDT segments, the 64-bit TSS and its
 * descriptor, IDT gates) and the kernel's selector layout. The encoders are
 * pure so the host tests can check them bit by bit.
 */
#ifndef ANOS_ARCH_X86_64_DESCRIPTORS_H
#define ANOS_ARCH_X86_64_DESCRIPTORS_H

#include <stdint.h>

/*
 * GDT layout. The order is fixed by SYSCALL/SYSRET (user.c sets STAR):
 * STAR[47:32] = GDT_KERNEL_CODE gives CS, and SS = CS + 8 (GDT_KERNEL_DATA);
 * STAR[63:48] = GDT_KERNEL_DATA makes SYSRET load SS = base + 8
 * (GDT_USER_DATA) and 64-bit CS = base + 16 (GDT_USER_CODE), both with RPL 3.
 */
#define GDT_NULL        0x00
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA   0x18
#define GDT_USER_CODE   0x20
#define GDT_TSS         0x28 /* 16 bytes: two slots */
#define GDT_ENTRIES     7
#define SELECTOR_RPL3   3

/* Access byte bits. */
#define SEG_PRESENT   0x80
#define SEG_DPL3      0x60
#define SEG_CODE_DATA 0x10 /* S: code/data rather than system */
#define SEG_CODE      0x0A /* execute/read */
#define SEG_DATA      0x02 /* read/write */
#define SEG_TSS_AVAIL 0x09 /* available 64-bit TSS (system) */

/* Flags nibble (bits 55:52 of the descriptor). */
#define SEG_FLAG_GRAN4K 0x8
#define SEG_FLAG_DB32   0x4
#define SEG_FLAG_LONG   0x2

/* IDT gate types (with the present bit). */
#define IDT_INTERRUPT_GATE 0x8E /* IF cleared on entry */
#define IDT_TRAP_GATE      0x8F /* IF left as it was */
#define IDT_DPL3           0x60

/* The 64-bit TSS: only the stack pointers matter in long mode. */
typedef struct __attribute__((packed)) Tss {
    uint32_t reserved0;
    uint64_t rsp[3]; /* stack for a switch to CPL 0..2 */
    uint64_t reserved1;
    uint64_t ist[7]; /* IST1..IST7: ist[0] is IST1 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base; /* >= limit: no I/O permission bitmap */
} Tss;

_Static_assert(sizeof(Tss) == 104, "64-bit TSS is 104 bytes");

typedef struct IdtGate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist; /* bits 2:0: IST index, 0 = no stack switch */
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} IdtGate;

_Static_assert(sizeof(IdtGate) == 16, "IDT gates are 16 bytes");

/* The operand of lgdt/lidt. */
typedef struct __attribute__((packed)) DescriptorPointer {
    uint16_t limit; /* size in bytes - 1 */
    uint64_t base;
} DescriptorPointer;

/* A code or data segment descriptor. limit is 20 bits, flags 4 bits. */
uint64_t gdt_encode_segment(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags);

/* The two GDT slots of a 64-bit TSS descriptor at base, size limit + 1. */
void gdt_encode_tss(uint64_t base, uint32_t limit, uint64_t out[2]);

/* An IDT gate to handler in the code segment selector; ist 0..7. */
IdtGate idt_encode_gate(uint64_t handler, uint16_t selector, uint8_t ist, uint8_t type_attr);

/* Fills tss for one CPU: IST1..ISTcount = ist_tops[0..count-1] (stack
 * tops), everything else 0, no I/O permission bitmap. count <= 7. */
void tss_build(Tss *tss, const uint64_t *ist_tops, int count);

/* Fills gdt[GDT_ENTRIES] with the kernel layout above and the TSS. */
void gdt_build(uint64_t gdt[GDT_ENTRIES], const Tss *tss);

#endif
