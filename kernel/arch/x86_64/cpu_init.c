/*
 * Per-CPU descriptor set-up: each CPU's own GDT and TSS with IST stacks, the
 * one IDT for all 256 vectors that every CPU shares, and the paging and
 * protection bits in EFER, CR0 and CR4 (user.c adds the user-mode ones).
 */
#include <arch/cpu.h>
#include <arch/init.h>
#include <arch/irq.h>
#include <arch/memory_layout.h>
#include <arch/trap.h>
#include <kprintf.h>
#include <percpu.h>
#include <proc/user_arch.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu_x86.h"
#include "descriptors.h"

#define IDT_VECTORS    256
#define IST_STACK_SIZE (16 * 1024)

/* IST indices (1-based, as the gate encodes them). Each exception that can
 * strike on a broken kernel stack (double fault), or at any instant
 * (NMI, machine check), gets its own known-good stack on every CPU. */
#define IST_NMI           1
#define IST_DOUBLE_FAULT  2
#define IST_MACHINE_CHECK 3

_Static_assert(CPU_IST_COUNT == 3, "one IST stack per IST_* index");

/* A stack with an unused page below it. The boot CPU's guards are
 * unmapped through arch_stack_guards, an AP's by smp.c before it starts
 * (cpu_ist_guards); an overflow then faults instead of landing in the
 * next stack. */
typedef struct GuardedStack {
    _Alignas(PAGE_SIZE) uint8_t guard[PAGE_SIZE];
    uint8_t stack[IST_STACK_SIZE];
} GuardedStack;

/* Indexed by PerCpu.index (0 = boot CPU). Each CPU writes only its own
 * slot, once, before it takes any interrupt. The static arrays cost about
 * 60 KiB of .bss per possible CPU. */
static GuardedStack ist_stacks[MAX_CPUS][CPU_IST_COUNT];
static Tss tss[MAX_CPUS];
static _Alignas(16) uint64_t gdt[MAX_CPUS][GDT_ENTRIES];

/* Built once by the boot CPU, then read-only and shared. */
static _Alignas(16) IdtGate idt[IDT_VECTORS];

extern const uint64_t isr_stub_table[TRAP_EXCEPTION_COUNT];
extern const uint64_t irq_stub_table[IDT_VECTORS - TRAP_EXCEPTION_COUNT];
extern uint8_t boot_stack_guard[];
extern void syscall_int_entry(void);
void gdt_load_segments(const DescriptorPointer *gdtr, uint16_t code, uint16_t data);

/* Builds and loads CPU index's GDT and TSS. The segment reload nulls GS,
 * so the GS base (this_cpu) must be installed after this. */
static void gdt_tss_load(uint32_t index)
{
    uint64_t tops[CPU_IST_COUNT];
    for (int i = 0; i < CPU_IST_COUNT; i++) {
        /* Stacks grow down: IST entries hold the top, 16-byte aligned. */
        tops[i] = (uint64_t)(uintptr_t)(ist_stacks[index][i].stack + IST_STACK_SIZE);
    }
    tss_build(&tss[index], tops, CPU_IST_COUNT);
    gdt_build(gdt[index], &tss[index]);
    x86_tss_rsp0[index] = &tss[index].rsp[0];
    DescriptorPointer gdtr = {.limit = sizeof(gdt[index]) - 1,
                              .base = (uint64_t)(uintptr_t)gdt[index]};
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

static void idt_build(void)
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
    /* The deprecated syscall channel: the only gate user code may invoke
     * with `int` (DPL 3); every other one #GPs from user mode. */
    idt[IRQ_VECTOR_SYSCALL] = idt_encode_gate((uint64_t)(uintptr_t)syscall_int_entry,
                                              GDT_KERNEL_CODE, 0, IDT_INTERRUPT_GATE | IDT_DPL3);
}

static void idt_load(void)
{
    DescriptorPointer idtr = {.limit = sizeof(idt) - 1, .base = (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" ::"m"(idtr) : "memory");
}

static void protection_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    write_cr0(read_cr0() | CR0_WP);

    uint64_t cr4 = read_cr4() | CR4_PGE;
    /* SMEP: CPUID.(7,0):EBX bit 7. SMAP comes with the user-mode set-up
     * (arch_user_cpu_init), next to the copies it constrains. */
    if (cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & (1U << 7)) != 0) {
        cr4 |= CR4_SMEP;
    }
    write_cr4(cr4);
}

void arch_cpu_init(void)
{
    gdt_tss_load(0);
    idt_build();
    idt_load();
    protection_init();
    arch_user_cpu_init();
    uint64_t cr4 = read_cr4();
    kprintf("cpu: SMEP %s, SMAP %s\n", (cr4 & CR4_SMEP) ? "on" : "off",
            (cr4 & CR4_SMAP) ? "on" : "off");
}

void cpu_init_ap(uint32_t index)
{
    gdt_tss_load(index);
    idt_load();
    protection_init();
    arch_user_cpu_init();
}

/* Read by the CPU only on an interrupt or exception from user mode, which
 * cannot happen on a CPU while its kernel code writes its own slot. */
uint64_t *x86_tss_rsp0[MAX_CPUS];

void cpu_ist_guards(uint32_t index, uintptr_t out[CPU_IST_COUNT])
{
    for (int i = 0; i < CPU_IST_COUNT; i++) {
        out[i] = (uintptr_t)ist_stacks[index][i].guard;
    }
}

size_t arch_stack_guards(uintptr_t *out, size_t max)
{
    uintptr_t guards[1 + CPU_IST_COUNT];
    guards[0] = (uintptr_t)boot_stack_guard;
    cpu_ist_guards(0, &guards[1]);
    size_t n = sizeof(guards) / sizeof(guards[0]);
    for (size_t i = 0; i < n && i < max; i++) {
        out[i] = guards[i];
    }
    return n;
}
