/*
 * Copies between kernel and user memory (proc/user_arch.h): sstatus.SUM
 * opens user pages to S-mode only for the copy, and every user access is
 * listed in the exception table, so a fault that user_fault_resolve cannot
 * fix (trap.c) ends the copy with E_FAULT instead of a panic.
 */
    .option norelax

/* Checked against anos/errors.h in user.c. */
#define E_OK    0
#define E_FAULT (-3)
#define E_RANGE (-8)

#define SSTATUS_SUM 0x40000

#include "ex_table.inc"

    .section .text
    .balign 4
    .globl arch_copy_from_user
/*
 * Error arch_copy_from_user(void *dst, uintptr_t user_src, size_t n)
 * In:  a0 = dst (kernel), a1 = user_src (checked by user_range_ok), a2 = n;
 *      interrupts in any state (a fault sleeps only when they are on).
 * Out: a0 = E_OK, n bytes copied; or E_FAULT when a load from user memory
 *      faults for good, the bytes before it copied. 8-byte loads and stores
 *      when both pointers are 8-aligned, bytes otherwise. SUM is clear again
 *      on return. Clobbers t0, t3, a1, a2.
 */
arch_copy_from_user:
    li t3, SSTATUS_SUM
    csrs sstatus, t3
    or t0, a0, a1
    andi t0, t0, 7
    bnez t0, 2f
1:  li t0, 8
    bltu a2, t0, 2f
.Lfrom_load_d:
    ld t0, 0(a1)
    sd t0, 0(a0)
    addi a0, a0, 8
    addi a1, a1, 8
    addi a2, a2, -8
    j 1b
2:  beqz a2, 3f
.Lfrom_load_b:
    lbu t0, 0(a1)
    sb t0, 0(a0)
    addi a0, a0, 1
    addi a1, a1, 1
    addi a2, a2, -1
    j 2b
3:  csrc sstatus, t3
    li a0, E_OK
    ret
    EX_TABLE_ENTRY .Lfrom_load_d, riscv_user_copy_fault
    EX_TABLE_ENTRY .Lfrom_load_b, riscv_user_copy_fault

    .globl arch_copy_to_user
/*
 * Error arch_copy_to_user(uintptr_t user_dst, const void *src, size_t n)
 * In:  a0 = user_dst (checked by user_range_ok), a1 = src (kernel), a2 = n;
 *      interrupts in any state.
 * Out: as arch_copy_from_user, with the stores to user memory the ones
 *      that may fault.
 */
arch_copy_to_user:
    li t3, SSTATUS_SUM
    csrs sstatus, t3
    or t0, a0, a1
    andi t0, t0, 7
    bnez t0, 2f
1:  li t0, 8
    bltu a2, t0, 2f
    ld t0, 0(a1)
.Lto_store_d:
    sd t0, 0(a0)
    addi a0, a0, 8
    addi a1, a1, 8
    addi a2, a2, -8
    j 1b
2:  beqz a2, 3f
    lbu t0, 0(a1)
.Lto_store_b:
    sb t0, 0(a0)
    addi a0, a0, 1
    addi a1, a1, 1
    addi a2, a2, -1
    j 2b
3:  csrc sstatus, t3
    li a0, E_OK
    ret
    EX_TABLE_ENTRY .Lto_store_d, riscv_user_copy_fault
    EX_TABLE_ENTRY .Lto_store_b, riscv_user_copy_fault

    .globl arch_copy_str_from_user
/*
 * Error arch_copy_str_from_user(char *dst, uintptr_t user_src, size_t max,
 *                               size_t *len_out)
 * In:  a0 = dst (kernel, max bytes), a1 = user_src (checked by
 *      user_range_ok for max bytes), a2 = max, a3 = len_out (kernel).
 * Out: a0 = E_OK with dst holding the string and its NUL, *len_out = its
 *      length without the NUL; E_RANGE when the first max bytes hold no NUL
 *      (all max copied, *len_out untouched); E_FAULT when a load faults for
 *      good (*len_out untouched). One byte at a time: strings are short.
 *      Clobbers t0-t3.
 */
arch_copy_str_from_user:
    li t3, SSTATUS_SUM
    csrs sstatus, t3
    li t1, 0                        /* bytes copied */
1:  bgeu t1, a2, 3f
    add t2, a1, t1
.Lstr_load:
    lbu t0, 0(t2)
    add t2, a0, t1
    sb t0, 0(t2)
    beqz t0, 2f
    addi t1, t1, 1
    j 1b
2:  csrc sstatus, t3
    sd t1, 0(a3)
    li a0, E_OK
    ret
3:  csrc sstatus, t3
    li a0, E_RANGE
    ret
    EX_TABLE_ENTRY .Lstr_load, riscv_user_copy_fault

/* The fixup of every listed access above: trap.c resumes here with the
 * registers of the fault and the frame's sstatus, SUM still set. */
riscv_user_copy_fault:
    li t3, SSTATUS_SUM
    csrc sstatus, t3
    li a0, E_FAULT
    ret
