/*
 * The C library functions clang may emit calls to in a freestanding build
 * (struct copies, __builtin_memcpy/memset). BOOTX64.EFI links no libc.
 * rep movsb/stosb: fast under TCG and immune to the compiler turning a loop
 * back into a call to the function being defined.
 */
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    if ((const unsigned char *)dst <= (const unsigned char *)src ||
        (const unsigned char *)dst >= (const unsigned char *)src + n)
        return memcpy(dst, src, n);
    /* Overlapping with dst above src: copy backwards. */
    void *d = (unsigned char *)dst + n - 1;
    const void *s = (const unsigned char *)src + n - 1;
    __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}
