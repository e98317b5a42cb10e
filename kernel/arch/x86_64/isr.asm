; Exception entry stubs (vectors 0-31): each pushes a uniform TrapFrame
; (include/arch/trap.h) and calls trap_dispatch(frame) in C.

bits 64
default rel

%include "frame.inc"

extern trap_dispatch

MSR_GS_BASE equ 0xC0000101

; Per-vector stubs. The CPU pushed SS, RSP, RFLAGS, CS, RIP and, for some
; vectors, an error code; the stub pushes a dummy 0 where the CPU did not,
; then the vector, so every frame has the same layout.
%macro ISR_NO_ERROR_CODE 1
isr_stub_%1:
    push qword 0
    push qword %1
    jmp isr_common
%endmacro

%macro ISR_ERROR_CODE 1
isr_stub_%1:
    push qword %1
    jmp isr_common
%endmacro

; The IST vectors (NMI, double fault, machine check) can strike anywhere,
; even between a swapgs and the iretq or sysret beside it, where the
; interrupted CS does not tell whose GS base is live: isr_paranoid asks the
; GS base itself.
%macro ISR_PARANOID_NO_ERROR_CODE 1
isr_stub_%1:
    push qword 0
    push qword %1
    jmp isr_paranoid
%endmacro

%macro ISR_PARANOID_ERROR_CODE 1
isr_stub_%1:
    push qword %1
    jmp isr_paranoid
%endmacro

section .text

ISR_NO_ERROR_CODE 0     ; #DE divide error
ISR_NO_ERROR_CODE 1     ; #DB debug
ISR_PARANOID_NO_ERROR_CODE 2    ; NMI (IST)
ISR_NO_ERROR_CODE 3     ; #BP breakpoint
ISR_NO_ERROR_CODE 4     ; #OF overflow
ISR_NO_ERROR_CODE 5     ; #BR bound range
ISR_NO_ERROR_CODE 6     ; #UD invalid opcode
ISR_NO_ERROR_CODE 7     ; #NM device not available
ISR_PARANOID_ERROR_CODE 8       ; #DF double fault (IST; error code always 0)
ISR_NO_ERROR_CODE 9     ; coprocessor segment overrun (reserved)
ISR_ERROR_CODE    10    ; #TS invalid TSS
ISR_ERROR_CODE    11    ; #NP segment not present
ISR_ERROR_CODE    12    ; #SS stack fault
ISR_ERROR_CODE    13    ; #GP general protection
ISR_ERROR_CODE    14    ; #PF page fault
ISR_NO_ERROR_CODE 15    ; reserved
ISR_NO_ERROR_CODE 16    ; #MF x87 error
ISR_ERROR_CODE    17    ; #AC alignment check
ISR_PARANOID_NO_ERROR_CODE 18   ; #MC machine check (IST)
ISR_NO_ERROR_CODE 19    ; #XM SIMD error
ISR_NO_ERROR_CODE 20    ; #VE virtualization
ISR_ERROR_CODE    21    ; #CP control protection
ISR_NO_ERROR_CODE 22
ISR_NO_ERROR_CODE 23
ISR_NO_ERROR_CODE 24
ISR_NO_ERROR_CODE 25
ISR_NO_ERROR_CODE 26
ISR_NO_ERROR_CODE 27
ISR_NO_ERROR_CODE 28    ; #HV hypervisor injection
ISR_ERROR_CODE    29    ; #VC VMM communication
ISR_ERROR_CODE    30    ; #SX security
ISR_NO_ERROR_CODE 31

; isr_common: shared tail of every non-IST stub.
;   In:  stack = vector, error code, CPU frame (RIP, CS, RFLAGS, RSP, SS);
;        interrupts off (interrupt gates); the user's GS when CS has RPL 3.
;   Out: calls trap_dispatch(rdi = TrapFrame *) with kernel GS, DF = 0,
;        AC = 0 and rsp 16-byte aligned (TRAP_ENTER). trap_dispatch returns
;        with interrupts off when the trap was handled (a fixup, a resolved
;        user page fault); TRAP_LEAVE then resumes the trapped code, through
;        user_return_work first when it is user code.
isr_common:
    TRAP_ENTER
    mov rdi, rsp
    call trap_dispatch
    TRAP_LEAVE

; isr_paranoid: as isr_common for NMI, #DF and #MC, which run on IST stacks
; and may interrupt the kernel between a swapgs and its iretq/sysret. A
; kernel GS base is a kernel-half address (bit 63 set); a user one never is
; (user code cannot write the GS base MSRs: CR4.FSGSBASE stays clear). ebx
; (callee-saved) remembers whether to swap back. No user_return_work: these
; are fatal unless they are IPI_HALT, which never returns.
isr_paranoid:
    PUSH_GPRS
    cld
    mov ecx, MSR_GS_BASE
    rdmsr
    xor ebx, ebx
    test edx, edx
    js .kernel_gs
    swapgs
    mov ebx, 1
.kernel_gs:
    SMAP_CLAC
    mov rdi, rsp
    call trap_dispatch
    test ebx, ebx
    jz .restore
    swapgs
.restore:
    POP_GPRS
    add rsp, 16                 ; vector and error code
    iretq

; The stubs' addresses, indexed by vector, for cpu_init.c to build the IDT.
section .rodata
global isr_stub_table
isr_stub_table:
%assign vec 0
%rep 32
    dq isr_stub_ %+ vec
%assign vec vec + 1
%endrep
