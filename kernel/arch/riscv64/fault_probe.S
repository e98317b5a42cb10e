/*
 * Fault-recovering 8-byte kernel accesses (kernel/include/fault_probe.h): one
 * load or store listed in __ex_table, whose fixup returns E_FAULT.
 */
    .option norelax

#define E_OK    0
#define E_FAULT (-3) /* include/anos/errors.h (checked in kernel/lib/fault_probe.c) */

#include "ex_table.inc"

    .section .text
    .balign 4
    .globl probe_read_u64
/*
 * Error probe_read_u64(uintptr_t addr, uint64_t *out)
 * In:  a0 = addr, a1 = out (a kernel pointer that must not fault).
 * Out: a0 = E_OK and *out = the doubleword at addr; or a0 = E_FAULT with *out
 *      untouched when the load takes a load page fault or load access fault
 *      (unmapped, no read permission, non-canonical): trap.c then resumes at
 *      .Lread_fault with every register as it was. Clobbers t0.
 */
probe_read_u64:
.Lread_load:
    ld t0, 0(a0)
    sd t0, 0(a1)
    li a0, E_OK
    ret
.Lread_fault:
    li a0, E_FAULT
    ret
    EX_TABLE_ENTRY .Lread_load, .Lread_fault

    .globl probe_write_u64
/*
 * Error probe_write_u64(uintptr_t addr, uint64_t value)
 * In:  a0 = addr, a1 = value.
 * Out: a0 = E_OK after the store; a0 = E_FAULT, memory unchanged, when the
 *      store takes a store/AMO page fault or access fault (unmapped,
 *      read-only, non-canonical). Clobbers nothing else.
 */
probe_write_u64:
.Lwrite_store:
    sd a1, 0(a0)
    li a0, E_OK
    ret
.Lwrite_fault:
    li a0, E_FAULT
    ret
    EX_TABLE_ENTRY .Lwrite_store, .Lwrite_fault
