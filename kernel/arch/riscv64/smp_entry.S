/*
 * Where a secondary hart enters the kernel (SBI HSM hart_start from smp.c):
 * from physical addresses with the MMU off to the kernel's tables, its own
 * stack and PerCpu, then riscv_smp_ap_main in C.
 */
#include "smp_plan.h"

    .option norelax

#define SBI_EXT_HSM       0x48534D
#define SBI_HSM_HART_STOP 1

    .section .text
    .balign 4
    .globl riscv_smp_secondary_entry
/*
 * riscv_smp_secondary_entry: SBI HSM's start_addr (physical).
 * In:  a0 = this hart's id, a1 = physical address of the RiscvSmpStart block
 *      (opaque), S-mode, satp = 0, sstatus.SIE = 0, every other register
 *      undefined. The block's trampoline tables identity-map the 1 GiB page
 *      holding this code and map the kernel half like the kernel's root.
 * Claim: block.claim goes from (a0 << 32 | WAITING) to (a0 << 32 | ENTERED)
 *      in one lr/sc before anything else is read; any other value (a start
 *      the starter abandoned, or meant for another hart) stops this hart
 *      through HSM hart_stop, so it can be started again later.
 * Out: riscv_smp_ap_main(a0 = PerCpu) on the block's stack, at the link
 *      address, satp = the kernel's root, tp = sscratch = PerCpu, stvec =
 *      riscv_trap_vector, s0 = ra = 0 (end of backtraces), sie = 0 and
 *      interrupts off. Does not return.
 * Clobbers every register.
 */
riscv_smp_secondary_entry:
    csrw sie, zero
    csrci sstatus, 0x2

    slli t2, a0, 32
    ori t3, t2, SMP_STATE_ENTERED
    ori t2, t2, SMP_STATE_WAITING
1:  lr.d.aq t0, (a1)
    bne t0, t2, .Lstop
    sc.d.rl t1, t3, (a1)
    bnez t1, 1b

    /* Claimed: the fields are ours and stay put until RUNNING. */
    ld t0, SMP_START_TRAMP_SATP(a1)
    ld s1, SMP_START_KERNEL_SATP(a1)
    ld s2, SMP_START_STACK_TOP(a1)
    ld s3, SMP_START_PERCPU(a1)

    /* Paging on while still at the physical PC (the identity page), then
     * to the link address, then onto the kernel's own root, which has no
     * identity page. */
    sfence.vma
    csrw satp, t0
    sfence.vma
    lui t0, %hi(.Lhigh)
    addi t0, t0, %lo(.Lhigh)
    jr t0

.Lhigh:
    csrw satp, s1
    sfence.vma

    /* Traps from here on find a vector and this hart's PerCpu. */
    lla t0, riscv_trap_vector
    csrw stvec, t0
    mv tp, s3
    csrw sscratch, s3
    mv sp, s2
    li s0, 0
    li ra, 0
    mv a0, s3
    call riscv_smp_ap_main
    /* Not reached: riscv_smp_ap_main does not return. */
2:  wfi
    j 2b

/* Not our block: back to HSM "stopped" (physical addresses, MMU off). */
.Lstop:
    li a7, SBI_EXT_HSM
    li a6, SBI_HSM_HART_STOP
    ecall
3:  wfi                                 /* hart_stop failed: park */
    j 3b
