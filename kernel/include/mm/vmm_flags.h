/* Generic mapping permissions, translated to PTE bits by each arch's
 * arch/paging.h. A mapping must include VMM_READ on every architecture. */
#ifndef MM_VMM_FLAGS_H
#define MM_VMM_FLAGS_H

#define VMM_READ    (1u << 0)
#define VMM_WRITE   (1u << 1)
#define VMM_EXEC    (1u << 2)
#define VMM_USER    (1u << 3)
#define VMM_GLOBAL  (1u << 4) /* survives address-space switches (kernel half) */
#define VMM_NOCACHE (1u << 5) /* device memory: x86 PCD|PWT; riscv ignores it (PMAs decide) */

#define VMM_FLAGS_ALL (VMM_READ | VMM_WRITE | VMM_EXEC | VMM_USER | VMM_GLOBAL | VMM_NOCACHE)

#endif
