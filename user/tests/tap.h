/*
 * A tiny TAP producer for in-guest test programs (docs/Testing.md):
 *
 *     1..N # <prog>
 *     ok 1 - <prog>/<name>
 *     not ok 2 - <prog>/<name> # why
 *
 * Each line goes out in one printf, and stdout is line buffered, so lines
 * from programs running at the same time never mix within a line.
 * tap_done() returns the exit status: 0 only if all N tests ran and passed.
 */
#ifndef ANOS_USER_TAP_H
#define ANOS_USER_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct Tap {
    const char *prog;
    int planned;
    int count;
    int failed;
} Tap;

static Tap tap;

static inline void tap_plan(const char *prog, int n)
{
    tap.prog = prog;
    tap.planned = n;
    printf("1..%d # %s\n", n, prog);
}

/* Reports one test; on failure, fmt and its arguments say why. Returns ok. */
__attribute__((format(printf, 3, 4))) static inline bool tap_check(bool ok, const char *name,
                                                                   const char *fmt, ...)
{
    tap.count++;
    if (ok) {
        printf("ok %d - %s/%s\n", tap.count, tap.prog, name);
        return true;
    }
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    tap.failed++;
    printf("not ok %d - %s/%s # %s\n", tap.count, tap.prog, name, why);
    return false;
}

/* The condition's own text is the reason. */
#define TAP_OK(cond, name) tap_check((cond), (name), "%s", #cond)

/* An integer result against the expected value. */
static inline bool tap_eq(int64_t got, int64_t want, const char *name)
{
    return tap_check(got == want, name, "got %" PRId64 ", want %" PRId64, got, want);
}

static inline int tap_done(void)
{
    if (tap.count != tap.planned) {
        printf("# %s: planned %d tests, ran %d\n", tap.prog, tap.planned, tap.count);
        return 1;
    }
    return tap.failed == 0 ? 0 : 1;
}

#endif
