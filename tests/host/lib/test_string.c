// Host tests of the kernel's mem*/str* functions, renamed kstring_* so glibc keeps its own.
// TEST_SOURCES: kernel/lib/string.c
// TEST_CFLAGS: -DKSTRING_RENAME -fno-builtin -fno-tree-loop-distribute-patterns
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* glibc's versions, taken before kstring.h renames the standard names. */
static void *(*const libc_memset)(void *, int, size_t) = memset;
static void *(*const libc_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*const libc_memmove)(void *, const void *, size_t) = memmove;
static int (*const libc_memcmp)(const void *, const void *, size_t) = memcmp;

#include <kstring.h>

#define AREA 96

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (unsigned char)(seed + i * 7u);
    }
}

/* Every destination alignment and length: exact bytes set, neighbours untouched. */
static void test_memset(void **state)
{
    for (size_t off = 0; off < 16; off++) {
        for (size_t n = 0; n < 64; n++) {
            unsigned char got[AREA];
            unsigned char want[AREA];
            fill_pattern(got, AREA, 1);
            fill_pattern(want, AREA, 1);
            assert_ptr_equal(memset(got + off, 0x1a5, n), got + off);
            libc_memset(want + off, 0x1a5, n);
            assert_memory_equal(got, want, AREA);
        }
    }
}

/* Every source and destination alignment and length; ASan checks no byte outside is read. */
static void test_memcpy(void **state)
{
    for (size_t soff = 0; soff < 16; soff++) {
        for (size_t doff = 0; doff < 16; doff++) {
            for (size_t n = 0; n < 64; n++) {
                unsigned char *src = malloc(soff + n + 1);
                assert_non_null(src);
                fill_pattern(src, soff + n + 1, 3);
                unsigned char got[AREA];
                unsigned char want[AREA];
                fill_pattern(got, AREA, 9);
                fill_pattern(want, AREA, 9);
                assert_ptr_equal(memcpy(got + doff, src + soff, n), got + doff);
                libc_memcpy(want + doff, src + soff, n);
                assert_memory_equal(got, want, AREA);
                free(src);
            }
        }
    }
}

/* Overlaps in both directions, disjoint copies and the degenerate dst == src. */
static void test_memmove(void **state)
{
    for (size_t soff = 0; soff < 40; soff++) {
        for (size_t doff = 0; doff < 40; doff++) {
            for (size_t n = 0; n <= 40; n++) {
                unsigned char got[AREA];
                unsigned char want[AREA];
                fill_pattern(got, AREA, 5);
                fill_pattern(want, AREA, 5);
                assert_ptr_equal(memmove(got + doff, got + soff, n), got + doff);
                libc_memmove(want + doff, want + soff, n);
                assert_memory_equal(got, want, AREA);
            }
        }
    }
}

static void test_memcmp(void **state)
{
    unsigned char a[32];
    unsigned char b[32];
    fill_pattern(a, sizeof(a), 0);
    fill_pattern(b, sizeof(b), 0);
    assert_int_equal(memcmp(a, b, sizeof(a)), 0);
    assert_int_equal(memcmp(a, b, 0), 0);
    for (size_t i = 0; i < sizeof(a); i++) {
        b[i] = (unsigned char)(a[i] + 1);
        assert_int_equal(memcmp(a, b, sizeof(a)), sign(libc_memcmp(a, b, sizeof(a))));
        assert_true(memcmp(a, b, sizeof(a)) < 0);
        assert_true(memcmp(b, a, sizeof(a)) > 0);
        /* Bytes compare as unsigned char: 0x80 is above 0x7f. */
        a[i] = 0x80;
        b[i] = 0x7f;
        assert_true(memcmp(a, b, sizeof(a)) > 0);
        assert_int_equal(memcmp(a, b, i), 0);
        b[i] = a[i];
    }
}

static void test_strlen_strnlen(void **state)
{
    assert_int_equal(strlen(""), 0);
    assert_int_equal(strlen("abc"), 3);
    assert_int_equal(strnlen("abc", 10), 3);
    assert_int_equal(strnlen("abc", 2), 2);
    assert_int_equal(strnlen("abc", 0), 0);
    /* strnlen must not read past max: a 4-byte array with no NUL. */
    char *raw = malloc(4);
    assert_non_null(raw);
    libc_memcpy(raw, "wxyz", 4);
    assert_int_equal(strnlen(raw, 4), 4);
    free(raw);
}

static void test_strcmp_strncmp(void **state)
{
    assert_int_equal(strcmp("", ""), 0);
    assert_int_equal(strcmp("abc", "abc"), 0);
    assert_true(strcmp("abc", "abd") < 0);
    assert_true(strcmp("abd", "abc") > 0);
    assert_true(strcmp("ab", "abc") < 0);
    assert_true(strcmp("abc", "ab") > 0);
    assert_true(strcmp("\x80", "\x7f") > 0);

    assert_int_equal(strncmp("abcdef", "abcxyz", 3), 0);
    assert_true(strncmp("abcdef", "abcxyz", 4) < 0);
    assert_true(strncmp("abcxyz", "abcdef", 4) > 0);
    assert_int_equal(strncmp("abc", "abd", 0), 0);
    assert_int_equal(strncmp("abc", "abc", 100), 0); /* stops at the NUL */
    assert_true(strncmp("ab", "abc", 100) < 0);
    assert_true(strncmp("\x80", "\x7f", 1) > 0);
}

static void test_strchr(void **state)
{
    const char *s = "hello/world";
    assert_ptr_equal(strchr(s, 'h'), s);
    assert_ptr_equal(strchr(s, '/'), s + 5);
    assert_ptr_equal(strchr(s, 'o'), s + 4);
    assert_ptr_equal(strchr(s, '\0'), s + 11);
    assert_null(strchr(s, 'z'));
    /* c is converted to char: 0x100 + 'w' finds 'w'. */
    assert_ptr_equal(strchr(s, 0x100 + 'w'), s + 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memset),         cmocka_unit_test(test_memcpy),
        cmocka_unit_test(test_memmove),        cmocka_unit_test(test_memcmp),
        cmocka_unit_test(test_strlen_strnlen), cmocka_unit_test(test_strcmp_strncmp),
        cmocka_unit_test(test_strchr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
