; Loading the GDT and the segment registers: a far return is the only way to
; reload CS in long mode, which C cannot express.

bits 64
default rel

section .text

; gdt_load_segments(const DescriptorPointer *gdtr, uint16_t code, uint16_t data)
;   In:  rdi = lgdt operand, si = code selector, dx = data selector.
;   Out: GDTR loaded; CS = si; DS, ES, SS = dx; FS, GS = null (their bases
;        are set through MSRs later). Clobbers rax. Interrupts must be off.
global gdt_load_segments
gdt_load_segments:
    lgdt [rdi]
    mov ds, dx
    mov es, dx
    mov ss, dx
    xor eax, eax
    mov fs, ax
    mov gs, ax
    movzx rsi, si
    push rsi
    lea rax, [.reloaded]
    push rax
    o64 retf
.reloaded:
    ret
