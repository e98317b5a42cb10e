; Copies between kernel and user memory (proc/user_arch.h). Each access to
; user memory is an instruction listed in the exception table: a fault there
; that trap.c cannot resolve (user_fault_resolve) resumes at the routine's
; fixup, which returns E_FAULT. Under SMAP the user half is opened (stac)
; only for the copy itself.

bits 64
default rel

%include "ex_table.inc"
%include "user_abi.inc"

extern x86_smap_enabled

; stac/clac #UD without SMAP: x86_smap_enabled (user.c) says whether it is on.
%macro USER_OPEN 0
    cmp byte [x86_smap_enabled], 0
    je %%done
    stac
%%done:
%endmacro

%macro USER_CLOSE 0
    cmp byte [x86_smap_enabled], 0
    je %%done
    clac
%%done:
%endmacro

section .text

; Error arch_copy_from_user(void *dst, uintptr_t user_src, size_t n)
; Error arch_copy_to_user(uintptr_t user_dst, const void *src, size_t n)
;   In:  rdi = destination, rsi = source, rdx = n (both orders put the
;        destination first); DF = 0; the user range already checked
;        (user_range_ok) so only the user side can fault.
;   Out: eax = E_OK after n bytes; eax = E_FAULT at the first fault that
;        could not be resolved, the bytes before it copied. Quadwords with
;        rep movsq, then the 0-7 byte tail with rep movsb; a fault resolved
;        by trap.c resumes the rep where it stopped (rcx, rsi, rdi are live).
;        Clobbers rax, rcx, rsi, rdi.
align 16
global arch_copy_from_user
global arch_copy_to_user
arch_copy_from_user:
arch_copy_to_user:
    USER_OPEN
    mov rcx, rdx
    shr rcx, 3
.quads:
    rep movsq
    mov ecx, edx
    and ecx, 7
.bytes:
    rep movsb
    USER_CLOSE
    xor eax, eax
    ret
.fault:
    USER_CLOSE
    mov eax, E_FAULT
    ret
EX_TABLE_ENTRY arch_copy_to_user.quads, arch_copy_to_user.fault
EX_TABLE_ENTRY arch_copy_to_user.bytes, arch_copy_to_user.fault

; Error arch_copy_str_from_user(char *dst, uintptr_t user_src, size_t max,
;                               size_t *len_out)
;   In:  rdi = dst (max bytes), rsi = user_src, rdx = max, rcx = len_out.
;   Out: eax = E_OK with the string and its NUL in dst and *len_out = its
;        length without the NUL; eax = E_RANGE when the first max bytes hold
;        no NUL (max = 0 included); eax = E_FAULT on a fault. *len_out is
;        written only on success. A byte loop: strings here are short.
;        Clobbers rax, r8.
align 16
global arch_copy_str_from_user
arch_copy_str_from_user:
    xor r8d, r8d                ; index
    test rdx, rdx
    jz .range_closed
    USER_OPEN
.next:
.load:
    movzx eax, byte [rsi + r8]
    mov [rdi + r8], al
    test al, al
    jz .found
    inc r8
    cmp r8, rdx
    jb .next
    USER_CLOSE
.range_closed:
    mov eax, E_RANGE
    ret
.found:
    USER_CLOSE
    mov [rcx], r8
    xor eax, eax
    ret
.fault:
    USER_CLOSE
    mov eax, E_FAULT
    ret
EX_TABLE_ENTRY arch_copy_str_from_user.load, arch_copy_str_from_user.fault
