/*
 * The kernel's printf: kvformat turns a format and its arguments into
 * characters; ksnprintf, kprintf and klog_write decide where they go.
 */
#include <console.h>
#include <klog.h>
#include <kprintf.h>
#include <stdbool.h>
#include <stdint.h>

#define KFORMAT_INT_MAX 0x7fffffff

/*
 * Widths and integer precisions are capped here: no kernel message needs more,
 * and a bad '*' argument must not keep a CPU busy writing 2^31 spaces.
 */
#define KFORMAT_MAX_PAD 4096

typedef enum KFormatLength {
    KLEN_NONE,
    KLEN_HH,
    KLEN_H,
    KLEN_L,
    KLEN_LL,
    KLEN_Z,
    KLEN_T,
    KLEN_J,
} KFormatLength;

/* One parsed conversion: everything between '%' and the conversion letter. */
typedef struct KFormatSpec {
    bool left;     /* '-' */
    bool zero;     /* '0' */
    bool plus;     /* '+' */
    bool space;    /* ' ' */
    bool alt;      /* '#' */
    int width;     /* 0 when absent */
    int precision; /* -1 when absent */
    KFormatLength length;
    char conv;
} KFormatSpec;

typedef struct KFormatOut {
    KFormatEmit emit;
    void *ctx;
    size_t count;
} KFormatOut;

static void kformat_putc(KFormatOut *out, char c)
{
    out->emit(c, out->ctx);
    out->count++;
}

static void kformat_repeat(KFormatOut *out, char c, int n)
{
    for (int i = 0; i < n; i++) {
        kformat_putc(out, c);
    }
}

static void kformat_span(KFormatOut *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        kformat_putc(out, s[i]);
    }
}

/* Reads decimal digits, saturating at KFORMAT_INT_MAX rather than overflowing. */
static const char *kformat_number(const char *p, int *value)
{
    int v = 0;
    while (*p >= '0' && *p <= '9') {
        int digit = *p - '0';
        v = v > (KFORMAT_INT_MAX - digit) / 10 ? KFORMAT_INT_MAX : v * 10 + digit;
        p++;
    }
    *value = v;
    return p;
}

static const char *kformat_parse_flags(const char *p, KFormatSpec *spec)
{
    for (;; p++) {
        switch (*p) {
        case '-': spec->left = true; break;
        case '0': spec->zero = true; break;
        case '+': spec->plus = true; break;
        case ' ': spec->space = true; break;
        case '#': spec->alt = true; break;
        default: return p;
        }
    }
}

static const char *kformat_parse_length(const char *p, KFormatLength *length)
{
    switch (*p) {
    case 'h':
        if (p[1] == 'h') {
            *length = KLEN_HH;
            return p + 2;
        }
        *length = KLEN_H;
        return p + 1;
    case 'l':
        if (p[1] == 'l') {
            *length = KLEN_LL;
            return p + 2;
        }
        *length = KLEN_L;
        return p + 1;
    case 'z': *length = KLEN_Z; return p + 1;
    case 't': *length = KLEN_T; return p + 1;
    case 'j': *length = KLEN_J; return p + 1;
    default: *length = KLEN_NONE; return p;
    }
}

/*
 * Parses flags, width, precision and length starting just after '%'; returns
 * a pointer to the conversion letter (or to the NUL ending fmt). '*' takes an
 * int from args: a negative width means '-' and its magnitude, a negative
 * precision means none.
 */
static const char *kformat_parse(const char *p, KFormatSpec *spec, va_list *args)
{
    *spec = (KFormatSpec){.precision = -1};
    p = kformat_parse_flags(p, spec);

    if (*p == '*') {
        int w = va_arg(*args, int);
        if (w < 0) {
            spec->left = true;
            w = w == -KFORMAT_INT_MAX - 1 ? KFORMAT_INT_MAX : -w;
        }
        spec->width = w;
        p++;
    } else {
        p = kformat_number(p, &spec->width);
    }

    if (*p == '.') {
        p++;
        if (*p == '*') {
            int prec = va_arg(*args, int);
            spec->precision = prec < 0 ? -1 : prec;
            p++;
        } else {
            p = kformat_number(p, &spec->precision);
        }
    }

    if (spec->width > KFORMAT_MAX_PAD) {
        spec->width = KFORMAT_MAX_PAD;
    }
    p = kformat_parse_length(p, &spec->length);
    spec->conv = *p;
    return p;
}

static uint64_t kformat_arg_unsigned(va_list *args, KFormatLength length)
{
    switch (length) {
    case KLEN_HH: return (unsigned char)va_arg(*args, unsigned int);
    case KLEN_H: return (unsigned short)va_arg(*args, unsigned int);
    case KLEN_L: return va_arg(*args, unsigned long);
    case KLEN_LL: return va_arg(*args, unsigned long long);
    case KLEN_Z: return va_arg(*args, size_t);
    case KLEN_T: return (uint64_t)(size_t)va_arg(*args, ptrdiff_t);
    case KLEN_J: return va_arg(*args, uintmax_t);
    default: return va_arg(*args, unsigned int);
    }
}

static int64_t kformat_arg_signed(va_list *args, KFormatLength length)
{
    switch (length) {
    case KLEN_HH: return (signed char)va_arg(*args, int);
    case KLEN_H: return (short)va_arg(*args, int);
    case KLEN_L: return va_arg(*args, long);
    case KLEN_LL: return va_arg(*args, long long);
    case KLEN_Z:
    case KLEN_T: return va_arg(*args, ptrdiff_t);
    case KLEN_J: return va_arg(*args, intmax_t);
    default: return va_arg(*args, int);
    }
}

/*
 * Writes one integer: [spaces] prefix [zeros] digits [spaces]. The prefix is
 * the sign or the "0x" of '#' / %p; zeros come from the precision, from '#'
 * on %o, and from the '0' flag when no precision is given.
 */
static void kformat_integer(KFormatOut *out, const KFormatSpec *spec, uint64_t magnitude,
                            const char *prefix)
{
    const char *digit_set = spec->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned base = 10;
    if (spec->conv == 'o') {
        base = 8;
    } else if (spec->conv == 'x' || spec->conv == 'X' || spec->conv == 'p') {
        base = 16;
    }

    char digits[24]; /* 22 octal digits hold any 64-bit value */
    int ndigits = 0;
    for (; magnitude != 0; magnitude /= base) {
        digits[ndigits++] = digit_set[magnitude % base];
    }

    int min_digits = 1;
    if (spec->precision >= 0) {
        min_digits = spec->precision < KFORMAT_MAX_PAD ? spec->precision : KFORMAT_MAX_PAD;
    }
    if (spec->alt && spec->conv == 'o' && ndigits >= min_digits) {
        min_digits = ndigits + 1; /* the first digit must be a 0 */
    }
    int zeros = min_digits > ndigits ? min_digits - ndigits : 0;

    int prefix_len = 0;
    while (prefix[prefix_len] != '\0') {
        prefix_len++;
    }
    int body = prefix_len + zeros + ndigits;
    int pad = spec->width > body ? spec->width - body : 0;
    if (!spec->left && spec->zero && spec->precision < 0) {
        zeros += pad;
        pad = 0;
    }

    if (!spec->left) {
        kformat_repeat(out, ' ', pad);
    }
    kformat_span(out, prefix, (size_t)prefix_len);
    kformat_repeat(out, '0', zeros);
    while (ndigits > 0) {
        kformat_putc(out, digits[--ndigits]);
    }
    if (spec->left) {
        kformat_repeat(out, ' ', pad);
    }
}

static void kformat_signed(KFormatOut *out, const KFormatSpec *spec, int64_t value)
{
    /* Negate in unsigned arithmetic so that INT64_MIN has a magnitude. */
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    const char *prefix = "";
    if (value < 0) {
        prefix = "-";
    } else if (spec->plus) {
        prefix = "+";
    } else if (spec->space) {
        prefix = " ";
    }
    kformat_integer(out, spec, magnitude, prefix);
}

static void kformat_unsigned(KFormatOut *out, const KFormatSpec *spec, uint64_t value)
{
    const char *prefix = "";
    if (spec->alt && value != 0 && spec->conv == 'x') {
        prefix = "0x";
    } else if (spec->alt && value != 0 && spec->conv == 'X') {
        prefix = "0X";
    }
    kformat_integer(out, spec, value, prefix);
}

/* %p: width and '-' apply; other flags and any precision are ignored. */
static void kformat_pointer(KFormatOut *out, const KFormatSpec *spec, const void *ptr)
{
    KFormatSpec p = {.left = spec->left, .width = spec->width, .precision = 16, .conv = 'p'};
    kformat_integer(out, &p, (uint64_t)(uintptr_t)ptr, "0x");
}

/* Writes n bytes of s padded with spaces to the width. */
static void kformat_padded(KFormatOut *out, const KFormatSpec *spec, const char *s, size_t n)
{
    int pad = (size_t)spec->width > n ? spec->width - (int)n : 0;
    if (!spec->left) {
        kformat_repeat(out, ' ', pad);
    }
    kformat_span(out, s, n);
    if (spec->left) {
        kformat_repeat(out, ' ', pad);
    }
}

static void kformat_string(KFormatOut *out, const KFormatSpec *spec, const char *s)
{
    if (s == NULL) {
        s = "(null)";
    }
    /* With a precision, never read past it: the array need not be terminated. */
    size_t n = 0;
    size_t max = spec->precision >= 0 ? (size_t)spec->precision : SIZE_MAX;
    while (n < max && s[n] != '\0') {
        n++;
    }
    kformat_padded(out, spec, s, n);
}

/* Performs one conversion; returns false for a letter it does not know. */
static bool kformat_convert(KFormatOut *out, const KFormatSpec *spec, va_list *args)
{
    switch (spec->conv) {
    case 'd':
    case 'i': kformat_signed(out, spec, kformat_arg_signed(args, spec->length)); return true;
    case 'u':
    case 'x':
    case 'X':
    case 'o': kformat_unsigned(out, spec, kformat_arg_unsigned(args, spec->length)); return true;
    case 'p': kformat_pointer(out, spec, va_arg(*args, const void *)); return true;
    case 's': kformat_string(out, spec, va_arg(*args, const char *)); return true;
    case 'c': {
        char c = (char)va_arg(*args, int);
        kformat_padded(out, spec, &c, 1);
        return true;
    }
    case '%': kformat_putc(out, '%'); return true;
    default: return false;
    }
}

int kvformat(KFormatEmit emit, void *ctx, const char *fmt, va_list ap)
{
    KFormatOut out = {.emit = emit, .ctx = ctx, .count = 0};
    va_list args;
    va_copy(args, ap);

    const char *p = fmt;
    while (*p != '\0') {
        if (*p != '%') {
            kformat_putc(&out, *p++);
            continue;
        }
        const char *start = p;
        KFormatSpec spec;
        p = kformat_parse(p + 1, &spec, &args);
        if (*p == '\0') {
            kformat_span(&out, start, (size_t)(p - start)); /* unfinished at the end */
            break;
        }
        p++;
        if (!kformat_convert(&out, &spec, &args)) {
            kformat_span(&out, start, (size_t)(p - start));
        }
    }
    va_end(args);
    return out.count > KFORMAT_INT_MAX ? KFORMAT_INT_MAX : (int)out.count;
}

/* ---- Into a buffer ---- */

typedef struct KBufferSink {
    char *buf;
    size_t cap; /* bytes in buf, including room for the NUL */
    size_t len; /* characters produced so far, stored or not */
} KBufferSink;

static void kbuffer_emit(char c, void *ctx)
{
    KBufferSink *sink = ctx;
    if (sink->len + 1 < sink->cap) {
        sink->buf[sink->len] = c;
    }
    sink->len++;
}

int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    KBufferSink sink = {.buf = buf, .cap = n, .len = 0};
    int result = kvformat(kbuffer_emit, &sink, fmt, ap);
    if (n > 0) {
        buf[sink.len < n ? sink.len : n - 1] = '\0';
    }
    return result;
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int result = kvsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return result;
}

/* ---- To the console ---- */

/* Batches characters so the console sees a few writes per call, not one per byte. */
typedef struct KConsoleSink {
    char buf[128];
    size_t len;
} KConsoleSink;

static void kconsole_flush(KConsoleSink *sink)
{
    console_write_locked(sink->buf, sink->len);
    sink->len = 0;
}

static void kconsole_emit(char c, void *ctx)
{
    KConsoleSink *sink = ctx;
    sink->buf[sink->len++] = c;
    if (sink->len == sizeof(sink->buf)) {
        kconsole_flush(sink);
    }
}

static void kconsole_puts(KConsoleSink *sink, const char *s)
{
    while (*s != '\0') {
        kconsole_emit(*s++, sink);
    }
}

int kvprintf(const char *fmt, va_list ap)
{
    KConsoleSink sink = {.len = 0};
    console_lock();
    int result = kvformat(kconsole_emit, &sink, fmt, ap);
    kconsole_flush(&sink);
    console_unlock();
    return result;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int result = kvprintf(fmt, ap);
    va_end(ap);
    return result;
}

void klog_write(int level, const char *subsys, const char *fmt, ...)
{
    KConsoleSink sink = {.len = 0};
    va_list ap;
    va_start(ap, fmt);
    console_lock();
    kconsole_emit('[', &sink);
    kconsole_puts(&sink, subsys != NULL ? subsys : "?");
    kconsole_puts(&sink, "] ");
    if (level >= KLOG_ERROR) {
        kconsole_puts(&sink, "ERROR: ");
    } else if (level == KLOG_WARN) {
        kconsole_puts(&sink, "WARN: ");
    }
    kvformat(kconsole_emit, &sink, fmt, ap);
    kconsole_emit('\n', &sink);
    kconsole_flush(&sink);
    console_unlock();
    va_end(ap);
}
