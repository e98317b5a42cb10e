; Fault-recovering 8-byte kernel accesses (kernel/include/fault_probe.h): one
; load or store listed in __ex_table, whose fixup returns E_FAULT.

bits 64
default rel

E_OK    equ 0
E_FAULT equ -3          ; include/anos/errors.h (checked in kernel/lib/fault_probe.c)

%include "ex_table.inc"

section .text

; Error probe_read_u64(uintptr_t addr, uint64_t *out)
;   In:  rdi = addr, rsi = out (a kernel pointer that must not fault).
;   Out: eax = E_OK and [rsi] = the quadword at addr; or eax = E_FAULT with
;        [rsi] untouched when the load takes #PF or #GP (non-canonical addr):
;        trap.c then resumes at .fault with every register as it was.
;        Clobbers rax only.
global probe_read_u64
probe_read_u64:
.load:
    mov rax, [rdi]
    mov [rsi], rax
    xor eax, eax
    ret
.fault:
    mov eax, E_FAULT
    ret
EX_TABLE_ENTRY probe_read_u64.load, probe_read_u64.fault

; Error probe_write_u64(uintptr_t addr, uint64_t value)
;   In:  rdi = addr, rsi = value.
;   Out: eax = E_OK after the store; eax = E_FAULT, memory unchanged, when the
;        store takes #PF (not present, read-only: CR0.WP) or #GP.
;        Clobbers rax only.
global probe_write_u64
probe_write_u64:
.store:
    mov [rdi], rsi
    xor eax, eax
    ret
.fault:
    mov eax, E_FAULT
    ret
EX_TABLE_ENTRY probe_write_u64.store, probe_write_u64.fault
