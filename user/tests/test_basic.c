/*
 * test_basic: the basic syscalls as a user program sees them: results,
 * rights (E_PERM) and unknown numbers (E_NOSYS), bad pointers (E_FAULT),
 * the clock and sleeping, memory information, anonymous mappings (zeroed
 * on first touch, unmapped, mapped again), and FPU registers surviving
 * syscalls and yields. Rights (ramfs/system-test.conf): nop, debug_write,
 * process_exit, yield, sleep, clock, meminfo, map_anon, unmap.
 */
#include <libanos.h>
#include <string.h>

#include "tap.h"

#define PROG "test_basic"

#define PAGE 4096u

/* An address in the kernel half, and one in the unmapped first pages. */
#define KERNEL_ADDR 0xffff800000000000ull
#define LOW_ADDR    0x1000ull

static void test_calls(void)
{
    bool ok = true;
    for (int i = 0; i < 1000 && ok; i++) {
        ok = anos_nop() == 0;
    }
    TAP_OK(ok, "nop");

    static const char msg[] = "# test_basic: debug_write\n";
    tap_eq(anos_debug_write(msg, sizeof(msg) - 1), sizeof(msg) - 1, "debug_write");
    tap_eq(anos_debug_write(msg, 0), 0, "debug_write_empty");
    tap_eq(anos_debug_write((const char *)KERNEL_ADDR, 16), E_FAULT, "debug_write_kernel_ptr");
    tap_eq(anos_debug_write((const char *)LOW_ADDR, 16), E_FAULT, "debug_write_unmapped_ptr");

    /* klog_read is not in this program's rights; the numbers past the
     * table are no syscall at all. */
    tap_eq(anos_syscall(SYS_KLOG_READ, 0, 0, 0, 0, 0, 0), E_PERM, "rights_enforced");
    tap_eq(anos_syscall(SYS_COUNT, 0, 0, 0, 0, 0, 0), E_NOSYS, "unknown_number");
    tap_eq(anos_syscall(1ull << 40, 0, 0, 0, 0, 0, 0), E_NOSYS, "huge_number");
}

static void test_time(void)
{
    int64_t first = anos_clock_ns();
    int64_t prev = first;
    bool ok = first > 0;
    for (int i = 0; i < 1000 && ok; i++) {
        int64_t now = anos_clock_ns();
        ok = now >= prev;
        prev = now;
    }
    tap_check(ok, "clock_monotonic", "first %" PRId64 " prev %" PRId64, first, prev);

    ok = true;
    for (int i = 0; i < 100 && ok; i++) {
        ok = anos_yield() == 0;
    }
    TAP_OK(ok, "yield");

    tap_eq(anos_sleep_ns(0), 0, "sleep_zero");
    const int64_t asked = 10 * 1000 * 1000;
    int64_t before = anos_clock_ns();
    int64_t r = anos_sleep_ns((uint64_t)asked);
    int64_t slept = anos_clock_ns() - before;
    tap_check(r == 0 && slept >= asked, "sleep_at_least_asked",
              "r %" PRId64 ", slept %" PRId64 " ns of %" PRId64, r, slept, asked);
}

static void test_meminfo(void)
{
    AnosMemInfo info;
    memset(&info, 0xff, sizeof(info));
    int64_t r = anos_meminfo(&info);
    tap_check(r == 0 && info.page_size == PAGE && info.total_pages > 0 &&
                  info.free_pages <= info.total_pages && info.process_pages > 0 &&
                  info.process_pages < info.total_pages,
              "meminfo_sane",
              "r %" PRId64 " page %" PRIu64 " total %" PRIu64 " free %" PRIu64 " own %" PRIu64, r,
              info.page_size, info.total_pages, info.free_pages, info.process_pages);
    tap_eq(anos_meminfo((AnosMemInfo *)KERNEL_ADDR), E_FAULT, "meminfo_kernel_ptr");
}

static bool all_zero(const volatile uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

static void test_map_anon(void)
{
    const uint64_t size = 16 * PAGE;
    const uint64_t rw = ANOS_PROT_READ | ANOS_PROT_WRITE;
    int64_t addr = anos_map_anon(0, size, rw);
    tap_check(addr >= (int64_t)ANOS_MAP_BASE && addr < (int64_t)ANOS_USER_TOP && addr % PAGE == 0,
              "map_anon", "addr %#" PRIx64, (uint64_t)addr);
    if (addr < 0) {
        /* Nothing below can run without the mapping: report each as failed. */
        for (int i = 0; i < 6; i++) {
            tap_check(false, "map_anon_dependent", "map_anon failed: %s", error_name((int)addr));
        }
        return;
    }
    volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)addr;
    TAP_OK(all_zero(p, size), "map_anon_zeroed");

    for (uint64_t i = 0; i < size; i += 64) {
        p[i] = (uint8_t)(i / 64 + 1);
    }
    bool ok = true;
    for (uint64_t i = 0; i < size && ok; i += 64) {
        ok = p[i] == (uint8_t)(i / 64 + 1);
    }
    TAP_OK(ok, "map_anon_write_read");

    tap_eq(anos_map_anon((uintptr_t)addr, PAGE, rw), E_EXIST, "map_anon_over_mapping");
    tap_eq(anos_unmap((uintptr_t)addr, size), 0, "unmap");

    /* The same range again: fresh pages, not the old contents. */
    int64_t again = anos_map_anon((uintptr_t)addr, size, rw);
    tap_check(again == addr && all_zero(p, size), "map_again_zeroed", "again %#" PRIx64,
              (uint64_t)again);
    tap_eq(anos_unmap((uintptr_t)addr, size), 0, "unmap_again");
}

static void test_map_refused(void)
{
    tap_eq(anos_map_anon(0, PAGE, ANOS_PROT_WRITE | ANOS_PROT_EXEC), E_PERM, "map_anon_wx");
    tap_check(anos_map_anon(ANOS_MAP_BASE + 123, PAGE, ANOS_PROT_READ) < 0, "map_anon_unaligned",
              "accepted");
    tap_check(anos_map_anon(KERNEL_ADDR, PAGE, ANOS_PROT_READ) < 0, "map_anon_kernel_half",
              "accepted");
}

/* Doubles kept in FPU/SSE registers across syscalls and yields, while other
 * programs use theirs: the kernel must save and restore them. */
static void test_fpu(void)
{
    volatile double seed = 1.25;
    double a = seed, b = seed * 3, c = seed * 5, d = seed * 7;
    for (int i = 0; i < 50; i++) {
        a = a * 1.5 + 0.25;
        b = b * 0.5 + c;
        anos_yield();
        c = c + d * 0.125;
        d = d * 1.0625 - a * 0.001;
        anos_nop();
    }
    double with_yields = a + b + c + d;

    a = seed, b = seed * 3, c = seed * 5, d = seed * 7;
    for (int i = 0; i < 50; i++) {
        a = a * 1.5 + 0.25;
        b = b * 0.5 + c;
        c = c + d * 0.125;
        d = d * 1.0625 - a * 0.001;
    }
    TAP_OK(with_yields == a + b + c + d, "fpu_preserved");
}

int main(void)
{
    tap_plan(PROG, 25);
    test_calls();
    test_time();
    test_meminfo();
    test_map_anon();
    test_map_refused();
    test_fpu();
    return tap_done();
}
