/*
 * The loader's progress log on the UEFI console (ConOut). A tiny formatter
 * so that callers can write one line per step; usable until ExitBootServices.
 */
#include "loader.h"

#include <stdarg.h>

#define CON_CHUNK 128

typedef struct ConBuf {
    CHAR16 text[CON_CHUNK + 1];
    unsigned len;
} ConBuf;

static void con_flush(ConBuf *b)
{
    if (b->len == 0)
        return;
    b->text[b->len] = 0;
    loader_st->ConOut->OutputString(loader_st->ConOut, b->text);
    b->len = 0;
}

static void con_putc(ConBuf *b, char c)
{
    if (b->len + 2 > CON_CHUNK)
        con_flush(b);
    if (c == '\n')
        b->text[b->len++] = L'\r';
    b->text[b->len++] = (CHAR16)(uint8_t)c;
}

static void con_number(ConBuf *b, uint64_t v, unsigned base)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    while (n > 0)
        con_putc(b, digits[--n]);
}

void con_printf(const char *fmt, ...)
{
    ConBuf b = {.len = 0};
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            con_putc(&b, *p);
            continue;
        }
        int is_long = 0;
        if (p[1] == 'l') {
            is_long = 1;
            p++;
        }
        switch (*++p) {
        case 's':
            for (const char *s = va_arg(ap, const char *); s && *s; s++)
                con_putc(&b, *s);
            break;
        case 'c': con_putc(&b, (char)va_arg(ap, int)); break;
        case 'd': {
            int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
            if (v < 0)
                con_putc(&b, '-');
            con_number(&b, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10);
            break;
        }
        case 'u':
        case 'x':
            con_number(&b, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
                       *p == 'u' ? 10 : 16);
            break;
        case '\0': p--; break;
        default: con_putc(&b, *p); break;
        }
    }
    va_end(ap);
    con_flush(&b);
}
