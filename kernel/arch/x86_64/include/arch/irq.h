/*
 * x86_64 interrupts: the local APIC (x2APIC when the CPU has it, xAPIC
 * otherwise), the vector map, IPIs and the CPU list from the ACPI MADT.
 * The legacy 8259 PIC is masked and never used.
 */
#ifndef ANOS_ARCH_IRQ_H
#define ANOS_ARCH_IRQ_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <arch/trap.h>
#include <stdint.h>

/* The vector map. 0x20-0x2F is the lowest-priority class the LAPIC knows;
 * the timer and IPIs share it (TPR stays 0, so nothing is held back). */
#define IRQ_VECTOR_TIMER       0x20
#define IRQ_VECTOR_IPI_WORK    0x21 /* IPI_WORK: run queued remote work */
#define IRQ_VECTOR_IPI_RESCHED 0x22 /* IPI_RESCHEDULE */
#define IRQ_VECTOR_IPI_SPARE1  0x23 /* reserved (TLB shootdown is IPI_WORK) */
#define IRQ_VECTOR_IPI_SPARE2  0x24 /* reserved (IPI_HALT is sent as an NMI) */
#define IRQ_VECTOR_SYSCALL     0x69 /* `int 0x69`, the deprecated syscall: never an IRQ */
#define IRQ_VECTOR_SPURIOUS    0xFF /* no EOI */
#define IRQ_FIRST_VECTOR       0x20
#define IRQ_VECTOR_COUNT       256

/* A vector's handler: runs with interrupts off after the EOI; irq_exit()
 * follows it. */
typedef void (*IrqHandler)(TrapFrame *frame);

/* Masks the 8259s, reads the MADT (CPUs, I/O APICs), picks the LAPIC mode
 * and enables the boot CPU's LAPIC (arch_irq_cpu_init). Boot CPU, once,
 * interrupts off, after mm_init and arch_percpu_install. E_NOENT without a
 * MADT, E_CORRUPT for a malformed one, E_NOSYS when the boot CPU's LAPIC
 * is not in the MADT. Prints one "irq: " line. */
Error arch_irq_init(const BootInfo *bi);

/* Enables this CPU's LAPIC in the chosen mode: spurious vector 0xFF, TPR 0,
 * timer and error LVTs masked. Every CPU, interrupts off; the boot CPU's
 * call comes from arch_irq_init. */
void arch_irq_cpu_init(void);

/* Sets the handler of vector (IRQ_FIRST_VECTOR..0xFE, except
 * IRQ_VECTOR_SYSCALL). E_INVAL outside that range or for the syscall
 * vector, E_BUSY when the vector already has one. Boot time, before the
 * vector can fire. */
Error arch_irq_register(uint8_t vector, IrqHandler handler);

/* Removes vector's handler; an interrupt already being handled on another
 * CPU may still finish (the caller waits for that if it must). */
void arch_irq_unregister(uint8_t vector);

/* Vectors user-space drivers may get (SYS_IRQ_ALLOC): above the kernel's,
 * below the spurious vector, never IRQ_VECTOR_SYSCALL. */
#define IRQ_USER_FIRST 0x30
#define IRQ_USER_LAST  0xEF

/* CPUs the MADT lists as enabled (the boot CPU among them), and the APIC id
 * of each, index 0..count-1 in MADT order. */
uint32_t arch_irq_cpu_count(void);
uint32_t arch_irq_cpu_apic_id(uint32_t index);

/* This CPU's APIC id. */
uint32_t arch_irq_this_apic_id(void);

/* Fixed-delivery IPI of vector to the CPU with apic_id. Any context. */
Error arch_irq_send_ipi(uint32_t apic_id, uint8_t vector);

/* The INIT-SIPI-SIPI start of an application processor (SDM vol. 3A
 * 9.4.4.1): INIT, 10 ms, STARTUP, 200 us, STARTUP; the AP begins in real
 * mode at trampoline_phys (4 KiB aligned, below 1 MiB). Needs the clock.
 * E_INVAL for a bad trampoline address. Interrupts may be on (each ICR
 * write is made with them off). arch_smp_start_cpu is the caller. */
Error arch_irq_start_cpu(uint32_t apic_id, uint64_t trampoline_phys);

/* The boot CPU's APIC id (read by arch_irq_init). */
uint32_t arch_irq_boot_apic_id(void);

/* Called by irq.asm for vectors 32-255 with interrupts off. */
void irq_dispatch(TrapFrame *frame);

#endif
