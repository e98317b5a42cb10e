/*
 * printf-style formatting for the kernel: one formatter core (kvformat) that
 * feeds characters to a callback, with string and console front ends.
 */
#ifndef ANOS_KERNEL_KPRINTF_H
#define ANOS_KERNEL_KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

#define KPRINTF_FORMAT(fmt_arg, first_arg) __attribute__((format(printf, fmt_arg, first_arg)))

/* Receives each output character in order; ctx is the caller's. */
typedef void (*KFormatEmit)(char c, void *ctx);

/*
 * Formats like C99 printf and returns the number of characters emitted.
 * Conversions: d i u x X o p s c %; flags - 0 + space #; width and precision
 * (digits or *); length modifiers hh h l ll z t j. Differences from C: %p is
 * always "0x" and 16 hex digits (NULL too), %s of NULL is "(null)", an unknown
 * or unfinished conversion is copied to the output as written, and there is no
 * floating point and no %n. Widths and integer precisions above 4096 count as
 * 4096 (a string's precision is not capped: it only bounds how much is read).
 */
int kvformat(KFormatEmit emit, void *ctx, const char *fmt, va_list ap);

/*
 * Formats into buf, writing at most n bytes including the terminating NUL
 * (always written when n > 0). Returns the length the full output would have,
 * like C99 snprintf, so a result >= n means it was truncated. buf may be NULL
 * when n is 0.
 */
int ksnprintf(char *buf, size_t n, const char *fmt, ...) KPRINTF_FORMAT(3, 4);
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

/* Formats to the console (device and log ring) as one unit under the console lock. */
int kprintf(const char *fmt, ...) KPRINTF_FORMAT(1, 2);
int kvprintf(const char *fmt, va_list ap);

#endif
