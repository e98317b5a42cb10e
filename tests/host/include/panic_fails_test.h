/* Host-test helper: the kernel's panic() for tests in which any panic is a
 * bug: it fails the running cmocka test with the panic's message. Include
 * it from the one file of a test binary that defines nothing else named
 * panic (tests that expect panics define their own, longjmp-based). */
#ifndef PANIC_FAILS_TEST_H
#define PANIC_FAILS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <panic.h>

_Noreturn void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fail_msg("unexpected panic: %s", msg);
    abort();
}

#endif
