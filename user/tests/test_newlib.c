/*
 * test_newlib: the C library on Anos: formatted output (integers, long
 * long, floating point through the compiler builtins), the heap over sbrk
 * (small blocks, blocks above 1 MiB, realloc), strings, sorting, libm,
 * setjmp, and what crt0 and libgloss give a program.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define PROG "test_newlib"

extern char **environ;

static bool str_is(const char *got, const char *want, const char *name)
{
    return tap_check(strcmp(got, want) == 0, name, "got \"%s\", want \"%s\"", got, want);
}

static void test_printf(void)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%d|%5d|%-4d|%x|%X|%o|%u|%c|%s|%%", -42, 7, 3, 0xbeef, 0xbeef, 8,
             4000000000u, 'z', "str");
    str_is(buf, "-42|    7|3   |beef|BEEF|10|4000000000|z|str|%", "printf_int");

    snprintf(buf, sizeof(buf), "%lld %llu %llx %lld", (long long)INT64_MIN,
             (unsigned long long)UINT64_MAX, 0x123456789abcdefull, 1234567890123ll);
    str_is(buf, "-9223372036854775808 18446744073709551615 123456789abcdef 1234567890123",
           "printf_lld");

    snprintf(buf, sizeof(buf), "%f|%.2f|%e|%g|%.0f|%.3g|%8.3f", 1.5, 3.14159, 1e6, 0.0001, 2.75,
             1234.5, -2.5);
    str_is(buf, "1.500000|3.14|1.000000e+06|0.0001|3|1.23e+03|  -2.500", "printf_float");

    snprintf(buf, sizeof(buf), "%Lf|%.1Lf", (long double)1.5, (long double)-0.26);
    str_is(buf, "1.500000|-0.3", "printf_long_double");

    snprintf(buf, sizeof(buf), "%zu|%jd|%hhd|%a|%" PRIx64, (size_t)12, (intmax_t)-5,
             (signed char)-1, 1.0, UINT64_C(0xfeed));
    str_is(buf, "12|-5|-1|0x1p+0|feed", "printf_c99");

    volatile size_t small = 5; /* not a constant: clang would refuse the call */
    int n = snprintf(buf, small, "abc%s", "defgh");
    tap_check(n == 8 && strcmp(buf, "abcd") == 0, "snprintf_truncates", "n %d buf \"%s\"", n, buf);

    char line[64];
    int want = snprintf(line, sizeof(line), "# %s: printf to stdout\n", PROG);
    tap_eq(printf("%s", line), want, "printf_returns_count");
    tap_check(fprintf(stderr, "# %s: fprintf to stderr\n", PROG) > 0, "fprintf_stderr", "failed");
}

static void test_strtox(void)
{
    char *end;
    long v = strtol("  -123abc", &end, 10);
    tap_check(v == -123 && strcmp(end, "abc") == 0, "strtol_base10", "v %ld end \"%s\"", v, end);
    tap_eq(strtol("0x7f", NULL, 0), 127, "strtol_base0_hex");
    tap_eq(strtol("777", NULL, 8), 511, "strtol_base8");
    errno = 0;
    v = strtol("99999999999999999999", NULL, 10);
    tap_check(v == INT64_MAX && errno == ERANGE, "strtol_overflow", "v %ld errno %d", v, errno);
    tap_check(strtoull("18446744073709551615", NULL, 10) == UINT64_MAX, "strtoull_max",
              "wrong value");
    double d = strtod("2.5e3", &end);
    tap_check(d == 2500.0 && *end == '\0', "strtod", "d %f", d);
}

/* A byte pattern that differs between blocks and positions. */
static unsigned char pattern(size_t block, size_t i)
{
    return (unsigned char)(block * 31 + i * 7 + 1);
}

static bool fill_check(unsigned char *p, size_t size, size_t block, bool fill)
{
    for (size_t i = 0; i < size; i++) {
        if (fill) {
            p[i] = pattern(block, i);
        } else if (p[i] != pattern(block, i)) {
            return false;
        }
    }
    return true;
}

static void test_malloc_small(void)
{
    enum { BLOCKS = 600 };
    static unsigned char *blocks[BLOCKS];
    bool ok = true;
    for (size_t b = 0; b < BLOCKS; b++) {
        size_t size = 1 + b * 7;
        blocks[b] = malloc(size);
        ok = ok && blocks[b] != NULL && ((uintptr_t)blocks[b] % 8) == 0;
        if (blocks[b] != NULL) {
            fill_check(blocks[b], size, b, true);
        }
    }
    for (size_t b = 0; ok && b < BLOCKS; b++) {
        ok = fill_check(blocks[b], 1 + b * 7, b, false);
    }
    for (size_t b = 0; b < BLOCKS; b += 2) {
        free(blocks[b]);
    }
    for (size_t b = 1; ok && b < BLOCKS; b += 2) {
        ok = fill_check(blocks[b], 1 + b * 7, b, false);
        free(blocks[b]);
    }
    TAP_OK(ok, "malloc_small_blocks");
}

static void test_malloc_large(void)
{
    static const size_t sizes[] = {(1u << 20) + 1, 2u << 20, 16u << 20};
    bool ok = true;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        size_t size = sizes[s];
        unsigned char *p = malloc(size);
        if (p == NULL) {
            ok = false;
            break;
        }
        /* Every page's first byte, then the last byte of the block (which
         * may itself start a page). */
        for (size_t i = 0; i < size - 1; i += 4096) {
            p[i] = pattern(s, i);
        }
        p[size - 1] = 0x5a;
        for (size_t i = 0; i < size - 1; i += 4096) {
            ok = ok && p[i] == pattern(s, i);
        }
        ok = ok && p[size - 1] == 0x5a;
        free(p);
    }
    TAP_OK(ok, "malloc_over_1mib");

    unsigned char *z = calloc(1, 3u << 20);
    bool zero = z != NULL;
    for (size_t i = 0; zero && i < (3u << 20); i += 512) {
        zero = z[i] == 0;
    }
    free(z);
    TAP_OK(zero, "calloc_zeroed");
}

static void test_realloc(void)
{
    size_t size = 16;
    unsigned char *p = malloc(size);
    bool ok = p != NULL;
    if (ok) {
        fill_check(p, size, 9, true);
    }
    while (ok && size < (3u << 20)) {
        size_t bigger = size * 2;
        unsigned char *q = realloc(p, bigger);
        if (q == NULL) {
            ok = false;
            break;
        }
        ok = fill_check(q, size, 9, false);
        fill_check(q, bigger, 9, true);
        p = q;
        size = bigger;
    }
    unsigned char *q = ok ? realloc(p, 100) : NULL;
    ok = ok && q != NULL && fill_check(q, 100, 9, false);
    free(q != NULL ? q : p);
    TAP_OK(ok, "realloc_grows_and_shrinks");
}

static void test_strings(void)
{
    char buf[64];
    const char *src = "0123456789abcdefghijklmnopqrstuvwxyz";
    memset(buf, 'x', sizeof(buf));
    memcpy(buf + 3, src + 1, 20);
    bool ok = memcmp(buf + 3, src + 1, 20) == 0 && buf[2] == 'x' && buf[23] == 'x';
    TAP_OK(ok, "memcpy_unaligned");

    strcpy(buf, src);
    memmove(buf + 4, buf, 10);
    ok = memcmp(buf, "01230123456789", 14) == 0;
    strcpy(buf, src);
    memmove(buf, buf + 4, 10);
    ok = ok && memcmp(buf, "456789abcd", 10) == 0;
    TAP_OK(ok, "memmove_overlap");

    ok = strcmp("abc", "abd") < 0 && strcmp("abd", "abc") > 0 && strcmp("abc", "abc") == 0 &&
         strncmp("abcx", "abcy", 3) == 0 && strlen(src) == 36 && strchr(src, 'k') == src + 20 &&
         strrchr("a/b/c", '/') != NULL && strstr(src, "xyz") == src + 33;
    TAP_OK(ok, "strcmp_family");
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_qsort(void)
{
    enum { N = 1000 };
    static int v[N];
    uint32_t seed = 12345;
    long long sum = 0;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        v[i] = (int)(seed >> 8) % 100000 - 50000;
        sum += v[i];
    }
    qsort(v, N, sizeof(v[0]), cmp_int);
    bool ok = true;
    for (int i = 0; i < N; i++) {
        ok = ok && (i == 0 || v[i - 1] <= v[i]);
        sum -= v[i];
    }
    TAP_OK(ok && sum == 0, "qsort_ints");

    const char *words[] = {"pear", "apple", "fig", "banana", "cherry"};
    qsort(words, 5, sizeof(words[0]), cmp_str);
    ok = strcmp(words[0], "apple") == 0 && strcmp(words[4], "pear") == 0;
    TAP_OK(ok, "qsort_strings");
}

static void test_libm(void)
{
    volatile double two = 2.0;
    bool ok = fabs(sqrt(two) * sqrt(two) - 2.0) < 1e-12 && pow(two, 10) == 1024.0 &&
              fabs(sin(0.0)) < 1e-15 && fabs(cos(M_PI) + 1.0) < 1e-12 && floor(-1.5) == -2.0 &&
              ceil(1.2) == 2.0 && fabs(log(exp(two)) - 2.0) < 1e-12;
    TAP_OK(ok, "libm");
}

static jmp_buf jump;

static void jump_back(volatile int *n)
{
    (*n)++;
    longjmp(jump, 7);
}

static void test_setjmp(void)
{
    volatile int n = 0;
    int r = setjmp(jump);
    if (r == 0) {
        jump_back(&n);
    }
    tap_check(r == 7 && n == 1, "setjmp_longjmp", "r %d n %d", r, (int)n);
}

static void test_runtime(int argc, char **argv)
{
    tap_check(argc >= 1 && strcmp(argv[0], "bin/" PROG) == 0 && argv[argc] == NULL, "argv",
              "argc %d argv[0] %s", argc, argc >= 1 ? argv[0] : "(none)");
    TAP_OK(environ != NULL, "environ");
    TAP_OK(isatty(1) == 1 && isatty(2) == 1, "isatty_console");

    errno = 0;
    FILE *f = fopen("no/such/file", "r");
    tap_check(f == NULL && errno == ENOENT, "fopen_enoent", "f %p errno %d", (void *)f, errno);

    struct timeval tv1, tv2;
    bool ok = gettimeofday(&tv1, NULL) == 0 && gettimeofday(&tv2, NULL) == 0 &&
              (tv2.tv_sec > tv1.tv_sec || (tv2.tv_sec == tv1.tv_sec && tv2.tv_usec >= tv1.tv_usec));
    TAP_OK(ok, "gettimeofday_monotonic");
    TAP_OK(clock() != (clock_t)-1 && time(NULL) != (time_t)-1, "clock_and_time");
}

int main(int argc, char **argv)
{
    tap_plan(PROG, 31);
    test_printf();
    test_strtox();
    test_malloc_small();
    test_malloc_large();
    test_realloc();
    test_strings();
    test_qsort();
    test_libm();
    test_setjmp();
    test_runtime(argc, argv);
    return tap_done();
}
