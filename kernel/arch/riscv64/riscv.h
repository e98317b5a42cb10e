/*
 * Private interfaces of the riscv64 layer: the platform devices found in the
 * devicetree, and the symbols shared between entry.S, trap_entry.S and C.
 */
#ifndef ANOS_RISCV_RISCV_H
#define ANOS_RISCV_RISCV_H

#include <arch/trap.h>
#include <fdt.h>
#include <stdbool.h>
#include <stdint.h>

/* Devices the arch layer drives itself. Written once by riscv_platform_probe
 * on the boot hart before other harts exist; read-only afterwards. */
typedef struct RiscvPlatform {
    bool probed;
    uint64_t uart_phys; /* NS16550A registers; 0 when none */
    uint32_t uart_reg_shift;
    uint32_t uart_io_width; /* 1 or 4 bytes per register access */
    uint64_t finisher_phys; /* QEMU "sifive,test0" finisher; 0 when none */
} RiscvPlatform;

extern RiscvPlatform riscv_platform;

/* Finds the console UART and the test finisher; later calls do nothing. */
void riscv_platform_probe(const Fdt *fdt);

/* Validates the devicetree at physical dtb_phys through the direct map:
 * E_INVAL for an address the direct map cannot reach, else as fdt_init. */
Error riscv_fdt_open(uint64_t dtb_phys, Fdt *fdt);

/* Installs riscv_trap_vector in stvec. */
void riscv_trap_init(void);

/* syscall_entry.S: the trap vector (direct mode, 4-byte aligned), which
 * hands everything but an ecall from U-mode to trap_entry.S. */
extern char riscv_trap_vector[];

/* entry.S: the guard page below the boot stack, and the boot hart's
 * emergency trap stack (used when a trap finds its stack overflowed). */
extern char riscv_boot_stack_guard[];
extern char riscv_boot_trap_stack_guard[], riscv_boot_trap_stack_top[];

/* Installs a static PerCpu for the boot hart (tp, sscratch, emergency trap
 * stack): the first thing riscv_boot does. */
void riscv_percpu_boot_install(uint32_t hart_id);

/* irq.c: an interrupt's dispatch (trap_dispatch, scause's interrupt bit
 * set). Ends with irq_exit, which may switch threads. */
void riscv_irq_dispatch(TrapFrame *frame);

/* irq.c: the index of hart_id among the devicetree's usable harts
 * (arch_irq_cpu_hart_id); RISCV_MAX_HARTS when it is not one of them. */
uint32_t riscv_irq_hart_index(uint32_t hart_id);

/* ipi.c: the S-software interrupt (takes this hart's pending kinds and
 * calls irq_ipi for each), and marking this hart as a target of IPIs. */
void riscv_ipi_interrupt(void);
void riscv_ipi_hart_ready(void);

/* smp.c: where a started hart's C begins (from smp_entry.S). */
struct PerCpu;
_Noreturn void riscv_smp_ap_main(struct PerCpu *cpu);
extern char riscv_smp_secondary_entry[];

/* boot.c: the boot hart's id and the physical address of __kernel_start,
 * recorded by riscv_boot before anything else runs. */
extern uint32_t riscv_boot_hart_id;
extern uint64_t riscv_kernel_phys;

/* timer.c: the S-timer interrupt. */
void riscv_timer_interrupt(void);

/* Linker-script symbols (kernel.ld). */
extern char __kernel_start[], __kernel_end[];

/*
 * Called by entry.S on the boot hart, paging on, on the boot stack, with
 * interrupts off: builds the BootInfo from the devicetree and calls
 * kernel_main. kernel_phys is the physical address of __kernel_start.
 */
_Noreturn void riscv_boot(uint64_t hart_id, uint64_t dtb_phys, uint64_t kernel_phys);

#endif
