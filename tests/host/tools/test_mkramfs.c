// Runs the built tool $HOST_BUILD/mkramfs in a temporary directory: pack, list, errors.
// TEST_SOURCES: kernel/lib/ramfs.c
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <ramfs.h>

static char tool[PATH_MAX]; /* absolute path of mkramfs */
static char tmp[PATH_MAX];  /* this run's scratch directory */

typedef struct RunResult {
    int status; /* exit status, or -1 if it did not exit normally */
    char out[8192];
    char err[8192];
} RunResult;

static void path_in_tmp(char *buf, size_t n, const char *rel)
{
    snprintf(buf, n, "%s/%s", tmp, rel);
}

static void slurp(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    size_t got = f != NULL ? fread(buf, 1, n - 1, f) : 0;
    buf[got] = '\0';
    if (f != NULL) {
        fclose(f);
    }
}

/* Runs mkramfs with args (NULL-terminated) in directory tmp; collects stdout and stderr. */
static void run_tool(RunResult *r, const char *const *args)
{
    char out_path[PATH_MAX];
    char err_path[PATH_MAX];
    path_in_tmp(out_path, sizeof(out_path), ".stdout");
    path_in_tmp(err_path, sizeof(err_path), ".stderr");

    const char *argv[32] = {tool};
    size_t argc = 1;
    for (; args[argc - 1] != NULL && argc < 31; argc++) {
        argv[argc] = args[argc - 1];
    }
    argv[argc] = NULL;

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0 || chdir(tmp) != 0) {
            _exit(126);
        }
        dup2(out, 1);
        dup2(err, 2);
        execv(tool, (char *const *)argv);
        _exit(127);
    }
    int wstatus;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    slurp(out_path, r->out, sizeof(r->out));
    slurp(err_path, r->err, sizeof(r->err));
}

#define RUN(r, ...) run_tool((r), (const char *const[]){__VA_ARGS__, NULL})

static void write_file(const char *rel, const void *data, size_t n)
{
    char path[PATH_MAX];
    path_in_tmp(path, sizeof(path), rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *rel)
{
    char path[PATH_MAX];
    path_in_tmp(path, sizeof(path), rel);
    assert_int_equal(mkdir(path, 0755), 0);
}

static bool exists(const char *rel)
{
    char path[PATH_MAX];
    path_in_tmp(path, sizeof(path), rel);
    return access(path, F_OK) == 0;
}

static uint8_t *read_image(const char *rel, size_t *size)
{
    char path[PATH_MAX];
    path_in_tmp(path, sizeof(path), rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    assert_true(len > 0);
    rewind(f);
    uint8_t *buf = malloc((size_t)len);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *size = (size_t)len;
    return buf;
}

static uint8_t blob[300];

static int setup(void **state)
{
    const char *build = getenv("HOST_BUILD");
    char rel[PATH_MAX];
    snprintf(rel, sizeof(rel), "%s/mkramfs", build != NULL ? build : "build/host");
    if (realpath(rel, tool) == NULL) {
        fprintf(stderr, "test_mkramfs: %s not found (run `make host-tools`)\n", rel);
        return -1;
    }
    snprintf(tmp, sizeof(tmp), "/tmp/anos-mkramfs-XXXXXX");
    if (mkdtemp(tmp) == NULL) {
        return -1;
    }
    make_dir("src");
    make_dir("src/etc");
    make_dir("src/bin");
    write_file("src/hello.txt", "hello\n", 6);
    write_file("src/etc/system.conf", "servers = kterm\n", 16);
    write_file("src/empty", "", 0);
    for (size_t i = 0; i < sizeof(blob); i++) {
        blob[i] = (uint8_t)i;
    }
    write_file("src/bin/blob", blob, sizeof(blob));
    write_file("loose.txt", "loose", 5);
    return 0;
}

static int teardown(void **state)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_pack_and_read_back(void **state)
{
    RunResult r;
    RUN(&r, "-o", "out.img", "-C", "src", "hello.txt", "etc/system.conf", "empty", "bin/blob");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");

    size_t size;
    uint8_t *img = read_image("out.img", &size);
    Ramfs fs;
    assert_int_equal(ramfs_open(&fs, img, size), E_OK);
    assert_int_equal(ramfs_file_count(&fs), 4);
    static const char *names[] = {"hello.txt", "etc/system.conf", "empty", "bin/blob"};
    for (uint32_t i = 0; i < 4; i++) {
        RamfsFile f;
        assert_int_equal(ramfs_file_at(&fs, i, &f), E_OK);
        assert_string_equal(f.name, names[i]); /* command-line order */
    }
    const void *data;
    size_t len;
    assert_int_equal(ramfs_find(&fs, "hello.txt", &data, &len), E_OK);
    assert_int_equal(len, 6);
    assert_memory_equal(data, "hello\n", 6);
    assert_int_equal(ramfs_find(&fs, "empty", &data, &len), E_OK);
    assert_int_equal(len, 0);
    assert_int_equal(ramfs_find(&fs, "bin/blob", &data, &len), E_OK);
    assert_int_equal(len, sizeof(blob));
    assert_memory_equal(data, blob, sizeof(blob));
    assert_int_equal(((const uint8_t *)data - img) % RAMFS_ALIGN, 0);
    free(img);
}

static void test_list(void **state)
{
    RunResult r;
    RUN(&r, "-o", "list.img", "-C", "src", "hello.txt", "bin/blob");
    assert_int_equal(r.status, 0);
    /* Header 64 + table 2 * 96 = 256; hello.txt at 256, bin/blob at 320, ends at 620 -> 640. */
    RUN(&r, "-l", "list.img");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "         6  hello.txt\n"
                               "       300  bin/blob\n"
                               "2 files, 640 bytes\n");
}

static void test_pack_without_dir_and_empty_image(void **state)
{
    RunResult r;
    RUN(&r, "-o", "loose.img", "loose.txt");
    assert_int_equal(r.status, 0);
    RUN(&r, "-l", "loose.img");
    assert_non_null(strstr(r.out, "         5  loose.txt\n1 files, "));

    RUN(&r, "-o", "none.img");
    assert_int_equal(r.status, 0);
    RUN(&r, "-l", "none.img");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "0 files, 64 bytes\n");
}

static void test_longest_name_accepted(void **state)
{
    char name[RAMFS_NAME_MAX];
    memset(name, 'n', RAMFS_NAME_MAX - 1);
    name[RAMFS_NAME_MAX - 1] = '\0';
    char rel[PATH_MAX];
    snprintf(rel, sizeof(rel), "src/%s", name);
    write_file(rel, "x", 1);
    RunResult r;
    RUN(&r, "-o", "long.img", "-C", "src", name);
    assert_int_equal(r.status, 0);
}

/* Expects failure with the given exit status, a message on stderr and no output file. */
static void expect_failure(const RunResult *r, int status, const char *message, const char *out)
{
    if (r->status != status || strstr(r->err, message) == NULL) {
        fail_msg("status %d (want %d), stderr \"%s\" (want \"%s\")", r->status, status, r->err,
                 message);
    }
    if (out != NULL) {
        assert_false(exists(out));
    }
}

static void test_name_too_long(void **state)
{
    char name[RAMFS_NAME_MAX + 1];
    memset(name, 'n', RAMFS_NAME_MAX);
    name[RAMFS_NAME_MAX] = '\0';
    char rel[PATH_MAX];
    snprintf(rel, sizeof(rel), "src/%s", name);
    write_file(rel, "x", 1);
    RunResult r;
    RUN(&r, "-o", "bad.img", "-C", "src", name);
    expect_failure(&r, 1, "name longer than 63 bytes", "bad.img");
}

static void test_invalid_names(void **state)
{
    static const char *bad[] = {"/etc/passwd", "../loose.txt", "etc//system.conf", "./hello.txt",
                                "etc/"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        RunResult r;
        RUN(&r, "-o", "bad.img", "-C", "src", bad[i]);
        expect_failure(&r, 1, "not a valid name", "bad.img");
    }
}

static void test_duplicate(void **state)
{
    RunResult r;
    RUN(&r, "-o", "bad.img", "-C", "src", "hello.txt", "empty", "hello.txt");
    expect_failure(&r, 1, "hello.txt: listed more than once", "bad.img");
}

static void test_missing_and_unreadable(void **state)
{
    RunResult r;
    RUN(&r, "-o", "bad.img", "-C", "src", "hello.txt", "no-such-file");
    expect_failure(&r, 1, "src/no-such-file: No such file or directory", "bad.img");
    /* A directory cannot be packed. (Permission bits do not stop root, so no chmod test.) */
    RUN(&r, "-o", "bad.img", "-C", "src", "etc");
    expect_failure(&r, 1, "src/etc: not a regular file", "bad.img");
}

static void test_unwritable_output(void **state)
{
    RunResult r;
    RUN(&r, "-o", "no-such-dir/out.img", "-C", "src", "hello.txt");
    expect_failure(&r, 1, "no-such-dir/out.img: No such file or directory", NULL);
}

static void test_list_errors(void **state)
{
    RunResult r;
    RUN(&r, "-l", "src/hello.txt");
    expect_failure(&r, 1, "src/hello.txt: not a valid RAMFS image (E_CORRUPT)", NULL);
    RUN(&r, "-l", "missing.img");
    expect_failure(&r, 1, "missing.img: No such file or directory", NULL);

    /* One flipped byte in a good image is caught by the CRC. */
    RUN(&r, "-o", "flip.img", "-C", "src", "hello.txt");
    assert_int_equal(r.status, 0);
    size_t size;
    uint8_t *img = read_image("flip.img", &size);
    img[size - 1] ^= 1;
    write_file("flip.img", img, size);
    free(img);
    RUN(&r, "-l", "flip.img");
    expect_failure(&r, 1, "not a valid RAMFS image", NULL);
}

static void test_usage_errors(void **state)
{
    RunResult r;
    RUN(&r, "-h");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "usage: mkramfs -o OUT"));

    run_tool(&r, (const char *const[]){NULL});
    expect_failure(&r, 2, "usage:", NULL);
    RUN(&r, "-x");
    expect_failure(&r, 2, "usage:", NULL);
    RUN(&r, "-l", "a.img", "-o", "b.img");
    expect_failure(&r, 2, "give either", "b.img");
    RUN(&r, "-l", "a.img", "extra");
    expect_failure(&r, 2, "give either", NULL);
    RUN(&r, "-C", "src", "hello.txt");
    expect_failure(&r, 2, "give either", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_and_read_back),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_pack_without_dir_and_empty_image),
        cmocka_unit_test(test_longest_name_accepted),
        cmocka_unit_test(test_name_too_long),
        cmocka_unit_test(test_invalid_names),
        cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_missing_and_unreadable),
        cmocka_unit_test(test_unwritable_output),
        cmocka_unit_test(test_list_errors),
        cmocka_unit_test(test_usage_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
