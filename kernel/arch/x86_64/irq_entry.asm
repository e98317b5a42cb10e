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
;        interrupted thread's kernel stack (TSS.rsp0 when it was in user
;        mode; no IST for these vectors); interrupts off (interrupt gates);
;        the user's GS when CS has RPL 3.
;   Out: calls irq_dispatch(rdi = TrapFrame *) with kernel GS, DF = 0,
;        AC = 0 and rsp 16-byte aligned (TRAP_ENTER). irq_dispatch may
;        switch threads inside irq_exit and return much later; the frame
;        stays on this stack meanwhile. TRAP_LEAVE then resumes the
;        interrupted code exactly (user code after any pending
;        user_return_work). Vector 0x69's stub here is never in the IDT:
;        cpu_init.c points that gate at syscall_int_entry.
align 16
irq_common:
    TRAP_ENTER
    mov rdi, rsp
    call irq_dispatch
    TRAP_LEAVE

; The stubs' addresses, indexed by vector - 32, for cpu_init.c's IDT.
section .rodata
global irq_stub_table
irq_stub_table:
%assign vec IRQ_FIRST_VECTOR
%rep IRQ_VECTOR_COUNT
    dq irq_stub_ %+ vec
%assign vec vec + 1
%endrep
