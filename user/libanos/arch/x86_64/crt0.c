/*
 * The ELF entry point of every program (include/anos/startup.h). The
 * kernel starts a process with rsp 16-byte aligned at argc; anos_start_c
 * reads the rest. A naked function rather than an .asm file: five
 * instructions, no prologue, same contract on both architectures.
 */
#include <stdint.h>

_Noreturn void anos_start_c(uint64_t *sp);

/* rbp = 0 ends frame-pointer backtraces here; the call pushes a return
 * address so anos_start_c sees the ABI's rsp % 16 == 8 at entry. */
__attribute__((naked, noreturn, used)) void _start(void)
{
    __asm__ volatile("xor %ebp, %ebp\n\t"
                     "mov %rsp, %rdi\n\t"
                     "and $-16, %rsp\n\t"
                     "call anos_start_c\n\t"
                     "ud2\n\t");
}
