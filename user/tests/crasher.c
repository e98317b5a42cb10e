/*
 * crasher: a child for test_faults that dies the way argv[1] asks, or
 * (with "work") computes for a while and exits 0 to show that its
 * neighbours' deaths did not disturb it. Without newlib stdio: a crash
 * must not depend on anything but the faulting instruction.
 */
#include <libanos.h>
#include <stdint.h>
#include <string.h>

static volatile int zero;
static volatile int one = 1;
static _Alignas(16) uint8_t data_page[64] = {0xC3};

static _Alignas(16) uint8_t thread_stacks[3][8192];

static void spin_forever(void *arg)
{
    (void)arg;
    for (;;) {
        __asm__ volatile("" ::: "memory");
    }
}

static int recurse(int depth)
{
    volatile char frame[4096];
    frame[0] = (char)depth;
    if (zero != 0) { /* never: keeps the compiler from seeing an endless loop */
        return frame[0];
    }
    return recurse(depth + 1) + frame[0];
}

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "";
    if (strcmp(how, "null") == 0) {
        return *(volatile int *)0;
    }
    if (strcmp(how, "kernel") == 0) {
        return *(volatile int *)(uintptr_t)0xFFFFFFFF80200000ull;
    }
    if (strcmp(how, "write_text") == 0) {
        *(volatile uint8_t *)(uintptr_t)main = 0;
        return 100;
    }
    if (strcmp(how, "exec_data") == 0) {
        /* Through a volatile pointer: a direct call to a data symbol is
         * a pc-relative jump the linker may refuse. */
        void (*volatile jump)(void) = (void (*)(void))(uintptr_t)data_page;
        jump();
        return 100;
    }
    if (strcmp(how, "garbage") == 0) {
#if defined(__x86_64__)
        __asm__ volatile("ud2");
#else
        __asm__ volatile("unimp"); /* an illegal encoding by definition */
#endif
        return 100;
    }
    if (strcmp(how, "privileged") == 0) {
#if defined(__x86_64__)
        __asm__ volatile("hlt");
#else
        uint64_t v;
        __asm__ volatile("csrr %0, sstatus" : "=r"(v));
#endif
        return 100;
    }
    if (strcmp(how, "divzero") == 0) {
        /* x86_64 traps (#DE); RISC-V defines x / 0 = all ones, no trap. */
        int q = one / zero;
        return q == -1 ? 0 : 100;
    }
    if (strcmp(how, "stack") == 0) {
        return recurse(0);
    }
    if (strcmp(how, "oom") == 0) {
        /* Touch fresh pages until the kernel has none left to give. */
        for (;;) {
            int64_t addr = anos_map_anon(0, 64ull << 20, ANOS_PROT_READ | ANOS_PROT_WRITE);
            if (addr < 0) {
                return 100;
            }
            for (uint64_t off = 0; off < (64ull << 20); off += 4096) {
                *(volatile uint8_t *)(uintptr_t)(addr + off) = 1;
            }
        }
    }
    if (strcmp(how, "sleep_forever") == 0) {
        for (;;) {
            anos_sleep_ns(3600ull * 1000000000ull);
        }
    }
    if (strcmp(how, "threads_spin") == 0) {
        /* Four threads spinning in user mode, on as many CPUs as there are:
         * a kill must reach every one without its cooperation. */
        for (int i = 0; i < 3; i++) {
            anos_thread_start(spin_forever, NULL, thread_stacks[i], sizeof(thread_stacks[i]));
        }
        spin_forever(NULL);
    }
    if (strcmp(how, "work") == 0) {
        uint64_t x = 1;
        int64_t start = anos_clock_ns();
        while (anos_clock_ns() - start < 50000000) {
            for (int i = 0; i < 1000; i++) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
            }
        }
        return x == 0 ? 1 : 0;
    }
    return 99;
}
