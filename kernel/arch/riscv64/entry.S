/*
 * riscv64 kernel entry: OpenSBI jumps here (physical 0x80200000, S-mode, MMU
 * off). Builds the early Sv48 tables, turns paging on, moves to the kernel's
 * link address and calls riscv_boot in C.
 */
#include <arch/memory_layout.h>

    .option norelax

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80

/* Kernel text/data gigapage and direct-map gigapages; the identity page has
 * no G bit since it is removed again (lower half = user space). */
#define PTE_KERNEL (PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D)
#define PTE_DIRECT (PTE_V | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D)
#define PTE_IDENT  (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

#define SATP_MODE_SV48 9
#define BOOT_STACK_SIZE 16384
#define TRAP_STACK_SIZE 8192

    .section .text.boot, "ax", @progbits
    .globl _start
/*
 * _start: the first instruction of the image.
 * In:  a0 = this hart's id, a1 = physical address of the devicetree, running
 *      at the physical load address with satp = 0 (the image's first byte,
 *      1 GiB-aligned block + KERNEL_LINK_OFFSET), sp unusable.
 * Out: on the first hart to arrive, riscv_boot(a0 = hart id, a1 = dtb,
 *      a2 = physical address of _start) on the boot stack at the link address,
 *      paging on, s0 = ra = 0 (end of backtraces), tp = sscratch = 0 (riscv_boot
 *      installs the boot PerCpu first), interrupts off. Any later hart, or a load address that is not
 *      KERNEL_LINK_OFFSET into a 1 GiB block, parks in riscv_park.
 * Clobbers every register (nothing returns here).
 */
_start:
    csrw sie, zero
    csrci sstatus, 0x2

    /* Only one hart may run the boot path; the word lives in .data so it is
     * valid before .bss is cleared. */
    lla t0, boot_hart_claimed
    li t1, 1
    amoswap.w.aq t1, t1, (t0)
    bnez t1, riscv_park

    mv s1, a0
    mv s2, a1
    lla s3, _start                      /* s3 = physical address of _start */

    /* Clear .bss (physical addresses: PC-relative, MMU off). */
    lla t0, __bss_start
    lla t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:
    /* s4 = physical address of KERNEL_VIRT_BASE's gigapage; must be
     * 1 GiB-aligned, i.e. we were loaded KERNEL_LINK_OFFSET into a block. */
    li t0, KERNEL_LINK_OFFSET
    sub s4, s3, t0
    slli t1, s4, 34
    bnez t1, riscv_park

    lla s5, boot_pt_root

    /* Identity gigapage for the instructions around the satp write:
     * root[pa >> 39] -> boot_pt_ident, boot_pt_ident[(pa >> 30) & 511]. */
    lla t0, boot_pt_ident
    srli t1, t0, 2
    ori t1, t1, PTE_V
    srli t2, s3, 39
    andi t2, t2, 511
    slli t2, t2, 3
    add t2, s5, t2
    sd t1, 0(t2)
    srli t2, s3, 30
    andi t2, t2, 511
    slli t2, t2, 3
    add t2, t0, t2
    srli t1, s3, 30
    slli t1, t1, 30
    srli t1, t1, 2
    ori t1, t1, PTE_IDENT
    sd t1, 0(t2)

    /* Direct map: root[256] -> boot_pt_direct, entry i -> physical i GiB. */
    lla t0, boot_pt_direct
    srli t1, t0, 2
    ori t1, t1, PTE_V
    li t2, 256 * 8
    add t2, s5, t2
    sd t1, 0(t2)
    li t2, 0                            /* entry index */
    li t3, 512
    li t4, PTE_DIRECT                   /* PTE for physical 0 */
    li t5, (1 << 28)                    /* 1 GiB >> 2: PPN step in a PTE */
3:  sd t4, 0(t0)
    add t4, t4, t5
    addi t0, t0, 8
    addi t2, t2, 1
    bltu t2, t3, 3b

    /* Kernel: root[511] -> boot_pt_kernel, entry 510 (VA -2 GiB) -> s4. */
    lla t0, boot_pt_kernel
    srli t1, t0, 2
    ori t1, t1, PTE_V
    li t2, 511 * 8
    add t2, s5, t2
    sd t1, 0(t2)
    srli t1, s4, 2
    ori t1, t1, PTE_KERNEL
    li t2, 510 * 8
    add t2, t0, t2
    sd t1, 0(t2)

    /* Order the table stores before the walk, switch, drop stale entries. */
    sfence.vma
    srli t0, s5, 12
    li t1, SATP_MODE_SV48
    slli t1, t1, 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma

    /* Continue at the link address (top 2 GiB: lui/addi reach it). */
    lui t0, %hi(.Lhigh)
    addi t0, t0, %lo(.Lhigh)
    jr t0

.Lhigh:
    /* Drop the identity entry: the lower half belongs to user space. */
    lla t0, boot_pt_root
    srli t1, s3, 39
    andi t1, t1, 511
    slli t1, t1, 3
    add t0, t0, t1
    sd zero, 0(t0)
    sfence.vma

    lla sp, boot_stack_top
    li s0, 0
    li ra, 0
    li tp, 0
    csrw sscratch, zero
    mv a0, s1
    mv a1, s2
    mv a2, s3
    call riscv_boot
    /* riscv_boot does not return; fall into the park loop if it does. */

    .globl riscv_park
/*
 * riscv_park: stops this hart for good.
 * In: nothing (works with the MMU on or off). Out: never returns.
 */
riscv_park:
    csrw sie, zero
    csrci sstatus, 0x2
4:  wfi
    j 4b

    .section .data
    .balign 4
boot_hart_claimed:
    .word 0

    .section .bss.boot_pt, "aw", @nobits
    .balign 4096
    .globl boot_pt_root
boot_pt_root:
    .skip 4096
boot_pt_ident:
    .skip 4096
boot_pt_direct:
    .skip 4096
boot_pt_kernel:
    .skip 4096

    .section .bss.boot_stack, "aw", @nobits
    .balign 4096
    .globl riscv_boot_stack_guard
riscv_boot_stack_guard:
    .skip 4096
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:

    /* The boot hart's emergency trap stack (arch/percpu.h), guarded too. */
    .balign 4096
    .globl riscv_boot_trap_stack_guard, riscv_boot_trap_stack_top
riscv_boot_trap_stack_guard:
    .skip 4096
    .skip TRAP_STACK_SIZE
riscv_boot_trap_stack_top:
