/*
 * bench_user: user-mode figures for `make bench`, in guest instructions
 * (the cycle counter under QEMU -icount shift=0, docs/Benchmarks.md):
 *   null_syscall  one SYS_NOP, averaged over batches
 *   page_fault    the first touch of a lazily allocated page
 *   spawn_exit    process_create of bin/exit0 until process_wait returns
 *   ipc_rtt_reg   one SYS_CALL round trip, registers only, to a server
 *                 process on the same CPU (bin/ipc_echo, in its
 *                 SYS_REPLY_RECV loop)
 *   ipc_rtt_4k    the same, each call lending a 4 KiB buffer (mapped into
 *                 the server for the call, unmapped at its reply)
 *   ipc_rtt_xcpu  ipc_rtt_reg with the server on the next CPU
 *   yield_user    one SYS_YIELD that switches to another process on the same
 *                 CPU (bin/yielder, which yields straight back): half a
 *                 round trip
 * Each figure is the median of its samples, less the cost of reading the
 * counter. Argument `child-cpu=N` pins spawned children to CPU N (SYSTEM's
 * cpu=N pins this program).
 */
#include <libanos.h>
#include <libanos_ramfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOP_BATCH     100
#define NOP_SAMPLES   101
#define FAULT_PAGES   257
#define SPAWN_SAMPLES 21
#define YIELD_ROUNDS  100
#define PAGE          4096u

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The upper median (the samples are reordered). */
static uint64_t median(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof(v[0]), cmp_u64);
    return v[n / 2];
}

static void report(const char *name, uint64_t value)
{
    printf("BENCH %s %s %llu instructions\n", ANOS_ARCH, name, (unsigned long long)value);
}

static void report_na(const char *name, const char *why)
{
    printf("BENCH %s %s n/a\n", ANOS_ARCH, name);
    printf("bench_user: %s: %s\n", name, why);
}

/* Two back-to-back counter reads. */
static uint64_t counter_overhead(void)
{
    uint64_t v[NOP_SAMPLES];
    for (size_t i = 0; i < NOP_SAMPLES; i++) {
        uint64_t t0 = anos_cycles();
        uint64_t t1 = anos_cycles();
        v[i] = t1 - t0;
    }
    return median(v, NOP_SAMPLES);
}

static uint64_t minus(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

static void bench_null_syscall(uint64_t overhead)
{
    uint64_t v[NOP_SAMPLES];
    for (int i = 0; i < NOP_BATCH; i++) {
        anos_nop(); /* warm caches and TLB */
    }
    for (size_t s = 0; s < NOP_SAMPLES; s++) {
        uint64_t t0 = anos_cycles();
        for (int i = 0; i < NOP_BATCH; i++) {
            anos_nop();
        }
        v[s] = minus(anos_cycles() - t0, overhead) / NOP_BATCH;
    }
    report("null_syscall", median(v, NOP_SAMPLES));
}

static void bench_page_fault(uint64_t overhead)
{
    static uint64_t v[FAULT_PAGES];
    int64_t addr = anos_map_anon(0, FAULT_PAGES * PAGE, ANOS_PROT_READ | ANOS_PROT_WRITE);
    if (addr < 0) {
        report_na("page_fault", error_name((int)addr));
        return;
    }
    volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)addr;
    for (size_t i = 0; i < FAULT_PAGES; i++) {
        uint64_t t0 = anos_cycles();
        p[i * PAGE] = 1;
        v[i] = minus(anos_cycles() - t0, overhead);
    }
    anos_unmap((uintptr_t)addr, FAULT_PAGES * PAGE);
    report("page_fault", median(v, FAULT_PAGES));
}

static void bench_spawn_exit(uint64_t overhead, uint64_t child_cpu)
{
    Ramfs fs;
    Error err = anos_ramfs_open(&fs);
    if (err != E_OK) {
        report_na("spawn_exit", error_name(err));
        return;
    }
    AnosProcessSpec spec = {.cpu = child_cpu};
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    uint64_t v[SPAWN_SAMPLES];
    for (size_t s = 0; s < SPAWN_SAMPLES; s++) {
        uint64_t t0 = anos_cycles();
        int64_t h = anos_spawn_ramfs(&fs, "bin/exit0", &spec);
        int64_t status = h < 0 ? h : anos_process_wait((Handle)h);
        uint64_t t1 = anos_cycles();
        if (h >= 0) {
            anos_handle_close((Handle)h);
        }
        if (status != 0) {
            report_na("spawn_exit", status < 0 ? error_name((int)status) : "exit0 failed");
            return;
        }
        v[s] = minus(t1 - t0, overhead);
    }
    report("spawn_exit", median(v, SPAWN_SAMPLES));
}

static void bench_yield_user(uint64_t overhead, uint64_t child_cpu)
{
    Ramfs fs;
    Error err = anos_ramfs_open(&fs);
    AnosProcessSpec spec = {.cpu = child_cpu};
    anos_rights_add(spec.syscall_rights, SYS_YIELD);
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    int64_t h = err == E_OK ? anos_spawn_ramfs(&fs, "bin/yielder", &spec) : err;
    if (h < 0) {
        report_na("yield_user", error_name((int)h));
        return;
    }
    for (int i = 0; i < YIELD_ROUNDS; i++) {
        anos_yield(); /* the partner is running and yielding back */
    }
    uint64_t v[NOP_SAMPLES];
    for (size_t s = 0; s < NOP_SAMPLES; s++) {
        uint64_t t0 = anos_cycles();
        for (int i = 0; i < YIELD_ROUNDS; i++) {
            anos_yield();
        }
        v[s] = minus(anos_cycles() - t0, overhead) / (2 * YIELD_ROUNDS);
    }
    anos_process_kill((Handle)h);
    anos_process_wait((Handle)h);
    anos_handle_close((Handle)h);
    report("yield_user", median(v, NOP_SAMPLES));
}

static void bench_ipc_rtt(const char *name, uint64_t overhead, uint64_t child_cpu, bool lend)
{
    Ramfs fs;
    Error err = anos_ramfs_open(&fs);
    int64_t ch = err == E_OK ? anos_channel_create() : err;
    if (ch < 0) {
        report_na(name, error_name((int)ch));
        return;
    }
    AnosGiveHandle give = {.handle = (Handle)ch, .rights = RIGHT_RECEIVE, .tag = ANOS_START_USER};
    AnosProcessSpec spec = {.handles = &give, .handle_count = 1, .cpu = child_cpu};
    anos_rights_add(spec.syscall_rights, SYS_PROCESS_EXIT);
    anos_rights_add(spec.syscall_rights, SYS_MAP_ANON);
    anos_rights_add(spec.syscall_rights, SYS_RECV);
    anos_rights_add(spec.syscall_rights, SYS_REPLY_RECV);
    anos_rights_add(spec.syscall_rights, SYS_IPC_AREA);
    int64_t h = anos_spawn_ramfs(&fs, "bin/ipc_echo", &spec);
    if (h < 0) {
        report_na(name, error_name((int)h));
        anos_handle_close((Handle)ch);
        return;
    }
    static _Alignas(4096) uint8_t buffer[4096];
    static AnosIpcArea area = {.send_buffer = (uintptr_t)buffer, .send_length = sizeof(buffer)};
    uint64_t tag = lend ? ANOS_IPC_TAG_BUFFER : 0;
    if (lend && anos_ipc_area(&area) != 0) {
        report_na(name, "no IPC area");
        return;
    }
    AnosIpcMsg m = {.tag = tag};
    for (int i = 0; i < YIELD_ROUNDS; i++) {
        m.tag = tag;
        anos_call((Handle)ch, &m); /* warm up: the server is now in its loop */
    }
    uint64_t v[NOP_SAMPLES];
    for (size_t s = 0; s < NOP_SAMPLES; s++) {
        uint64_t t0 = anos_cycles();
        for (int i = 0; i < YIELD_ROUNDS; i++) {
            m.tag = tag;
            anos_call((Handle)ch, &m);
        }
        v[s] = minus(anos_cycles() - t0, overhead) / YIELD_ROUNDS;
    }
    anos_channel_destroy((Handle)ch); /* the server exits */
    anos_process_wait((Handle)h);
    anos_handle_close((Handle)h);
    anos_handle_close((Handle)ch);
    report(name, median(v, NOP_SAMPLES));
}

int main(int argc, char **argv)
{
    uint64_t child_cpu = ANOS_CPU_ANY;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "child-cpu=", 10) == 0) {
            child_cpu = strtoull(argv[i] + 10, NULL, 10);
        }
    }
    uint64_t overhead = counter_overhead();
    bench_null_syscall(overhead);
    bench_page_fault(overhead);
    bench_spawn_exit(overhead, child_cpu);
    bench_yield_user(overhead, child_cpu);
    bench_ipc_rtt("ipc_rtt_reg", overhead, child_cpu, false);
    bench_ipc_rtt("ipc_rtt_4k", overhead, child_cpu, true);
    /* The server on the next CPU (n/a when there is none). */
    bench_ipc_rtt("ipc_rtt_xcpu", overhead, child_cpu == ANOS_CPU_ANY ? 1 : child_cpu + 1, false);
    return 0;
}
