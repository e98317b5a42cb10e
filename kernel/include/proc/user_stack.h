/*
 * The initial stack of a new process (layout in <anos/startup.h>), built
 * in a kernel buffer before it is copied into the process. Pure.
 */
#ifndef ANOS_KERNEL_PROC_USER_STACK_H
#define ANOS_KERNEL_PROC_USER_STACK_H

#include <anos/errors.h>
#include <anos/startup.h>
#include <stddef.h>
#include <stdint.h>

typedef struct UserStackArgs {
    const char *const *argv;
    uint64_t argc;
    const char *const *envp;
    uint64_t envc;
    const AnosStartHandle *handles;
    uint64_t handle_count;
} UserStackArgs;

/*
 * Lays the stack out for a stack whose top is user address `top` (16-byte
 * aligned): buf[cap] stands for user memory [top - cap, top). On success
 * *sp_out is the initial user stack pointer (16-byte aligned, pointing at
 * argc) and buf[cap - (top - *sp_out) .. cap) holds the image; the rest of
 * buf is untouched. E_RANGE: it does not fit in cap bytes; E_INVAL: a NULL
 * array with a non-zero count, a NULL string, or top not aligned.
 */
Error user_stack_build(const UserStackArgs *a, uint64_t top, uint8_t *buf, size_t cap,
                       uint64_t *sp_out);

#endif
