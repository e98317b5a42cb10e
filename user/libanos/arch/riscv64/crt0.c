/*
 * The ELF entry point of every program (include/anos/startup.h). The
 * kernel starts a process with sp 16-byte aligned at argc; anos_start_c
 * reads the rest. A naked function rather than an .S file: a few
 * instructions, no prologue, same contract on both architectures.
 */
#include <stdint.h>

_Noreturn void anos_start_c(uint64_t *sp);

/* gp first, with relaxation off so that `la gp` is not itself turned into
 * a gp-relative access; fp = ra = 0 end frame-pointer backtraces here. */
__attribute__((naked, noreturn, used)) void _start(void)
{
    __asm__ volatile(".option push\n\t"
                     ".option norelax\n\t"
                     "la gp, __global_pointer$\n\t"
                     ".option pop\n\t"
                     "mv a0, sp\n\t"
                     "li s0, 0\n\t"
                     "li ra, 0\n\t"
                     "andi sp, sp, -16\n\t"
                     "call anos_start_c\n\t"
                     "unimp\n\t");
}
