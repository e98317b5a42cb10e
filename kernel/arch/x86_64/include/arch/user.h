/*
 * x86_64 constants of the user-mode contract (proc/user_arch.h): the size
 * and alignment of a thread's FPU/SSE save area, the FXSAVE64 image.
 */
#ifndef ANOS_ARCH_USER_H
#define ANOS_ARCH_USER_H

#define ARCH_FPU_AREA_SIZE  512 /* FXSAVE64: x87, MXCSR, XMM0-15 */
#define ARCH_FPU_AREA_ALIGN 16  /* fxsave64/fxrstor64 #GP otherwise */

#endif
