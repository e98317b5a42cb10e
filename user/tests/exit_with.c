/*
 * exit_with: a child for test_process that ends in the way argv[1] asks:
 *   exit N      exit(N)                 return N   main returns N
 *   atexit      main returns 0, an atexit handler then calls _exit(42)
 *   abort       abort()                 fault      writes to address 8
 *   sleep       sleeps until killed     argv0      0 if argv[0] is its path
 */
#include <libanos.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void exit_from_atexit(void)
{
    _exit(42);
}

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "";
    int n = argc > 2 ? atoi(argv[2]) : 0;
    if (strcmp(how, "exit") == 0) {
        exit(n);
    }
    if (strcmp(how, "return") == 0) {
        return n;
    }
    if (strcmp(how, "atexit") == 0) {
        atexit(exit_from_atexit);
        return 0;
    }
    if (strcmp(how, "abort") == 0) {
        abort();
    }
    if (strcmp(how, "fault") == 0) {
        *(volatile int *)(uintptr_t)8 = 1;
        return 100;
    }
    if (strcmp(how, "sleep") == 0) {
        for (;;) {
            anos_sleep_ns(1000000000ull);
        }
    }
    if (strcmp(how, "argv0") == 0) {
        return strcmp(argv[0], "bin/exit_with") == 0 && argv[argc] == NULL ? 0 : 1;
    }
    return 99;
}
