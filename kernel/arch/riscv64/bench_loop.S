/*
 * An exact-instruction-count loop for calibrating the benchmark counter.
 */
    .option norelax
    .section .text
    .balign 4
    .globl arch_bench_loop
/*
 * void arch_bench_loop(uint64_t iterations)
 * In:  a0 = iterations, >= 1 (0 would run 2^64 times).
 * Out: returns after exactly `iterations` times two instructions in the
 *      loop (addi, bnez), plus ret. Clobbers a0.
 */
arch_bench_loop:
1:
    addi a0, a0, -1
    bnez a0, 1b
    ret
