/*
 * Kernel memory accesses that survive a fault: the exception table that maps
 * a faulting instruction to its fixup, and the probes built on it.
 */
#ifndef ANOS_KERNEL_FAULT_PROBE_H
#define ANOS_KERNEL_FAULT_PROBE_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One exception-table entry: if the instruction at `insn` faults in kernel
 * mode (x86_64: #PF, or #GP for a non-canonical address; riscv64: load/store
 * page or access fault), the trap handler resumes at `fixup` instead of
 * panicking. Emitted by assembly into the `__ex_table` section as two
 * 8-byte addresses (fault_probe.asm / fault_probe.S); the linker script
 * brackets the section with __ex_table_start / __ex_table_end. Entries are
 * in link order, not sorted.
 */
typedef struct ExTableEntry {
    uintptr_t insn;
    uintptr_t fixup;
} ExTableEntry;

_Static_assert(sizeof(ExTableEntry) == 16, "the assembly emits two 8-byte words per entry");

/* The fixup for pc in [first, end), or 0 when pc is not listed. A linear
 * scan: the table holds a handful of entries (probes, user copies), and the
 * search runs only on a kernel fault, never on a hot path. Pure. */
static inline uintptr_t ex_table_search(const ExTableEntry *first, const ExTableEntry *end,
                                        uintptr_t pc)
{
    for (const ExTableEntry *e = first; e < end; e++) {
        if (e->insn == pc) {
            return e->fixup;
        }
    }
    return 0;
}

/* ex_table_search over the kernel's own table. Called by the trap handlers
 * with interrupts off; touches only the (read-only) table. */
uintptr_t fault_fixup_lookup(uintptr_t pc);

/* Reads the 8 bytes at addr into *out with one load. E_FAULT (and *out
 * untouched) if the load faults: not mapped, not readable, or not a
 * canonical address; E_OK otherwise. addr should be 8-aligned (riscv64
 * leaves misaligned loads to the SBI firmware). Any context, any CPU. */
Error probe_read_u64(uintptr_t addr, uint64_t *out);

/* Writes value to the 8 bytes at addr with one store. E_FAULT (memory
 * unchanged) if the store faults: not mapped, read-only (kernel pages bind
 * the kernel: CR0.WP on x86_64), or not canonical; E_OK otherwise. */
Error probe_write_u64(uintptr_t addr, uint64_t value);

/* In-kernel self-test of the probes and of the trap handler's fixups
 * (kernel/lib/fault_probe_selftest.c). */
bool fault_probe_selftest(void);

#endif
