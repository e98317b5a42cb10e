// Host tests of SYSTEM's configuration parser: format, rights, options, services and allow
// lists, limits, errors, and the configuration files shipped in ramfs/.
// TEST_SOURCES: user/system/system_config.c
// TEST_CFLAGS: -Iuser/system
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <anos/syscall.h>

#include "system_config.h"

/* Large: one per test, zeroed by the parser. */
static SystemConfig cfg;

static Error parse(const char *text)
{
    return system_config_parse(&cfg, text, strlen(text));
}

static bool has_right(const SystemProgram *p, unsigned nr)
{
    return (p->rights[nr / 64] >> (nr % 64)) & 1;
}

static unsigned right_count(const SystemProgram *p)
{
    return (unsigned)(__builtin_popcountll(p->rights[0]) + __builtin_popcountll(p->rights[1]));
}

static void test_empty_and_comments(void **state)
{
    assert_int_equal(parse(""), E_OK);
    assert_int_equal(cfg.count, 0);
    assert_int_equal(parse("\n\n   \t\n# a comment\n   # indented comment\n"), E_OK);
    assert_int_equal(cfg.count, 0);
    assert_int_equal(system_config_parse(&cfg, NULL, 0), E_OK);
    assert_int_equal(cfg.count, 0);
}

static void test_one_program(void **state)
{
    assert_int_equal(parse("bin/hello debug_write,process_exit one two\n"), E_OK);
    assert_int_equal(cfg.count, 1);
    const SystemProgram *p = &cfg.programs[0];
    assert_string_equal(p->path, "bin/hello");
    assert_int_equal(p->argc, 3);
    assert_ptr_equal(p->argv[0], p->path);
    assert_string_equal(p->argv[1], "one");
    assert_string_equal(p->argv[2], "two");
    assert_null(p->argv[3]);
    assert_true(has_right(p, SYS_DEBUG_WRITE));
    assert_true(has_right(p, SYS_PROCESS_EXIT));
    assert_int_equal(right_count(p), 2);
    assert_true(p->cpu == ANOS_CPU_ANY);
    assert_false(p->give_ramfs);
    assert_int_equal(p->line, 1);
}

static void test_several_lines_and_line_numbers(void **state)
{
    const char *text = "# header\n"
                       "a nop\n"
                       "\n"
                       "b\tyield   x # trailing comment\n"
                       "c none";
    assert_int_equal(parse(text), E_OK);
    assert_int_equal(cfg.count, 3);
    assert_string_equal(cfg.programs[0].path, "a");
    assert_int_equal(cfg.programs[0].line, 2);
    assert_string_equal(cfg.programs[1].path, "b");
    assert_int_equal(cfg.programs[1].argc, 2);
    assert_string_equal(cfg.programs[1].argv[1], "x");
    assert_int_equal(cfg.programs[1].line, 4);
    assert_string_equal(cfg.programs[2].path, "c");
    assert_int_equal(right_count(&cfg.programs[2]), 0);
    assert_int_equal(cfg.programs[2].line, 5);
}

static void test_crlf_and_hash_inside_word(void **state)
{
    assert_int_equal(parse("bin/x nop a#b\r\nbin/y nop\r\n"), E_OK);
    assert_int_equal(cfg.count, 2);
    assert_string_equal(cfg.programs[0].argv[1], "a#b");
    assert_int_equal(cfg.programs[0].argc, 2);
    assert_string_equal(cfg.programs[1].path, "bin/y");
    assert_int_equal(cfg.programs[1].argc, 1);
}

static void test_all_and_none(void **state)
{
    assert_int_equal(parse("p all"), E_OK);
    const SystemProgram *p = &cfg.programs[0];
    for (unsigned nr = 0; nr < 128; nr++) {
        assert_int_equal(has_right(p, nr), nr < SYS_COUNT);
    }
    assert_int_equal(parse("p none,nop"), E_OK);
    assert_int_equal(right_count(&cfg.programs[0]), 1);
    assert_true(has_right(&cfg.programs[0], SYS_NOP));
}

static void test_every_name_round_trips(void **state)
{
    unsigned named = 0;
    for (unsigned nr = 0; nr < SYS_COUNT; nr++) {
        const char *name = system_rights_name(nr);
        if (name == NULL) {
            continue;
        }
        named++;
        assert_int_equal(system_rights_lookup(name, strlen(name)), (int)nr);
        uint64_t rights[2];
        assert_int_equal(system_rights_parse(name, strlen(name), rights), E_OK);
        assert_int_equal(rights[nr / 64], 1ull << (nr % 64));
        assert_int_equal(rights[1 - nr / 64], 0);
    }
    assert_int_equal(named, 30);
    assert_null(system_rights_name(SYS_COUNT));
    assert_null(system_rights_name(25));
    assert_int_equal(system_rights_lookup("nopx", 4), -1);
    assert_int_equal(system_rights_lookup("no", 2), -1);
    assert_int_equal(system_rights_lookup("nop", 3), SYS_NOP);
    assert_int_equal(system_rights_lookup("reply_recv", 10), SYS_REPLY_RECV);
}

static void test_rights_errors(void **state)
{
    uint64_t rights[2];
    assert_int_equal(system_rights_parse("nop,,yield", 10, rights), E_CORRUPT);
    assert_int_equal(system_rights_parse("nop,", 4, rights), E_CORRUPT);
    assert_int_equal(system_rights_parse(",nop", 4, rights), E_CORRUPT);
    assert_int_equal(system_rights_parse("", 0, rights), E_CORRUPT);
    assert_int_equal(system_rights_parse("NOP", 3, rights), E_CORRUPT);
    assert_int_equal(system_rights_parse(NULL, 0, rights), E_INVAL);
    assert_int_equal(system_rights_parse("nop", 3, NULL), E_INVAL);

    assert_int_equal(parse("a nop\nb nop,frobnicate\n"), E_CORRUPT);
    assert_int_equal(cfg.error_line, 2);
    assert_non_null(cfg.error);
    assert_int_equal(parse("just_a_path\n"), E_CORRUPT);
    assert_int_equal(cfg.error_line, 1);
    assert_int_equal(parse("p # rights commented out\n"), E_CORRUPT);
}

static void test_options(void **state)
{
    assert_int_equal(parse("p nop cpu=3 handle=ramfs arg"), E_OK);
    const SystemProgram *p = &cfg.programs[0];
    assert_int_equal(p->cpu, 3);
    assert_true(p->give_ramfs);
    assert_int_equal(p->argc, 2);
    assert_string_equal(p->argv[1], "arg");

    assert_int_equal(parse("p nop handle=ramfs cpu=0"), E_OK);
    assert_int_equal(cfg.programs[0].cpu, 0);
    assert_true(cfg.programs[0].give_ramfs);
    assert_int_equal(cfg.programs[0].argc, 1);

    assert_int_equal(parse("p nop cpu=1023"), E_OK);
    assert_int_equal(cfg.programs[0].cpu, 1023);
    assert_false(cfg.programs[0].alone);

    assert_int_equal(parse("p nop alone cpu=1 x\nq nop y"), E_OK);
    assert_true(cfg.programs[0].alone);
    assert_int_equal(cfg.programs[0].cpu, 1);
    assert_int_equal(cfg.programs[0].argc, 2);
    assert_false(cfg.programs[1].alone);
    assert_int_equal(parse("p nop -- alone"), E_OK); /* an argument after -- */
    assert_false(cfg.programs[0].alone);
    assert_string_equal(cfg.programs[0].argv[1], "alone");

    /* Options only come right after the rights. */
    assert_int_equal(parse("p nop arg cpu=2"), E_OK);
    assert_true(cfg.programs[0].cpu == ANOS_CPU_ANY);
    assert_int_equal(cfg.programs[0].argc, 3);
    assert_string_equal(cfg.programs[0].argv[2], "cpu=2");

    /* `--` ends the options and is not an argument. */
    assert_int_equal(parse("p nop cpu=1 -- cpu=2 --"), E_OK);
    assert_int_equal(cfg.programs[0].cpu, 1);
    assert_int_equal(cfg.programs[0].argc, 3);
    assert_string_equal(cfg.programs[0].argv[1], "cpu=2");
    assert_string_equal(cfg.programs[0].argv[2], "--");
}

static void test_option_errors(void **state)
{
    static const char *const bad[] = {
        "p nop cpu=",       "p nop cpu=x",
        "p nop cpu=-1",     "p nop cpu=1024",
        "p nop cpu=00001",  "p nop cpu=1 cpu=2",
        "p nop handle=foo", "p nop handle=ramfs handle=ramfs",
        "p nop handle=",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(parse(bad[i]), E_CORRUPT);
        assert_int_equal(cfg.error_line, 1);
        assert_non_null(cfg.error);
    }
}

static void test_services_and_allow(void **state)
{
    const char *text = "a nop allow=log,fs.root\n"
                       "b nop service=fs.root -- x\n"
                       "c nop service=log allow=log,fs.root,tty-0_\n"
                       "d nop service=tty-0_ cpu=1 y\n"
                       "e nop\n";
    assert_int_equal(parse(text), E_OK);
    assert_int_equal(cfg.count, 5);
    const SystemProgram *a = &cfg.programs[0];
    assert_null(a->service);
    assert_int_equal(a->allow_count, 2);
    assert_string_equal(a->allow[0], "log");
    assert_string_equal(a->allow[1], "fs.root");
    /* Resolved to the providers, even those on later lines. */
    assert_int_equal(a->allowed, (1u << 1) | (1u << 2));
    assert_string_equal(cfg.programs[1].service, "fs.root");
    assert_int_equal(cfg.programs[1].allowed, 0);
    assert_int_equal(cfg.programs[1].argc, 2);
    assert_string_equal(cfg.programs[1].argv[1], "x");
    assert_string_equal(cfg.programs[2].service, "log");
    assert_int_equal(cfg.programs[2].allowed, (1u << 1) | (1u << 2) | (1u << 3));
    assert_string_equal(cfg.programs[3].service, "tty-0_");
    assert_int_equal(cfg.programs[3].cpu, 1);
    assert_int_equal(cfg.programs[3].argc, 2);
    assert_null(cfg.programs[4].service);
    assert_int_equal(cfg.programs[4].allow_count, 0);

    assert_int_equal(system_config_provider(&cfg, "log", 3), 2);
    assert_int_equal(system_config_provider(&cfg, "fs.root", 7), 1);
    assert_int_equal(system_config_provider(&cfg, "fs.roo", 6), -1);
    assert_int_equal(system_config_provider(&cfg, "fs.rootx", 8), -1);
    assert_int_equal(system_config_provider(&cfg, "nope", 4), -1);

    /* The longest name, every allowed character, and a full allow list. */
    assert_int_equal(parse("p nop service=abcdefghijklmnopqrstuvwxyz_.-09\n"
                           "q nop allow=abcdefghijklmnopqrstuvwxyz_.-09\n"),
                     E_OK);
    assert_int_equal(cfg.programs[1].allowed, 1u);
    assert_int_equal(parse("s0 nop service=s0\ns1 nop service=s1\ns2 nop service=s2\n"
                           "s3 nop service=s3\ns4 nop service=s4\ns5 nop service=s5\n"
                           "s6 nop service=s6\ns7 nop service=s7\n"
                           "c nop allow=s0,s1,s2,s3,s4,s5,s6,s7\n"),
                     E_OK);
    assert_int_equal(cfg.programs[8].allow_count, SYSTEM_CONFIG_MAX_ALLOW);
    assert_int_equal(cfg.programs[8].allowed, 0xFFu);

    /* After `--` or an argument they are arguments, not options. */
    assert_int_equal(parse("p nop -- service=x allow=y"), E_OK);
    assert_null(cfg.programs[0].service);
    assert_int_equal(cfg.programs[0].allow_count, 0);
    assert_int_equal(cfg.programs[0].argc, 3);
}

/* Every way service= and allow= can be wrong, with the line it names. */
static void test_service_errors(void **state)
{
    static const struct {
        const char *text;
        Error err;
        uint32_t line;
    } bad[] = {
        {"p nop service=", E_CORRUPT, 1},
        {"p nop service=Echo", E_CORRUPT, 1},
        {"p nop service=ec/ho", E_CORRUPT, 1},
        {"p nop service=a,b", E_CORRUPT, 1},
        {"p nop service=abcdefghijklmnopqrstuvwxyz012345", E_CORRUPT, 1}, /* 32 bytes */
        {"p nop service=a service=b", E_CORRUPT, 1},
        {"p nop service=a service=a", E_CORRUPT, 1},
        {"p nop service=a\nq nop\nr nop service=a", E_CORRUPT, 3},
        {"p nop service=a alone", E_CORRUPT, 1},
        {"p nop alone service=a", E_CORRUPT, 1},
        {"p nop allow=", E_CORRUPT, 1},
        {"p nop allow=,", E_CORRUPT, 1},
        {"p nop service=a allow=a,", E_CORRUPT, 1},
        {"p nop service=a allow=,a", E_CORRUPT, 1},
        {"p nop service=a\nq nop allow=a,,a", E_CORRUPT, 2},
        {"p nop service=a\nq nop allow=A", E_CORRUPT, 2},
        {"p nop service=a\nq nop allow=a,a", E_CORRUPT, 2},
        {"p nop service=a\nq nop allow=a allow=a", E_CORRUPT, 2},
        {"p nop allow=a,b,c,d,e,f,g,h,i", E_RANGE, 1},
        /* Unknown names are found once the whole file is read. */
        {"p nop allow=nobody\nq nop service=somebody", E_CORRUPT, 1},
        {"p nop service=x\nq nop\nr nop allow=x,y", E_CORRUPT, 3},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        Error err = parse(bad[i].text);
        if (err != bad[i].err || cfg.error_line != bad[i].line || cfg.error == NULL) {
            fail_msg("\"%s\": %d at line %u, want %d at line %u", bad[i].text, err, cfg.error_line,
                     bad[i].err, bad[i].line);
        }
    }
}

/* Names share the string pool with paths and arguments. */
static void test_names_fill_the_pool(void **state)
{
    /* Line 1 leaves 10 bytes of the pool: "p\0" and 15 arguments of 4084. */
    static char text[8192];
    char word[281];
    strcpy(text, "p nop");
    for (int i = 0; i < 15; i++) {
        size_t len = i < 14 ? 280 : 149;
        memset(word, 'w', len);
        word[len] = '\0';
        strcat(text, " ");
        strcat(text, word);
    }
    size_t line1 = strlen(text);
    strcat(text, "\nq nop service=abcdefghijk");
    assert_int_equal(parse(text), E_RANGE);
    assert_int_equal(cfg.error_line, 2);
    text[line1] = '\0';
    strcat(text, "\nq nop allow=abcdefghijk");
    assert_int_equal(parse(text), E_RANGE);
    assert_int_equal(cfg.error_line, 2);
    text[line1] = '\0';
    strcat(text, "\nq nop service=abcdefgh"); /* 9 bytes: fits, then "q" does not */
    assert_int_equal(parse(text), E_RANGE);
    assert_int_equal(cfg.error_line, 2);
    text[line1] = '\0';
    strcat(text, "\nq nop service=abcdefg"); /* 8 + 2 bytes: exactly full */
    assert_int_equal(parse(text), E_OK);
    assert_int_equal(cfg.strings_used, SYSTEM_CONFIG_STRINGS);
}

static void test_limits(void **state)
{
    /* Programs. */
    char text[8192] = "";
    for (int i = 0; i < SYSTEM_CONFIG_MAX_PROGRAMS; i++) {
        strcat(text, "p nop\n");
    }
    assert_int_equal(parse(text), E_OK);
    assert_int_equal(cfg.count, SYSTEM_CONFIG_MAX_PROGRAMS);
    strcat(text, "p nop\n");
    assert_int_equal(parse(text), E_RANGE);
    assert_int_equal(cfg.error_line, SYSTEM_CONFIG_MAX_PROGRAMS + 1);

    /* Arguments: argv[0] counts. */
    strcpy(text, "p nop");
    for (int i = 1; i < SYSTEM_CONFIG_MAX_ARGS; i++) {
        strcat(text, " a");
    }
    assert_int_equal(parse(text), E_OK);
    assert_int_equal(cfg.programs[0].argc, SYSTEM_CONFIG_MAX_ARGS);
    assert_null(cfg.programs[0].argv[SYSTEM_CONFIG_MAX_ARGS]);
    strcat(text, " a");
    assert_int_equal(parse(text), E_RANGE);
    for (int i = 0; i < 20; i++) {
        strcat(text, " a");
    }
    assert_int_equal(parse(text), E_RANGE);

    /* Path length: a RAMFS name. */
    char path[SYSTEM_CONFIG_PATH_MAX + 2];
    memset(path, 'x', sizeof(path));
    path[SYSTEM_CONFIG_PATH_MAX] = '\0';
    snprintf(text, sizeof(text), "%s nop", path);
    assert_int_equal(parse(text), E_OK);
    path[SYSTEM_CONFIG_PATH_MAX] = 'x';
    path[SYSTEM_CONFIG_PATH_MAX + 1] = '\0';
    snprintf(text, sizeof(text), "%s nop", path);
    assert_int_equal(parse(text), E_RANGE);
}

static void test_string_pool_full(void **state)
{
    /* 15 arguments of 300 bytes per line: the pool (4096) runs out on the
     * first line, so the failure is E_RANGE at line 1. */
    static char text[16384];
    char word[301];
    memset(word, 'w', 300);
    word[300] = '\0';
    strcpy(text, "p nop");
    for (int i = 0; i < 15; i++) {
        strcat(text, " ");
        strcat(text, word);
    }
    assert_int_equal(parse(text), E_RANGE);
    assert_int_equal(cfg.error_line, 1);
}

static void test_nul_byte_and_null_arguments(void **state)
{
    static const char text[] = "a nop\nb n\0p\n";
    assert_int_equal(system_config_parse(&cfg, text, sizeof(text) - 1), E_CORRUPT);
    assert_int_equal(cfg.error_line, 2);
    assert_int_equal(system_config_parse(NULL, "a nop", 5), E_INVAL);
    assert_int_equal(system_config_parse(&cfg, NULL, 5), E_INVAL);
}

static void test_text_not_nul_terminated(void **state)
{
    /* Only len bytes count: the text ends inside the argument. */
    const char text[] = "p nop xyz";
    assert_int_equal(system_config_parse(&cfg, text, 7), E_OK);
    assert_int_equal(cfg.programs[0].argc, 2);
    assert_string_equal(cfg.programs[0].argv[1], "x");
}

/* A shipped configuration parses, and names only programs that exist as
 * sources (user/{bin,tests,bench}/<name>.c for bin/<name>). */
static void check_shipped(const char *file)
{
    char path[256];
    snprintf(path, sizeof(path), "ramfs/%s", file);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("%s: cannot open (run from the repository root)", path);
    }
    static char text[8192];
    size_t len = fread(text, 1, sizeof(text), f);
    fclose(f);
    Error err = system_config_parse(&cfg, text, len);
    if (err != E_OK) {
        fail_msg("%s:%u: %s", path, cfg.error_line, cfg.error);
    }
    assert_true(cfg.count > 0);
    for (uint32_t i = 0; i < cfg.count; i++) {
        const char *prog = cfg.programs[i].path;
        assert_true(strncmp(prog, "bin/", 4) == 0);
        bool found = false;
        static const char *const dirs[] = {"user/bin", "user/tests", "user/bench"};
        for (size_t d = 0; d < 3 && !found; d++) {
            char src[256];
            struct stat st;
            snprintf(src, sizeof(src), "%s/%s.c", dirs[d], prog + 4);
            found = stat(src, &st) == 0;
        }
        if (!found) {
            fail_msg("%s: no source for %s", path, prog);
        }
        assert_true(has_right(&cfg.programs[i], SYS_PROCESS_EXIT));
    }
}

static void test_shipped_configs(void **state)
{
    check_shipped("system.conf");
    check_shipped("system-bench.conf");
    check_shipped("system-test.conf");
    /* test_directory's setting: `echo` allowed, `secret` provided but not. */
    int echo = system_config_provider(&cfg, "echo", 4);
    int secret = system_config_provider(&cfg, "secret", 6);
    assert_true(echo >= 0 && secret >= 0);
    bool found = false;
    for (uint32_t i = 0; i < cfg.count; i++) {
        if (strcmp(cfg.programs[i].path, "bin/test_directory") == 0) {
            found = true;
            assert_int_equal(cfg.programs[i].allowed, 1u << echo);
        }
    }
    assert_true(found);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_comments),
        cmocka_unit_test(test_one_program),
        cmocka_unit_test(test_several_lines_and_line_numbers),
        cmocka_unit_test(test_crlf_and_hash_inside_word),
        cmocka_unit_test(test_all_and_none),
        cmocka_unit_test(test_every_name_round_trips),
        cmocka_unit_test(test_rights_errors),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_option_errors),
        cmocka_unit_test(test_services_and_allow),
        cmocka_unit_test(test_service_errors),
        cmocka_unit_test(test_names_fill_the_pool),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_string_pool_full),
        cmocka_unit_test(test_nul_byte_and_null_arguments),
        cmocka_unit_test(test_text_not_nul_terminated),
        cmocka_unit_test(test_shipped_configs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
