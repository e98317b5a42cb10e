/*
 * Checking and copying user pointers. Every pointer a syscall takes goes
 * through user_range_ok first (the user half only, no wrap, aligned where
 * the call needs it), then through a copy that survives faults.
 */
#ifndef ANOS_KERNEL_PROC_UACCESS_H
#define ANOS_KERNEL_PROC_UACCESS_H

#include <anos/errors.h>
#include <anos/startup.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * E_OK when [addr, addr + len) lies inside [ANOS_USER_MIN, ANOS_USER_TOP)
 * without wrapping and addr is a multiple of align (a power of two; 1 = any).
 * E_FAULT for NULL, a kernel address, a range past the top or wrapping;
 * E_ALIGN when misaligned. len 0 is allowed (any aligned user address).
 * Pure.
 */
static inline Error user_range_check(uint64_t addr, uint64_t len, uint64_t align)
{
    if (addr < ANOS_USER_MIN || addr >= ANOS_USER_TOP || len > ANOS_USER_TOP - addr) {
        return E_FAULT;
    }
    if ((addr & (align - 1)) != 0) {
        return E_ALIGN;
    }
    return E_OK;
}

/* Checked copies: the range check, then the arch copy (E_FAULT on a fault
 * that no lazy mapping resolves). */
Error copy_from_user(void *dst, uint64_t user_src, size_t n, size_t align);
Error copy_to_user(uint64_t user_dst, const void *src, size_t n, size_t align);

/* A NUL-terminated user string into dst[max]; E_RANGE if longer than
 * max - 1 bytes. */
Error copy_str_from_user(char *dst, uint64_t user_src, size_t max, size_t *len_out);

#endif
