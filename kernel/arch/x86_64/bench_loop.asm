; An exact-instruction-count loop for calibrating the benchmark counter.

bits 64
default rel

section .text

; void arch_bench_loop(uint64_t iterations)
;   In:  rdi = iterations, >= 1 (0 would run 2^64 times).
;   Out: returns after exactly `iterations` times two instructions in the
;        loop (dec, jnz), plus mov and ret. Clobbers rcx and flags.
global arch_bench_loop
arch_bench_loop:
    mov rcx, rdi
.again:
    dec rcx
    jnz .again
    ret
