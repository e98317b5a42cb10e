; The ways into the kernel from user code that are not faults: SYSCALL (the
; fast path), the deprecated `int 0x69`, and the first entry into user mode
; (x86_user_enter). Register contract: include/anos/syscall.h.

bits 64
default rel

%include "frame.inc"
%include "user_abi.inc"

extern syscall_table
extern syscall_int_dispatch

section .text

; The register exit of both paths below: interrupts off, rax = the result
; and rcx = the current thread. %1 = 1 loads the message registers (rsi,
; rdx, r10, r8, r9) from the thread's ipc.msg, 0 zeroes them.
%macro SYSCALL_EXIT 1
    xor edi, edi
%if %1
    mov rsi, [rcx + THREAD_IPC_MSG]
    mov rdx, [rcx + THREAD_IPC_MSG + 8]
    mov r10, [rcx + THREAD_IPC_MSG + 16]
    mov r8, [rcx + THREAD_IPC_MSG + 24]
    mov r9, [rcx + THREAD_IPC_MSG + 32]
%else
    xor esi, esi
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
%endif
    pop rbp
    pop r11
    pop rcx
    pop rsp                     ; the user rsp: nothing may use the stack now
    swapgs
    o64 sysret
%endmacro

; syscall_entry: IA32_LSTAR (user.c).
;   In:  user mode executed SYSCALL: rax = number, rdi, rsi, rdx, r10, r8, r9
;        = arguments, rcx = user rip, r11 = user rflags, rsp = user rsp, the
;        user's GS; CS/SS are the kernel's and FMASK has cleared IF, DF, TF,
;        AC and NT.
;   Out: sysret to rcx with rflags = r11 and the user rsp back; rax = the
;        result (E_NOSYS for rax >= SYS_COUNT, E_PERM when bit rax of the
;        process's rights is clear); rdi, rsi, rdx,
;        r8, r9, r10 zeroed (no kernel values leak), except that the message
;        calls (rax >= SYS_MSG_FIRST) return the thread's IPC message in
;        rsi, rdx, r10, r8, r9; rbx, rbp, r12-r15 kept (the C ABI saves
;        them; rbp is kept by hand).
;   The frame (user rsp, rip, rflags, rbp) stays on the thread's kernel
;   stack while the handler runs with interrupts on; a handler that blocks
;   simply switches away with it. Four pushes from the 16-byte aligned
;   kernel_sp keep the call aligned. rbp = 0 ends kernel backtraces here.
;   Cost of a permitted call, user `syscall` to back in user: 35
;   instructions plus the handler's (40 with a 5-instruction null handler,
;   counted with gdb stepi under QEMU).
align 16
global syscall_entry
syscall_entry:
    swapgs
    mov [gs:PERCPU_ARCH_SCRATCH], rsp
    mov rsp, [gs:PERCPU_KERNEL_SP]
    push qword [gs:PERCPU_ARCH_SCRATCH] ; user rsp
    push rcx                    ; user rip
    push r11                    ; user rflags
    push rbp
    xor ebp, ebp
    cmp rax, SYS_COUNT
    jae .nosys
    mov rcx, [gs:PERCPU_SYSCALL_RIGHTS] ; never NULL once a user thread ran
    bt [rcx], rax               ; bit rax of the 128-bit rights set
    jnc .perm
    sti
    mov rcx, r10                ; the C ABI's fourth argument
    cmp rax, SYS_MSG_FIRST
    jae .msg
    call [syscall_table + rax * 8]
    cli
.check:
    mov rcx, [gs:PERCPU_CURRENT]
    mov edx, [gs:PERCPU_PREEMPT_PENDING]
    or edx, [rcx + THREAD_KILL_PENDING]
    jnz .work                   ; falls through with edx = 0
    SYSCALL_EXIT 0
.nosys:
    mov rax, E_NOSYS
    jmp .check
.perm:
    mov rax, E_PERM
    jmp .check
.work:
    ; Interrupts off; user_return_work returns with them off (or never).
    push rax                    ; the result, twice to keep rsp aligned
    push rax
    call user_return_work
    pop rax
    pop rax
    jmp .check

    ; The message calls: the same, leaving through the message registers.
.msg:
    call [syscall_table + rax * 8]
    cli
.check_msg:
    mov rcx, [gs:PERCPU_CURRENT]
    mov edx, [gs:PERCPU_PREEMPT_PENDING]
    or edx, [rcx + THREAD_KILL_PENDING]
    jnz .work_msg
    SYSCALL_EXIT 1
.work_msg:
    push rax
    push rax
    call user_return_work
    pop rax
    pop rax
    jmp .check_msg

; syscall_int_entry: IDT vector 0x69, a DPL 3 interrupt gate (cpu_init.c).
;   In:  `int 0x69` with the SYSCALL registers (rax = number, rdi, rsi, rdx,
;        r10, r8, r9); interrupts off; the user's GS when CS has RPL 3.
;   Out: iretq with rax = the result and rdi, rsi, rdx, r8, r9, r10 zeroed
;        as SYSCALL does; every other register as it was. The deprecated
;        slow channel: a full TrapFrame, syscall_invoke checks everything.
align 16
global syscall_int_entry
syscall_int_entry:
    push qword 0                ; error code
    push qword 0x69             ; vector
    TRAP_ENTER
    mov rdi, rsp
    call syscall_int_dispatch
    TRAP_LEAVE

; _Noreturn void x86_user_enter(uintptr_t entry, uintptr_t user_sp,
;                               uintptr_t kernel_sp)
;   In:  rdi = user entry, rsi = user rsp, rdx = the thread's kernel stack
;        top; interrupts off; kernel GS.
;   Out: user mode at entry with rsp = rdi = user_sp, every other GPR zero,
;        RFLAGS = IF; the kernel stack empty again for the next entry.
align 16
global x86_user_enter
x86_user_enter:
    mov rsp, rdx
    push qword USER_SS
    push rsi                    ; rsp
    push qword USER_RFLAGS
    push qword USER_CS
    push rdi                    ; rip
    mov rdi, rsi
    xor eax, eax
    xor ebx, ebx
    xor ecx, ecx
    xor edx, edx
    xor esi, esi
    xor ebp, ebp
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    xor r11d, r11d
    xor r12d, r12d
    xor r13d, r13d
    xor r14d, r14d
    xor r15d, r15d
    swapgs
    iretq
