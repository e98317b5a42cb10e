/*
 * The kernel's exception table, as the linker script collects it, for the
 * trap handlers to find the fixup of a faulting instruction.
 */
#include <fault_probe.h>

/* The probes' fixups (fault_probe.asm / fault_probe.S) return -3 in the
 * return register: it must stay E_FAULT. */
_Static_assert(E_FAULT == -3, "fault_probe assembly returns -3 for E_FAULT");

extern const ExTableEntry __ex_table_start[], __ex_table_end[];

uintptr_t fault_fixup_lookup(uintptr_t pc)
{
    return ex_table_search(__ex_table_start, __ex_table_end, pc);
}
