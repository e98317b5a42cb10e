; Interrupt entry stubs (vectors 32-255): each pushes the same TrapFrame as
; the exception stubs (include/arch/trap.h) and calls irq_dispatch in C.

bits 64
default rel

%include "frame.inc"

extern irq_dispatch

%define IRQ_FIRST_VECTOR 32
%define IRQ_VECTOR_COUNT 224

section .text

; Per-vector stubs. No interrupt pushes an error code: the stub pushes a
; dummy 0, then the vector, so the frame matches an exception's.
%assign vec IRQ_FIRST_VECTOR
%rep IRQ_VECTOR_COUNT
align 16
irq_stub_ %+ vec:
    push qword 0
    push qword vec
    jmp irq_common
%assign vec vec + 1
%endrep

; irq_common: shared tail of every interrupt stub.
;   In:  stack = vector, 0, CPU frame (RIP, CS, RFLAGS, RSP, SS) on the
;        interrupted thread's stack (no IST for these vectors); interrupts
;        off (interrupt gates); kernel GS (no user mode yet: the user-mode
;        issue must add swapgs here when CS has RPL 3).
;   Out: calls irq_dispatch(rdi = TrapFrame *) with DF = 0 and rsp 16-byte
;        aligned (the CPU aligns before pushing; 22 quadwords keep it).
;        irq_dispatch may switch threads inside irq_exit and return much
;        later; the frame stays on this stack meanwhile. Then every GPR is
;        restored and iretq resumes the interrupted code exactly.
align 16
irq_common:
    PUSH_GPRS
    cld
    mov rdi, rsp
    call irq_dispatch
    POP_GPRS
    add rsp, 16             ; vector and dummy error code
    iretq

; The stubs' addresses, indexed by vector - 32, for cpu_init.c's IDT.
section .rodata
global irq_stub_table
irq_stub_table:
%assign vec IRQ_FIRST_VECTOR
%rep IRQ_VECTOR_COUNT
    dq irq_stub_ %+ vec
%assign vec vec + 1
%endrep
