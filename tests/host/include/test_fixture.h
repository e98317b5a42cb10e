/* Host-test helper: loads a file from tests/fixtures (or $FIXTURES, which
 * `make host-test` sets) into a malloc'd buffer the caller frees. A missing,
 * unreadable or empty fixture fails the running cmocka test with its path. */
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* relative_path is below the fixtures directory, e.g. "dtb/virt.dtb". */
static inline void *fixture_load(const char *relative_path, size_t *size)
{
    const char *dir = getenv("FIXTURES");
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir != NULL ? dir : "tests/fixtures", relative_path);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("fixture %s: %s", path, strerror(errno));
    }
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0) {
        len = ftell(f);
    }
    if (len <= 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        fail_msg("fixture %s: empty or not seekable", path);
    }
    void *data = malloc((size_t)len);
    if (data == NULL || fread(data, 1, (size_t)len, f) != (size_t)len) {
        free(data);
        fclose(f);
        fail_msg("fixture %s: cannot read %ld bytes", path, len);
    }
    fclose(f);
    *size = (size_t)len;
    return data;
}

#endif
