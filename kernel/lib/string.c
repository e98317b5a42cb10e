/*
 * memset/memcpy/memmove/memcmp and the str* functions for the freestanding
 * kernel. Plain loops; memset and memcpy go eight words at a time when aligned.
 */
#include <kstring.h>
#include <stdint.h>

/*
 * Word accesses go through a may_alias type: this file reads and writes
 * objects of any type, and strict aliasing must not reorder those accesses.
 */
typedef uintptr_t __attribute__((may_alias)) KWord;

#define KWORD_SIZE sizeof(KWord)

static inline int kstring_aligned(const void *p)
{
    return ((uintptr_t)p & (KWORD_SIZE - 1)) == 0;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)c;

    if (kstring_aligned(d) && n >= KWORD_SIZE) {
        /* Multiplying by 0x0101...01 copies the byte into every lane. */
        KWord pattern = (KWord)byte * (UINTPTR_MAX / 0xff);
        KWord *w = (KWord *)d;
        /* Eight words a turn: page clears (lazy faults, page tables) pay
         * the loop overhead once per 64 bytes. */
        for (; n >= 8 * KWORD_SIZE; n -= 8 * KWORD_SIZE, w += 8) {
            w[0] = pattern;
            w[1] = pattern;
            w[2] = pattern;
            w[3] = pattern;
            w[4] = pattern;
            w[5] = pattern;
            w[6] = pattern;
            w[7] = pattern;
        }
        for (; n >= KWORD_SIZE; n -= KWORD_SIZE) {
            *w++ = pattern;
        }
        d = (unsigned char *)w;
    }
    while (n--) {
        *d++ = byte;
    }
    return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (kstring_aligned(d) && kstring_aligned(s)) {
        KWord *wd = (KWord *)d;
        const KWord *ws = (const KWord *)s;
        for (; n >= 8 * KWORD_SIZE; n -= 8 * KWORD_SIZE, wd += 8, ws += 8) {
            KWord a = ws[0], b = ws[1], c = ws[2], e = ws[3];
            KWord f = ws[4], g = ws[5], h = ws[6], i = ws[7];
            wd[0] = a;
            wd[1] = b;
            wd[2] = c;
            wd[3] = e;
            wd[4] = f;
            wd[5] = g;
            wd[6] = h;
            wd[7] = i;
        }
        for (; n >= KWORD_SIZE; n -= KWORD_SIZE) {
            *wd++ = *ws++;
        }
        d = (unsigned char *)wd;
        s = (const unsigned char *)ws;
    }
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /* Compare as integers: the buffers may be unrelated objects. */
    if ((uintptr_t)d - (uintptr_t)s >= n) {
        /* dst is below src or past its end: a forward copy never overwrites unread bytes. */
        while (n--) {
            *d++ = *s++;
        }
    } else {
        while (n--) {
            d[n] = s[n];
        }
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *pa = a;
    const unsigned char *pb = b;

    for (size_t i = 0; i < n; i++) {
        if (pa[i] != pb[i]) {
            return pa[i] < pb[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0') {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *pa = (const unsigned char *)a;
    const unsigned char *pb = (const unsigned char *)b;

    while (*pa != '\0' && *pa == *pb) {
        pa++;
        pb++;
    }
    return *pa == *pb ? 0 : (*pa < *pb ? -1 : 1);
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *pa = (const unsigned char *)a;
    const unsigned char *pb = (const unsigned char *)b;

    for (size_t i = 0; i < n; i++) {
        if (pa[i] != pb[i]) {
            return pa[i] < pb[i] ? -1 : 1;
        }
        if (pa[i] == '\0') {
            break;
        }
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    char ch = (char)c;
    for (;; s++) {
        if (*s == ch) {
            return (char *)s;
        }
        if (*s == '\0') {
            return NULL;
        }
    }
}
