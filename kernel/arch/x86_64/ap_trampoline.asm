; The application-processor start trampoline: real mode -> protected mode ->
; long mode, then a jump into the kernel image. Copied to a page below 1 MiB
; by smp.c, which fills the ApParams block at AP_PARAMS in that page.

%include "ap_trampoline.inc"

CR0_PE      equ 1 << 0
CR0_MP      equ 1 << 1
CR0_ET      equ 1 << 4
CR0_NE      equ 1 << 5
CR0_WP      equ 1 << 16
CR0_NW      equ 1 << 29
CR0_CD      equ 1 << 30
CR0_PG      equ 1 << 31
CR4_PAE     equ 1 << 5
CR4_PGE     equ 1 << 7
MSR_EFER    equ 0xC0000080
EFER_LME    equ 1 << 8
EFER_NXE    equ 1 << 11

; The trampoline code is data to the kernel: it never runs where it is
; linked, only from its copy. Every address in it is an offset from
; ap_trampoline_start (assemble-time constants, no relocations) or comes
; from ApParams, where smp.c wrote absolute physical addresses.
section .rodata
align 16

global ap_trampoline_start
global ap_trampoline_end
global ap_trampoline_pm32_offset
global ap_trampoline_lm64_offset

bits 16
; Real-mode stage, entered by the STARTUP IPI.
;   In:  CS = page >> 4, IP = 0 (the SIPI vector is the page number), real
;        mode, interrupts off, caches off (CR0.CD/NW set after INIT).
;   Out: protected mode with the temporary flat GDT from ApParams; ebx =
;        physical address of the page; far jump to the 32-bit stage.
ap_trampoline_start:
    cli
    cld
    mov ax, cs
    mov ds, ax
    movzx ebx, ax
    shl ebx, 4
    o32 lgdt [AP_P_GDTR]
    mov eax, cr0
    and eax, ~(CR0_CD | CR0_NW)
    or eax, CR0_PE | CR0_MP | CR0_ET | CR0_NE
    mov cr0, eax
    jmp dword far [AP_P_PM32_PTR]

bits 32
; Protected-mode stage.
;   In:  ebx = page physical address, CS = 32-bit flat code.
;   Out: CR4.PAE|PGE, CR3 = the temporary PML4 (identity-maps the page,
;        shares the kernel half), EFER.LME|NXE, CR0.PG|WP: long mode in
;        compatibility mode; far jump to the 64-bit stage. ebx kept.
ap_pm32:
    mov ax, AP_DATA32_SELECTOR
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, CR4_PAE | CR4_PGE
    mov cr4, eax
    mov eax, [ebx + AP_P_LOW_CR3]
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME | EFER_NXE
    wrmsr
    mov eax, cr0
    or eax, CR0_PG | CR0_WP
    mov cr0, eax
    jmp far [ebx + AP_P_LM64_PTR]

bits 64
; 64-bit stage, still at the identity-mapped low address.
;   In:  ebx = page physical address (upper half undefined after the mode
;        switch).
;   Out: rdi = PerCpu *, rsi = stack top, rdx = kernel CR3; jumps to
;        ApParams.entry (ap_long_mode_entry) in the kernel image. After
;        this the page is no longer read, but the temporary tables stay
;        live until ap_long_mode_entry loads the kernel's CR3.
ap_lm64:
    mov ebx, ebx
    mov rdi, [rbx + AP_P_CPU]
    mov rsi, [rbx + AP_P_STACK_TOP]
    mov rdx, [rbx + AP_P_KERNEL_CR3]
    mov rax, [rbx + AP_P_ENTRY]
    jmp rax
ap_trampoline_end:

align 4
ap_trampoline_pm32_offset: dd ap_pm32 - ap_trampoline_start
ap_trampoline_lm64_offset: dd ap_lm64 - ap_trampoline_start

section .text

extern smp_x86_ap_main

; ap_long_mode_entry: the AP's first instruction in the kernel image.
;   In:  rdi = PerCpu *, rsi = stack top (16-byte aligned), rdx = kernel
;        CR3; long mode on the trampoline's temporary tables; interrupts
;        off; no IDT (an NMI here would triple-fault: nothing sends one to
;        a CPU that has not reported in, see docs/Arch-x86_64.md).
;   Out: kernel CR3, rsp = stack top, rbp = 0 (ends backtraces); calls
;        smp_x86_ap_main(rdi), which never returns.
global ap_long_mode_entry
ap_long_mode_entry:
    mov cr3, rdx
    mov rsp, rsi
    xor ebp, ebp
    call smp_x86_ap_main
.halt:
    cli
    hlt
    jmp .halt
