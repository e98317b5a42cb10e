; The kernel-thread context switch: the only assembly in the scheduler.

bits 64
default rel

section .text

; void arch_context_switch(uintptr_t *save_sp, uintptr_t new_sp)
;   In:  rdi = where to store the current thread's rsp, rsi = the new
;        thread's saved rsp (a frame from this routine or from
;        arch_context_prepare); interrupts off (RFLAGS is not saved).
;   Out: on the new stack with its rbp, rbx, r12-r15 restored; returns to
;        the new thread's caller of arch_context_switch (or its trampoline).
;        Caller-saved registers are clobbered, as for any call.
global arch_context_switch
arch_context_switch:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret
