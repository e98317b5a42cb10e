// Host tests of kvformat/ksnprintf (against glibc's snprintf), kprintf, LOG and the log ring.
// TEST_SOURCES: kernel/lib/kprintf.c kernel/lib/console.c
// TEST_CFLAGS: -Itests/host/fake -Ikernel/arch/x86_64/include
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <console.h>
#include <klog.h>
#include <kprintf.h>

/* The fake interrupt flag (tests/host/fake/arch/cpu.h). */
bool fake_irq_enabled;

/* ---- Fake console device: records what reached the "UART". ---- */

static char device_out[1 << 17];
static size_t device_len;

void arch_console_putc(char c)
{
    if (device_len < sizeof(device_out) - 1) {
        device_out[device_len++] = c;
    }
    device_out[device_len] = '\0';
}

static void device_reset(void)
{
    device_len = 0;
    device_out[0] = '\0';
}

/* ---- Comparison with glibc ---- */

static int compared;

/* Formats with both implementations into large buffers and compares text and result. */
static void check_same(const char *where, const char *fmt, ...)
{
    char want[512];
    char got[512];
    va_list ap;
    va_list ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int want_n = vsnprintf(want, sizeof(want), fmt, ap);
    int got_n = kvsnprintf(got, sizeof(got), fmt, ap2);
    va_end(ap2);
    va_end(ap);
    if (want_n != got_n || strcmp(want, got) != 0) {
        fail_msg("%s: format \"%s\": glibc \"%s\" (%d), ours \"%s\" (%d)", where, fmt, want, want_n,
                 got, got_n);
    }
    compared++;
}

#define CHECK(...) check_same(#__VA_ARGS__, __VA_ARGS__)

static void test_literal_table(void **state)
{
    CHECK("plain text");
    CHECK("");
    CHECK("%%");
    CHECK("100%% sure %d", 1);
    CHECK("%d", 0);
    CHECK("%d", 42);
    CHECK("%d", -42);
    CHECK("%i", 2147483647);
    CHECK("%d", (int)-2147483647 - 1);
    CHECK("%u", 4294967295u);
    CHECK("%x", 0xdeadbeefu);
    CHECK("%X", 0xdeadbeefu);
    CHECK("%o", 8u);
    CHECK("%o", 0u);
    CHECK("%#o", 0u);
    CHECK("%#o", 8u);
    CHECK("%#.5o", 8u);
    CHECK("%#x", 0u);
    CHECK("%#x", 255u);
    CHECK("%#X", 255u);
    CHECK("%#10x", 255u);
    CHECK("%#010x", 255u);
    CHECK("%#-10x|", 255u);
    CHECK("%5d|%-5d|%05d", 42, 42, 42);
    CHECK("%+d %+d % d % d", 5, -5, 5, -5);
    CHECK("%+ d", 5);
    CHECK("%-+8d|", 5);
    CHECK("%08.3d", -5);
    CHECK("%.0d", 0);
    CHECK("%5.0d|", 0);
    CHECK("%+.0d|", 0);
    CHECK("%.3d", 7);
    CHECK("%.3d", -7);
    CHECK("%010d", -123);
    CHECK("%-010d|", -123);
    CHECK("%ld", 9223372036854775807L);
    CHECK("%ld", (long)INT64_MIN);
    CHECK("%lld", (long long)INT64_MIN);
    CHECK("%llu", 18446744073709551615ull);
    CHECK("%llx", 18446744073709551615ull);
    CHECK("%llo", 18446744073709551615ull);
    CHECK("%#llo", 18446744073709551615ull);
    CHECK("%lx", 0x123456789abcdefUL);
    CHECK("%zu", (size_t)123456789012ull);
    CHECK("%zd", (ptrdiff_t)-5);
    CHECK("%zx", SIZE_MAX);
    CHECK("%td", (ptrdiff_t)-123456789012ll);
    CHECK("%tu", (ptrdiff_t)77);
    CHECK("%jd", (intmax_t)INT64_MIN);
    CHECK("%ju", (uintmax_t)UINT64_MAX);
    CHECK("%hd", 40000);
    CHECK("%hu", 70000);
    CHECK("%hhd", 200);
    CHECK("%hhu", 300);
    CHECK("%hhx", -1);
    CHECK("%hx", -1);
    CHECK("%s", "hello");
    CHECK("%10s|", "hi");
    CHECK("%-10s|", "hi");
    CHECK("%.3s", "abcdef");
    CHECK("%10.3s|", "abcdef");
    CHECK("%.0s|", "abc");
    CHECK("%s", "");
    CHECK("%s", (char *)NULL);
    CHECK("%c%c%c", 'a', 'b', 'c');
    CHECK("%5c|%-5c|", 'x', 'y');
    CHECK("%c", 0x141);
    CHECK("%*d|", 6, 42);
    CHECK("%-*d|", 6, 42);
    CHECK("%*d|", -6, 42);
    CHECK("%.*d", 4, 42);
    CHECK("%.*d", -4, 42);
    CHECK("%0*.*d|", 8, 3, 42);
    CHECK("%*.*s|", 7, 2, "abcdef");
    CHECK("%.*s|", -1, "abcdef");
    CHECK("mixed %s=%d (0x%x) %c%%", "answer", 42, 42, '!');
    CHECK("%d %s %lu %c %llx %hd", -1, "two", 3UL, '4', 0x5ull, (short)6);
}

/* Calls both formatters with the one argument of the given length modifier. */
static void check_with_value(const char *fmt, const char *length, uint64_t v)
{
    if (strcmp(length, "hh") == 0 || strcmp(length, "h") == 0 || length[0] == '\0') {
        check_same("generated", fmt, (int)v);
    } else if (strcmp(length, "l") == 0) {
        check_same("generated", fmt, (long)v);
    } else if (strcmp(length, "ll") == 0) {
        check_same("generated", fmt, (long long)v);
    } else if (strcmp(length, "z") == 0) {
        check_same("generated", fmt, (size_t)v);
    } else if (strcmp(length, "t") == 0) {
        check_same("generated", fmt, (ptrdiff_t)v);
    } else {
        check_same("generated", fmt, (intmax_t)v);
    }
}

/* Every combination of flags, width, precision, length, conversion and some edge values. */
static void test_generated_integers(void **state)
{
    static const char *flag_chars = "-0+ #";
    static const char *widths[] = {"", "1", "6", "25"};
    static const char *precisions[] = {"", ".", ".0", ".1", ".4", ".23"};
    static const char *lengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};
    static const char convs[] = "diuxXo";
    static const uint64_t values[] = {
        0,
        1,
        7,
        8,
        9,
        10,
        15,
        16,
        127,
        128,
        255,
        256,
        32767,
        32768,
        65535,
        2147483647ull,
        2147483648ull,
        4294967295ull,
        4294967296ull,
        0x7fffffffffffffffull,
        0x8000000000000000ull,
        0xffffffffffffffffull,
        (uint64_t)-1234567,
        0x0123456789abcdefull,
    };
    int before = compared;

    for (unsigned flags = 0; flags < 32; flags++) {
        char flag_str[8];
        size_t nf = 0;
        for (unsigned b = 0; b < 5; b++) {
            if (flags & (1u << b)) {
                flag_str[nf++] = flag_chars[b];
            }
        }
        flag_str[nf] = '\0';
        for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
            for (size_t p = 0; p < sizeof(precisions) / sizeof(precisions[0]); p++) {
                for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
                    for (const char *c = convs; *c != '\0'; c++) {
                        char fmt[32];
                        snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flag_str, widths[w],
                                 precisions[p], lengths[l], *c);
                        for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
                            check_with_value(fmt, lengths[l], values[v]);
                        }
                    }
                }
            }
        }
    }
    assert_true(compared - before > 100000);
}

static void test_generated_strings_and_chars(void **state)
{
    static const char *specs[] = {"",   "-",  "3",   "-3",  "12",   "-12",
                                  ".0", ".2", ".20", "8.2", "-8.2", "1.1"};
    static const char *strings[] = {"", "a", "hello", "a longer string of text"};
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        char fmt[32];
        snprintf(fmt, sizeof(fmt), "<%%%ss>", specs[i]);
        for (size_t s = 0; s < sizeof(strings) / sizeof(strings[0]); s++) {
            check_same("generated", fmt, strings[s]);
        }
        if (strchr(specs[i], '.') == NULL) {
            snprintf(fmt, sizeof(fmt), "<%%%sc>", specs[i]);
            check_same("generated", fmt, 'Q');
        }
    }
}

/*
 * ksnprintf without the format attribute, for deliberately odd formats (which
 * are undefined in C or differ from glibc) that the compiler would reject.
 */
static int raw_format(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int result = kvsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return result;
}

static void test_pointer_is_16_hex_digits(void **state)
{
    char buf[64];
    assert_int_equal(ksnprintf(buf, sizeof(buf), "%p", (void *)0x1234), 18);
    assert_string_equal(buf, "0x0000000000001234");
    ksnprintf(buf, sizeof(buf), "%p", (void *)NULL);
    assert_string_equal(buf, "0x0000000000000000");
    ksnprintf(buf, sizeof(buf), "%p", (void *)UINTPTR_MAX);
    assert_string_equal(buf, "0xffffffffffffffff");
    ksnprintf(buf, sizeof(buf), "[%20p]", (void *)0xabc);
    assert_string_equal(buf, "[  0x0000000000000abc]");
    ksnprintf(buf, sizeof(buf), "[%-20p]", (void *)0xabc);
    assert_string_equal(buf, "[0x0000000000000abc  ]");
    /* Flags other than '-' and any precision do not change %p. */
    raw_format(buf, sizeof(buf), "[%+#020.3p]", (void *)0xabc);
    assert_string_equal(buf, "[  0x0000000000000abc]");
}

static void test_unknown_and_unfinished_conversions(void **state)
{
    char buf[64];
    assert_int_equal(raw_format(buf, sizeof(buf), "a%qb"), 4);
    assert_string_equal(buf, "a%qb");
    raw_format(buf, sizeof(buf), "[%-08.3y]%d", 5);
    assert_string_equal(buf, "[%-08.3y]5");
    raw_format(buf, sizeof(buf), "%lly");
    assert_string_equal(buf, "%lly");
    assert_int_equal(raw_format(buf, sizeof(buf), "end%"), 4);
    assert_string_equal(buf, "end%");
    raw_format(buf, sizeof(buf), "end%-5.2l");
    assert_string_equal(buf, "end%-5.2l");
    /* A '*' before an unknown letter still consumes its int. */
    raw_format(buf, sizeof(buf), "%*w %d", 3, 9);
    assert_string_equal(buf, "%*w 9");
    raw_format(buf, sizeof(buf), "%hhhd", 5);
    assert_string_equal(buf, "%hhhd");
}

static void test_null_string_with_precision(void **state)
{
    char buf[32];
    raw_format(buf, sizeof(buf), "[%.3s]", (char *)NULL);
    assert_string_equal(buf, "[(nu]");
    raw_format(buf, sizeof(buf), "[%8s]", (char *)NULL);
    assert_string_equal(buf, "[  (null)]");
}

static void test_precision_bounds_unterminated_array(void **state)
{
    /* ASan catches a read past the 3 bytes if the precision is not honoured. */
    char *raw = malloc(3);
    assert_non_null(raw);
    memcpy(raw, "xyz", 3);
    char buf[16];
    assert_int_equal(ksnprintf(buf, sizeof(buf), "%.3s", raw), 3);
    assert_string_equal(buf, "xyz");
    free(raw);
}

static void test_huge_width_is_capped(void **state)
{
    char buf[8];
    /* Widths and integer precisions above 4096 count as 4096, even when they overflow an int. */
    assert_int_equal(raw_format(buf, sizeof(buf), "%99999999999999999999d", 1), 4096);
    assert_string_equal(buf, "       ");
    assert_int_equal(raw_format(buf, sizeof(buf), "%*d", INT32_MIN, 1), 4096);
    assert_string_equal(buf, "1      ");
    assert_int_equal(raw_format(buf, sizeof(buf), "%.5000d", 1), 4096);
    assert_string_equal(buf, "0000000");
    assert_int_equal(raw_format(buf, sizeof(buf), "%-4097s|", "ab"), 4097);
    assert_string_equal(buf, "ab     ");
    assert_int_equal(raw_format(buf, sizeof(buf), "%4096d", 1), 4096);
}

static void test_truncation_and_return_value(void **state)
{
    const char *volatile fmt = "value=%d text=%s";
    char want[64];
    char got[64];
    for (size_t n = 0; n < 24; n++) {
        memset(want, 'W', sizeof(want));
        memset(got, 'W', sizeof(got));
        int want_n = snprintf(want, n, fmt, 12345, "abc");
        int got_n = ksnprintf(got, n, fmt, 12345, "abc");
        assert_int_equal(got_n, want_n);
        assert_memory_equal(got, want, sizeof(want));
    }
    /* n == 0: nothing written, buf may be NULL. */
    assert_int_equal(ksnprintf(NULL, 0, "%d", 123456), 6);
}

/* ---- kvformat with a caller's emitter ---- */

static void count_emit(char c, void *ctx)
{
    size_t *count = ctx;
    (*count)++;
}

static int format_with(KFormatEmit emit, void *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvformat(emit, ctx, fmt, ap);
    va_end(ap);
    return n;
}

static void test_kvformat_emitter(void **state)
{
    size_t count = 0;
    assert_int_equal(format_with(count_emit, &count, "%s-%d", "abc", -10), 7);
    assert_int_equal(count, 7);
}

/* ---- Console, kprintf, LOG and the ring ---- */

static void read_new(uint64_t *pos, char *buf, size_t n)
{
    uint64_t lost = 99;
    size_t got = klog_ring_read(pos, buf, n - 1, &lost);
    buf[got] = '\0';
    assert_int_equal(lost, 0);
}

static void test_kprintf_reaches_device_and_ring(void **state)
{
    char buf[512];
    uint64_t pos = klog_ring_head();
    device_reset();
    assert_int_equal(kprintf("hello %d\n", 42), 9);
    assert_string_equal(device_out, "hello 42\n");
    read_new(&pos, buf, sizeof(buf));
    assert_string_equal(buf, "hello 42\n");

    /* Longer than the batching buffer: must arrive complete and in order. */
    char line[301];
    memset(line, 'L', 300);
    line[300] = '\0';
    device_reset();
    assert_int_equal(kprintf("<%s>", line), 302);
    assert_int_equal(device_len, 302);
    assert_int_equal(device_out[0], '<');
    assert_int_equal(device_out[301], '>');
    read_new(&pos, buf, sizeof(buf));
    assert_int_equal(strlen(buf), 302);

    device_reset();
    console_putc('x');
    console_write("yz", 2);
    assert_string_equal(device_out, "xyz");
    read_new(&pos, buf, sizeof(buf));
    assert_string_equal(buf, "xyz");
}

static void test_log_levels_and_prefix(void **state)
{
    device_reset();
    LOG(KLOG_INFO, "pmm", "%d pages free", 100);
    LOG(KLOG_DEBUG, "pmm", "dropped below the minimum level %d", 1);
    LOG(KLOG_WARN, "vmm", "odd");
    LOG(KLOG_ERROR, "sched", "bad %s", "thing");
    klog_write(KLOG_INFO, NULL, "no subsystem");
    assert_string_equal(device_out, "[pmm] 100 pages free\n"
                                    "[vmm] WARN: odd\n"
                                    "[sched] ERROR: bad thing\n"
                                    "[?] no subsystem\n");
}

static void test_ring_reader_learns_lost_bytes(void **state)
{
    uint64_t pos = klog_ring_head();
    uint64_t start = pos;
    char chunk[1000];
    memset(chunk, 'a', sizeof(chunk));
    /* Write 70,000 bytes, more than the ring holds, numbering each 1000-byte chunk. */
    for (int i = 0; i < 70; i++) {
        chunk[0] = (char)('0' + i % 10);
        console_write(chunk, sizeof(chunk));
    }
    uint64_t head = klog_ring_head();
    assert_int_equal(head - start, 70000);

    char buf[4096];
    uint64_t lost = 0;
    size_t got = klog_ring_read(&pos, buf, sizeof(buf), &lost);
    assert_int_equal(got, sizeof(buf));
    /* Only the newest KLOG_RING_SIZE bytes survive. */
    assert_int_equal(lost, 70000 - KLOG_RING_SIZE);
    assert_int_equal(pos, head - KLOG_RING_SIZE + sizeof(buf));

    /* Drain the rest; the last chunk starts with '9' 1000 bytes before the end. */
    size_t total = got;
    while ((got = klog_ring_read(&pos, buf, sizeof(buf), &lost)) > 0) {
        assert_int_equal(lost, 0);
        total += got;
    }
    assert_int_equal(total, KLOG_RING_SIZE);
    assert_int_equal(pos, head);

    /* Byte head-1000 is the first byte of the last chunk ('0' + 69 % 10). */
    pos = head - 1000;
    assert_int_equal(klog_ring_read(&pos, buf, 1, NULL), 1);
    assert_int_equal(buf[0], '9');

    /* A fresh reader at 0 gets the oldest byte still held and learns what was lost. */
    pos = 0;
    got = klog_ring_read(&pos, buf, 10, &lost);
    assert_int_equal(got, 10);
    assert_int_equal(lost, head - KLOG_RING_SIZE);

    /* A position from the future is treated as the head. */
    pos = head + 12345;
    assert_int_equal(klog_ring_read(&pos, buf, sizeof(buf), &lost), 0);
    assert_int_equal(pos, head);
    assert_int_equal(lost, 0);
}

/* The console lock keeps interrupts off while held and restores the
 * caller's state, enabled or not. */
static void test_console_lock_interrupt_state(void **state)
{
    fake_irq_enabled = true;
    console_lock();
    assert_false(fake_irq_enabled);
    console_unlock();
    assert_true(fake_irq_enabled);
    fake_irq_enabled = false;
    console_lock();
    console_unlock();
    assert_false(fake_irq_enabled);
    fake_irq_enabled = true;
    kprintf("x");
    assert_true(fake_irq_enabled);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_table),
        cmocka_unit_test(test_generated_integers),
        cmocka_unit_test(test_generated_strings_and_chars),
        cmocka_unit_test(test_pointer_is_16_hex_digits),
        cmocka_unit_test(test_unknown_and_unfinished_conversions),
        cmocka_unit_test(test_null_string_with_precision),
        cmocka_unit_test(test_precision_bounds_unterminated_array),
        cmocka_unit_test(test_huge_width_is_capped),
        cmocka_unit_test(test_truncation_and_return_value),
        cmocka_unit_test(test_kvformat_emitter),
        cmocka_unit_test(test_kprintf_reaches_device_and_ring),
        cmocka_unit_test(test_log_levels_and_prefix),
        cmocka_unit_test(test_ring_reader_learns_lost_bytes),
        cmocka_unit_test(test_console_lock_interrupt_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
