; The kernel's ELF entry point and boot stack (x86_64). The UEFI loader jumps
; here; everything after kernel_main is C.

bits 64
default rel

extern kernel_main

; Boot stack, with one unused page below it as a guard gap: a stack overflow
; runs into the guard instead of the variables below it. The guard is mapped
; until the VMM unmaps it (arch_stack_guards() lists it).
section .bss.boot_stack nobits alloc write align=4096
global boot_stack_guard
boot_stack_guard:
    resb 4096
boot_stack_bottom:
    resb 16384
boot_stack_top:

section .text.boot progbits alloc exec nowrite align=16

; _start: entry from the loader.
;   In:  long mode, paging on with the loader's tables (kernel at its link
;        address, direct map, identity map); rdi = BootInfo * (direct map);
;        interrupts should be off, but we do not rely on it, nor on the
;        loader's GDT, IDT or stack.
;   Out: calls kernel_main(rdi) on the boot stack with rbp = 0 (ends
;        backtraces) and DF = 0; never returns (halts if kernel_main does).
global _start
_start:
    cli
    cld
    lea rsp, [boot_stack_top]
    xor ebp, ebp
    call kernel_main
.halt:
    cli
    hlt
    jmp .halt
