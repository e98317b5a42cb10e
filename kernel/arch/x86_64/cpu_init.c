/*
 * Boot-CPU set-up: the kernel's own GDT, TSS with IST stacks, IDT for all
 * 256 vectors, and the paging/protection bits in EFER, CR0 and CR4.
 */
#include <arch/cpu.h>
#include <arch/init.h>
#include <arch/memory_layout.h>
#include <arch/trap.h>
#include <stddef.h>
#include <stdint.h>

#include "descriptors.h"

#define IDT_VECTORS    256
#define IST_STACK_SIZE (16 * 1024)

/* IST indices (1-based, as the gate encodes them). Each exception that can
 * strike on a broken kernel stack (double fault), or at any instant
 * (NMI, machine check), gets its own known-good stack. */
#define IST_NMI           1
#define IST_DOUBLE_FAULT  2
#define IST_MACHINE_CHECK 3
#define IST_COUNT         3

/* A stack with an unused page below it. The guard stays mapped until the
 * VMM unmaps it (see arch_stack_guards); until then an overflow still lands
 * in the guard rather than in another stack. */
typedef struct GuardedStack {
    _Alignas(PAGE_SIZE) uint8_t guard[PAGE_SIZE];
    uint8_t stack[IST_STACK_SIZE];
} GuardedStack;

static GuardedStack ist_stacks[IST_COUNT];
static Tss tss;
static _Alignas(16) uint64_t gdt[GDT_ENTRIES];
static _Alignas(16) IdtGate idt[IDT_VECTORS];

extern const uint64_t isr_stub_table[TRAP_EXCEPTION_COUNT];
extern const uint64_t irq_stub_table[IDT_VECTORS - TRAP_EXCEPTION_COUNT];
extern uint8_t boot_stack_guard[];
void gdt_load_segments(const DescriptorPointer *gdtr, uint16_t code, uint16_t data);

static void tss_init(void)
{
    for (int i = 0; i < IST_COUNT; i++) {
        /* Stacks grow down: IST entries hold the top, 16-byte aligned. */
        tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i].stack + IST_STACK_SIZE);
    }
    /* rsp[0] (the stack on a CPL 3 -> 0 switch) is set per thread once user
     * mode exists. No I/O bitmap: the base points past the limit. */
    tss.iomap_base = sizeof(Tss);
}

static void gdt_init(void)
{
    gdt_build(gdt, &tss);
    DescriptorPointer gdtr = {.limit = sizeof(gdt) - 1, .base = (uint64_t)(uintptr_t)gdt};
    gdt_load_segments(&gdtr, GDT_KERNEL_CODE, GDT_KERNEL_DATA);
    /* ltr marks the descriptor busy; loading it twice would #GP. */
    __asm__ volatile("ltr %0" ::"r"((uint16_t)GDT_TSS) : "memory");
}

static uint8_t exception_ist(int vector)
{
    switch (vector) {
    case TRAP_NMI: return IST_NMI;
    case TRAP_DOUBLE_FAULT: return IST_DOUBLE_FAULT;
    case TRAP_MACHINE_CHECK: return IST_MACHINE_CHECK;
    default: return 0;
    }
}

static void idt_init(void)
{
    /* Interrupt gates everywhere: IF is cleared on entry, so a handler
     * never nests under a device interrupt. Vectors 32-255 go to irq.asm
     * and irq_dispatch (irq.c), on the interrupted stack (no IST). */
    for (int v = 0; v < TRAP_EXCEPTION_COUNT; v++) {
        idt[v] = idt_encode_gate(isr_stub_table[v], GDT_KERNEL_CODE, exception_ist(v),
                                 IDT_INTERRUPT_GATE);
    }
    for (int v = TRAP_EXCEPTION_COUNT; v < IDT_VECTORS; v++) {
        idt[v] = idt_encode_gate(irq_stub_table[v - TRAP_EXCEPTION_COUNT], GDT_KERNEL_CODE, 0,
                                 IDT_INTERRUPT_GATE);
    }
    DescriptorPointer idtr = {.limit = sizeof(idt) - 1, .base = (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" ::"m"(idtr) : "memory");
}

static void protection_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    write_cr0(read_cr0() | CR0_WP);

    uint64_t cr4 = read_cr4() | CR4_PGE;
    /* SMEP: CPUID.(7,0):EBX bit 7. SMAP (bit 20) waits for the user-mode
     * issue, which must bracket user copies with stac/clac first. */
    if (cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & (1U << 7)) != 0) {
        cr4 |= CR4_SMEP;
    }
    write_cr4(cr4);
}

void arch_cpu_init(void)
{
    tss_init();
    gdt_init();
    idt_init();
    protection_init();
}

size_t arch_stack_guards(uintptr_t *out, size_t max)
{
    size_t n = 0;
    if (n < max) {
        out[n] = (uintptr_t)boot_stack_guard;
    }
    n++;
    for (int i = 0; i < IST_COUNT; i++, n++) {
        if (n < max) {
            out[n] = (uintptr_t)ist_stacks[i].guard;
        }
    }
    return n;
}
