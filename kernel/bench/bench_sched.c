/*
 * Scheduler figures: a yield from one kernel thread to another on the same
 * CPU (ctx_switch), and creating a thread and joining it after it exits
 * (thread_create_join).
 */
#include <kprintf.h>
#include <percpu.h>
#include <sched/sched.h>
#include <sched/thread.h>

#include "bench_internal.h"

#define SWITCH_SAMPLES 1000
#define SWITCH_WARMUP  16 /* switches not recorded: first runs, cold paths */
#define CREATE_SAMPLES 64

/*
 * The ping-pong: a thread stamps the counter and its id just before
 * sched_yield; the thread that returns from its own sched_yield reads the
 * counter and, when the stamp is the other thread's, the interval is one
 * switch: the whole of sched_yield from one thread into the other.
 * Written and read only by the two threads of one CPU (never at once).
 */
static volatile uint64_t stamp_ticks;
static volatile uint32_t stamp_owner;
static volatile uint32_t switches_seen;
static volatile uint32_t samples_taken;

static void bench_pingpong(void *arg)
{
    uint32_t me = (uint32_t)(uintptr_t)arg;
    while (samples_taken < SWITCH_SAMPLES) {
        stamp_owner = me;
        stamp_ticks = arch_bench_counter();
        sched_yield();
        uint64_t now = arch_bench_counter();
        if (stamp_owner != me) {
            uint32_t seen = switches_seen++;
            if (seen >= SWITCH_WARMUP && samples_taken < SWITCH_SAMPLES) {
                bench_samples[samples_taken++] = now - stamp_ticks;
            }
        }
    }
}

/* Runs fn at (REALTIME, 0) so that threads it creates at a lower level
 * wait until it blocks, then restores the caller's priority. */
static void bench_as_realtime(void (*fn)(void))
{
    Thread *self = thread_current();
    SchedClass cls = (SchedClass)self->sched_class;
    unsigned level = self->level;
    thread_set_priority(SCHED_CLASS_REALTIME, 0);
    fn();
    thread_set_priority(cls, level);
}

static void bench_ctx_switch_run(void)
{
    uint32_t cpu = this_cpu()->index;
    Thread *a, *b;
    switches_seen = 0;
    samples_taken = 0;
    /* Both at REALTIME 1, pinned here: they start only when the caller
     * (REALTIME 0) blocks in thread_join, then only yield to each other. */
    Error err =
        thread_create_on(cpu, bench_pingpong, (void *)1, SCHED_CLASS_REALTIME, 1, "bench-ping", &a);
    if (err != E_OK) {
        bench_report_na("ctx_switch", error_name(err));
        return;
    }
    err =
        thread_create_on(cpu, bench_pingpong, (void *)2, SCHED_CLASS_REALTIME, 1, "bench-pong", &b);
    if (err != E_OK) {
        samples_taken = SWITCH_SAMPLES; /* lets ping end on its own */
        thread_join(a);
        bench_report_na("ctx_switch", error_name(err));
        return;
    }
    thread_join(a);
    thread_join(b);
    BenchStats s = bench_stats(bench_samples, samples_taken);
    bench_report("ctx_switch", &s);
}

void bench_ctx_switch(void)
{
    bench_as_realtime(bench_ctx_switch_run);
}

static void bench_empty_thread(void *arg)
{
    (void)arg;
}

static void bench_thread_create_join_run(void)
{
    uint32_t cpu = this_cpu()->index;
    uint32_t count = 0;
    for (uint32_t i = 0; i < CREATE_SAMPLES; i++) {
        Thread *t;
        uint64_t t0 = arch_bench_counter();
        Error err =
            thread_create_on(cpu, bench_empty_thread, NULL, SCHED_CLASS_REALTIME, 1, "bench-t", &t);
        if (err != E_OK) {
            kprintf("bench: thread_create_join: %s\n", error_name(err));
            break;
        }
        thread_join(t);
        uint64_t t1 = arch_bench_counter();
        bench_samples[count++] = t1 - t0;
    }
    if (count == 0) {
        bench_report_na("thread_create_join", "thread_create failed");
        return;
    }
    BenchStats s = bench_stats(bench_samples, count);
    bench_report("thread_create_join", &s);
}

void bench_thread_create_join(void)
{
    bench_as_realtime(bench_thread_create_join_run);
}
