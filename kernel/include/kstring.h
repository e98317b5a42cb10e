/*
 * The kernel's memory and string functions. Standard names and prototypes, so
 * that the compiler's implicit memcpy/memset calls resolve to kernel/lib/string.c.
 */
#ifndef ANOS_KERNEL_KSTRING_H
#define ANOS_KERNEL_KSTRING_H

#include <stddef.h>

/*
 * Host unit tests of string.c itself define KSTRING_RENAME so that the kernel
 * versions get their own names and do not replace the C library's (which the
 * sanitizers and cmocka rely on). Other host code sees the standard names, which
 * the C library provides.
 */
#if defined(HOST_TEST) && defined(KSTRING_RENAME)
#define memset  kstring_memset
#define memcpy  kstring_memcpy
#define memmove kstring_memmove
#define memcmp  kstring_memcmp
#define strlen  kstring_strlen
#define strnlen kstring_strnlen
#define strcmp  kstring_strcmp
#define strncmp kstring_strncmp
#define strchr  kstring_strchr
#endif

void *memset(void *dst, int c, size_t n);
/* dst and src must not overlap; use memmove when they may. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
/* Reads at most max bytes of s: safe on strings that may lack a NUL. */
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Finds c (converted to char) in s; c == 0 finds the terminator. */
char *strchr(const char *s, int c);

#endif
