// Host tests of SYSTEM's service directory decisions (user/system/system_lookup.c) and of
// the protocol's name encoding and error tags (include/anos/directory.h).
// TEST_SOURCES: user/system/system_lookup.c user/system/system_config.c
// TEST_CFLAGS: -Iuser/system
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <anos/directory.h>
#include <anos/syscall.h>

#include "system_config.h"
#include "system_lookup.h"

static SystemConfig cfg;

/* Program 0 provides `echo`, 1 `secret`, 2 (a client) may look up `echo`
 * alone, 3 may look up nothing, 4 provides `self` and may use it. */
static const char setting[] = "bin/echo nop service=echo\n"
                              "bin/secret nop service=secret\n"
                              "bin/client nop allow=echo\n"
                              "bin/other nop\n"
                              "bin/self nop service=self allow=self,echo\n";

static int setup(void **state)
{
    return system_config_parse(&cfg, setting, strlen(setting)) == E_OK ? 0 : -1;
}

static AnosIpcMsg request(const char *name)
{
    AnosIpcMsg m = {.tag = ANOS_DIR_LOOKUP};
    assert_true(anos_dir_name_pack(name, strlen(name), m.words));
    return m;
}

static Error decide(uint32_t asker, const AnosIpcMsg *m, uint32_t *provider)
{
    return system_lookup_decide(&cfg, asker, m, provider);
}

static void test_allowed_lookups(void **state)
{
    AnosIpcMsg m = request("echo");
    uint32_t provider = 99;
    assert_int_equal(decide(2, &m, &provider), E_OK);
    assert_int_equal(provider, 0);
    provider = 99;
    assert_int_equal(decide(4, &m, &provider), E_OK);
    assert_int_equal(provider, 0);
    m = request("self");
    assert_int_equal(decide(4, &m, &provider), E_OK);
    assert_int_equal(provider, 4);
}

static void test_not_allowed_is_eperm(void **state)
{
    uint32_t provider = 99;
    AnosIpcMsg m = request("secret");
    assert_int_equal(decide(2, &m, &provider), E_PERM);
    assert_int_equal(decide(3, &m, &provider), E_PERM);
    /* Providing a service does not allow looking it up. */
    assert_int_equal(decide(1, &m, &provider), E_PERM);
    m = request("echo");
    assert_int_equal(decide(3, &m, &provider), E_PERM);
    assert_int_equal(decide(0, &m, &provider), E_PERM);
    assert_int_equal(provider, 99); /* untouched on failure */
}

static void test_unknown_is_enoent(void **state)
{
    uint32_t provider;
    static const char *const unknown[] = {"nosuch", "ech", "echo0", "echo.", "a"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        AnosIpcMsg m = request(unknown[i]);
        assert_int_equal(decide(2, &m, &provider), E_NOENT);
        assert_int_equal(decide(3, &m, &provider), E_NOENT);
    }
}

static void test_malformed_is_einval(void **state)
{
    uint32_t provider;
    AnosIpcMsg good = request("echo");
    static const uint64_t tags[] = {
        0,
        ANOS_DIR_LOOKUP + 1,
        ANOS_DIR_LOOKUP | ANOS_IPC_TAG_HANDLES,
        ANOS_DIR_LOOKUP | ANOS_IPC_TAG_BUFFER,
        ANOS_DIR_LOOKUP | (1ull << 32),
    };
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        AnosIpcMsg m = good;
        m.tag = tags[i];
        assert_int_equal(decide(2, &m, &provider), E_INVAL);
    }
    /* Bad names, even where a valid prefix names a service. */
    AnosIpcMsg m = {.tag = ANOS_DIR_LOOKUP};
    assert_int_equal(decide(2, &m, &provider), E_INVAL); /* empty */
    m.words[0] = 0x4F484345;                             /* "ECHO" */
    assert_int_equal(decide(2, &m, &provider), E_INVAL);
    m.words[0] = 0x6F686365; /* "echo", then a byte after the NULs */
    m.words[3] = 1ull << 56;
    assert_int_equal(decide(2, &m, &provider), E_INVAL);
    memset(m.words, 'e', sizeof(m.words)); /* no NUL */
    assert_int_equal(decide(2, &m, &provider), E_INVAL);
    m = good;
    m.words[0] |= (uint64_t)'/' << 32; /* "echo/" */
    assert_int_equal(decide(2, &m, &provider), E_INVAL);

    /* A malformed request is E_INVAL even when the name is not allowed. */
    m = request("secret");
    m.tag = 7;
    assert_int_equal(decide(2, &m, &provider), E_INVAL);

    /* The caller's own mistakes. */
    assert_int_equal(decide(5, &good, &provider), E_INVAL);
    assert_int_equal(decide(UINT32_MAX, &good, &provider), E_INVAL);
    assert_int_equal(system_lookup_decide(NULL, 2, &good, &provider), E_INVAL);
    assert_int_equal(decide(2, NULL, &provider), E_INVAL);
    assert_int_equal(decide(2, &good, NULL), E_INVAL);
}

static void test_name_encoding(void **state)
{
    uint64_t w[4] = {1, 2, 3, 4};
    assert_true(anos_dir_name_pack("echo", 4, w));
    /* Memory order in little-endian words. */
    assert_int_equal(w[0], 0x6F686365);
    assert_int_equal(w[1], 0);
    assert_int_equal(w[2], 0);
    assert_int_equal(w[3], 0);
    char out[ANOS_SERVICE_NAME_BYTES];
    assert_int_equal(anos_dir_name_unpack(w, out), 4);
    assert_string_equal(out, "echo");

    /* The longest name and every allowed character round-trip. */
    const char *longest = "abcdefghijklmnopqrstuvwxyz_.-09";
    assert_int_equal(strlen(longest), ANOS_SERVICE_NAME_MAX);
    assert_true(anos_dir_name_pack(longest, strlen(longest), w));
    assert_int_equal(w[3] >> 56, 0);
    assert_int_equal(anos_dir_name_unpack(w, out), ANOS_SERVICE_NAME_MAX);
    assert_string_equal(out, longest);
    for (int c = 1; c < 256; c++) {
        char ch = (char)c;
        bool valid =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        assert_int_equal(anos_service_name_valid(&ch, 1), valid);
        uint64_t one[4] = {(uint64_t)c};
        assert_int_equal(anos_dir_name_unpack(one, out), valid ? 1 : -1);
    }

    /* Refusals leave the words alone. */
    uint64_t keep[4] = {5, 6, 7, 8};
    assert_false(anos_dir_name_pack("", 0, keep));
    assert_false(anos_dir_name_pack(NULL, 0, keep));
    assert_false(anos_dir_name_pack("abcdefghijklmnopqrstuvwxyz012345", 32, keep));
    assert_false(anos_dir_name_pack("a b", 3, keep));
    assert_int_equal(keep[0], 5);
    assert_int_equal(keep[3], 8);
    /* Only len bytes count. */
    assert_true(anos_dir_name_pack("echo!", 4, w));
    assert_int_equal(w[0], 0x6F686365);
}

static void test_error_tags(void **state)
{
    static const Error errors[] = {E_PERM, E_NOENT, E_INVAL, E_NOMEM, E_ALIGN};
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        uint64_t tag = ANOS_DIR_ERROR_TAG(errors[i]);
        /* Never a kernel bit: the reply must be a plain message. */
        assert_int_equal(tag & ANOS_IPC_TAG_KERNEL, 0);
        assert_true(tag != ANOS_DIR_OK);
        assert_int_equal(anos_dir_tag_error(tag), errors[i]);
    }
    assert_int_equal(anos_dir_tag_error(ANOS_DIR_OK), E_CORRUPT);
    assert_int_equal(anos_dir_tag_error(ANOS_DIR_ERROR_MAX), E_CORRUPT);
    assert_int_equal(anos_dir_tag_error(~0ull), E_CORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_allowed_lookups, setup),
        cmocka_unit_test_setup(test_not_allowed_is_eperm, setup),
        cmocka_unit_test_setup(test_unknown_is_enoent, setup),
        cmocka_unit_test_setup(test_malformed_is_einval, setup),
        cmocka_unit_test(test_name_encoding),
        cmocka_unit_test(test_error_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
