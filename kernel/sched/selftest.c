/*
 * Scheduler self-tests (sched/selftest.h): threads run, exit and give back
 * their stacks; yields alternate; priorities order; sleeps are never early;
 * locks count exactly under contention; a storm of short sleeps loses no
 * wake-up.
 */
#include <clock.h>
#include <kprintf.h>
#include <mm/mm.h>
#include <percpu.h>
#include <sched/kstack.h>
#include <sched/mutex.h>
#include <sched/sched.h>
#include <sched/selftest.h>

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        kprintf("sched selftest: " __VA_ARGS__);                                                   \
        kprintf("\n");                                                                             \
        return false;                                                                              \
    } while (0)

#define MS 1000000ull
#define US 1000ull

static uint64_t pmm_free_now(void)
{
    unsigned long flags = kmem_lock();
    PmmStats s;
    pmm_stats(&mm_pmm, &s);
    kmem_unlock(flags);
    return s.free_pages;
}

/* Creates count threads, all on this CPU when `local`. */
static bool spawn(Thread **threads, int count, ThreadEntry entry, void **args, SchedClass cls,
                  const unsigned *levels, bool local, const char *name)
{
    for (int i = 0; i < count; i++) {
        unsigned level = levels != NULL ? levels[i] : SCHED_LEVEL_DEFAULT;
        Error err = local ? thread_create_on(this_cpu()->index, entry, args[i], cls, level, name,
                                             &threads[i])
                          : thread_create(entry, args[i], cls, level, name, &threads[i]);
        if (err != E_OK) {
            kprintf("sched selftest: thread_create: %s\n", error_name(err));
            return false;
        }
    }
    return true;
}

static bool join_all(Thread **threads, int count)
{
    for (int i = 0; i < count; i++) {
        if (thread_join(threads[i]) != E_OK) {
            return false;
        }
    }
    return true;
}

/* ---- threads: run, exit, stacks reclaimed; yields alternate; priorities ---- */

#define RUN_THREADS 8

static uint64_t run_sum;

static void run_entry(void *arg)
{
    __atomic_fetch_add(&run_sum, (uint64_t)(uintptr_t)arg, __ATOMIC_RELAXED);
}

static bool thread_run_exit(void)
{
    uint64_t free_before = pmm_free_now();
    uint32_t stacks_before = kstack_count();
    Thread *threads[RUN_THREADS];
    void *args[RUN_THREADS];
    for (int i = 0; i < RUN_THREADS; i++) {
        args[i] = (void *)(uintptr_t)(i + 1);
    }
    run_sum = 0;
    if (!spawn(threads, RUN_THREADS, run_entry, args, SCHED_CLASS_NORMAL, NULL, false, "run") ||
        !join_all(threads, RUN_THREADS)) {
        return false;
    }
    if (run_sum != RUN_THREADS * (RUN_THREADS + 1) / 2) {
        FAIL("threads summed %llu", (unsigned long long)run_sum);
    }
    uint64_t free_after = pmm_free_now();
    if (free_after != free_before || kstack_count() != stacks_before) {
        FAIL("stacks not reclaimed: %llu free pages before, %llu after",
             (unsigned long long)free_before, (unsigned long long)free_after);
    }
    kprintf("sched: %d threads ran and exited, %llu free pages before and after\n", RUN_THREADS,
            (unsigned long long)free_after);
    return true;
}

#define LOG_MAX 64

/* An append-only log of small integers written by the test threads. */
static int order_log[LOG_MAX];
static int order_len;

static void order_append(int v)
{
    int i = __atomic_fetch_add(&order_len, 1, __ATOMIC_RELAXED);
    if (i < LOG_MAX) {
        order_log[i] = v;
    }
}

#define YIELD_ROUNDS 5

static void yield_entry(void *arg)
{
    for (int i = 0; i < YIELD_ROUNDS; i++) {
        order_append((int)(uintptr_t)arg);
        sched_yield();
    }
}

/* Two REALTIME threads (not time sliced) at one level must alternate. */
static bool thread_yield_alternates(void)
{
    Thread *threads[2];
    void *args[2] = {(void *)1, (void *)2};
    order_len = 0;
    /* Create both at our own priority so neither starts before the other
     * exists, then step below them and let them run. */
    thread_set_priority(SCHED_CLASS_REALTIME, 10);
    bool ok = spawn(threads, 2, yield_entry, args, SCHED_CLASS_REALTIME, (unsigned[]){10, 10}, true,
                    "yield");
    thread_set_priority(SCHED_CLASS_REALTIME, 11);
    thread_set_priority(SCHED_CLASS_NORMAL, SCHED_LEVEL_DEFAULT);
    if (!ok || !join_all(threads, 2)) {
        return false;
    }
    if (order_len != 2 * YIELD_ROUNDS) {
        FAIL("yield: %d entries", order_len);
    }
    for (int i = 0; i < order_len; i++) {
        if (order_log[i] != 1 + i % 2) {
            FAIL("yield: entry %d is thread %d", i, order_log[i]);
        }
    }
    return true;
}

static void prio_entry(void *arg)
{
    order_append((int)(uintptr_t)arg);
}

/* Threads created while we run at the top run strictly by class, then
 * level, then creation order, once we drop below all of them. */
static bool thread_priorities(void)
{
    enum { N = 6 };
    static const SchedClass classes[N] = {SCHED_CLASS_NORMAL, SCHED_CLASS_HIGH,
                                          SCHED_CLASS_HIGH,   SCHED_CLASS_IDLE,
                                          SCHED_CLASS_NORMAL, SCHED_CLASS_REALTIME};
    static const unsigned levels[N] = {10, 200, 5, 0, 10, 254};
    static const int expected[N] = {6, 3, 2, 1, 5, 4};
    Thread *threads[N];
    order_len = 0;
    thread_set_priority(SCHED_CLASS_REALTIME, 0);
    for (int i = 0; i < N; i++) {
        Error err = thread_create_on(this_cpu()->index, prio_entry, (void *)(uintptr_t)(i + 1),
                                     classes[i], levels[i], "prio", &threads[i]);
        if (err != E_OK) {
            FAIL("priorities: thread_create: %s", error_name(err));
        }
    }
    thread_set_priority(SCHED_CLASS_IDLE, SCHED_LEVELS - 1); /* they all run now */
    thread_set_priority(SCHED_CLASS_NORMAL, SCHED_LEVEL_DEFAULT);
    if (!join_all(threads, N)) {
        return false;
    }
    for (int i = 0; i < N; i++) {
        if (i >= order_len || order_log[i] != expected[i]) {
            FAIL("priorities: position %d ran thread %d, expected %d", i,
                 i < order_len ? order_log[i] : -1, expected[i]);
        }
    }
    return true;
}

bool thread_selftest(void)
{
    return thread_run_exit() && thread_yield_alternates() && thread_priorities();
}

/* ---- sleep ---- */

static bool sleep_once(uint64_t ns)
{
    uint64_t start = clock_ns();
    sched_sleep_ns(ns);
    uint64_t took = clock_ns() - start;
    kprintf("sleep: asked %llu.%03llu ms, woke after %llu.%03llu ms\n",
            (unsigned long long)(ns / MS), (unsigned long long)(ns % MS / US),
            (unsigned long long)(took / MS), (unsigned long long)(took % MS / US));
    if (took < ns) {
        FAIL("sleep woke %llu ns early", (unsigned long long)(ns - took));
    }
    /* Under TCG a wake-up can be late by host scheduling: with 16 vCPUs on
     * 2 host cores, 50 ms late has been seen. Never early is the property;
     * this bound only catches a wake-up that did not come at all in time
     * (a lost sleeper would wait for ever, or for an unrelated event). */
    if (took > 2 * ns + 250 * MS) {
        FAIL("sleep woke absurdly late");
    }
    return true;
}

bool sleep_selftest(void)
{
    return sleep_once(10 * MS) && sleep_once(1 * MS) && sleep_once(50 * MS) && sleep_once(100 * US);
}

/* ---- mutex and spinlock contention ---- */

/* Few rounds: with threads on different CPUs every mutex hand-off is an IPI
 * and a context switch, and under TCG with more vCPUs than host cores every
 * ticket-lock hand-off waits for the host to run the next ticket's vCPU
 * (about 1 ms at 16 CPUs on 2 host cores). Correctness, not speed, is what
 * this checks: the count must come out exact. */
#define LOCK_THREADS 8
#define MUTEX_ROUNDS 1000
#define SPIN_ROUNDS  1000

static Mutex counter_mutex = MUTEX_INIT;
static Spinlock counter_spin = SPINLOCK_INIT;
static volatile uint64_t counter;

static void mutex_entry(void *arg)
{
    for (int i = 0; i < MUTEX_ROUNDS; i++) {
        mutex_lock(&counter_mutex);
        uint64_t v = counter;
        if (i % 128 == 0) {
            sched_yield(); /* let the others queue up: exercises the hand-off */
        }
        counter = v + 1;
        mutex_unlock(&counter_mutex);
    }
}

static void spin_entry(void *arg)
{
    for (int i = 0; i < SPIN_ROUNDS; i++) {
        unsigned long flags = spin_lock_irqsave(&counter_spin);
        uint64_t v = counter;
        counter = v + 1;
        spin_unlock_irqrestore(&counter_spin, flags);
    }
}

static bool lock_contention(ThreadEntry entry, int rounds, const char *what)
{
    Thread *threads[LOCK_THREADS];
    void *args[LOCK_THREADS] = {0};
    counter = 0;
    uint64_t start = clock_ns();
    if (!spawn(threads, LOCK_THREADS, entry, args, SCHED_CLASS_NORMAL, NULL, false, what) ||
        !join_all(threads, LOCK_THREADS)) {
        return false;
    }
    uint64_t took = clock_ns() - start;
    kprintf("%s: %d threads x %d increments = %llu in %llu ms\n", what, LOCK_THREADS, rounds,
            (unsigned long long)counter, (unsigned long long)(took / MS));
    if (counter != (uint64_t)LOCK_THREADS * (uint64_t)rounds) {
        FAIL("%s: counter %llu", what, (unsigned long long)counter);
    }
    return true;
}

static bool mutex_basics(void)
{
    Mutex m;
    mutex_init(&m);
    if (!mutex_trylock(&m) || mutex_trylock(&m) || m.owner != thread_current()) {
        FAIL("mutex_trylock on a free / held mutex");
    }
    mutex_unlock(&m);
    if (m.owner != NULL) {
        FAIL("mutex_unlock left an owner");
    }
    return true;
}

bool mutex_selftest(void)
{
    return mutex_basics() && lock_contention(mutex_entry, MUTEX_ROUNDS, "mutex") &&
           lock_contention(spin_entry, SPIN_ROUNDS, "spinlock");
}

/* ---- timer storm ---- */

#define STORM_THREADS 8
#define STORM_ROUNDS  100

static uint32_t storm_wakeups;
static uint32_t storm_early;
static uint32_t storm_done;

static void storm_entry(void *arg)
{
    uint64_t seed = (uint64_t)(uintptr_t)arg * 2654435761u;
    for (int i = 0; i < STORM_ROUNDS; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t ns = 20 * US + (seed >> 33) % (300 * US);
        uint64_t deadline = clock_ns() + ns;
        sched_sleep_ns(ns);
        if (clock_ns() < deadline) {
            __atomic_fetch_add(&storm_early, 1, __ATOMIC_RELAXED);
        }
        __atomic_fetch_add(&storm_wakeups, 1, __ATOMIC_RELAXED);
    }
    __atomic_fetch_add(&storm_done, 1, __ATOMIC_RELAXED);
}

static bool storm_finished(void *arg)
{
    (void)arg;
    return __atomic_load_n(&storm_done, __ATOMIC_RELAXED) == STORM_THREADS;
}

/* Busy for 100 ms: the slice tick must keep coming while nobody sleeps
 * (10 expected; a loaded TCG host may delay some). */
static bool timer_ticks_while_busy(void)
{
    uint64_t ticks = this_cpu()->timer_interrupts;
    uint64_t end = clock_ns() + 100 * MS;
    while (clock_ns() < end) {
    }
    uint64_t got = this_cpu()->timer_interrupts - ticks;
    kprintf("timer: %llu ticks in 100 ms of busy waiting\n", (unsigned long long)got);
    if (got < 2) {
        FAIL("timer: only %llu ticks in 100 ms", (unsigned long long)got);
    }
    return true;
}

bool timer_selftest(void)
{
    if (!timer_ticks_while_busy()) {
        return false;
    }
    Thread *threads[STORM_THREADS];
    void *args[STORM_THREADS];
    for (int i = 0; i < STORM_THREADS; i++) {
        args[i] = (void *)(uintptr_t)(i + 1);
    }
    storm_wakeups = storm_early = storm_done = 0;
    uint64_t ticks = this_cpu()->timer_interrupts;
    uint64_t start = clock_ns();
    if (!spawn(threads, STORM_THREADS, storm_entry, args, SCHED_CLASS_NORMAL, NULL, false,
               "storm")) {
        return false;
    }
    /* A lost wake-up would leave a thread asleep forever: bounded wait. */
    uint64_t limit = clock_ns() + 10000 * MS;
    while (!storm_finished(NULL) && clock_ns() < limit) {
        sched_sleep_ns(10 * MS);
    }
    if (!storm_finished(NULL)) {
        FAIL("timer storm: %u of %d threads finished, %u wake-ups", storm_done, STORM_THREADS,
             storm_wakeups);
    }
    if (!join_all(threads, STORM_THREADS)) {
        return false;
    }
    kprintf("timer storm: %d threads x %d sleeps, %u wake-ups, %u early, %llu timer interrupts in "
            "%llu ms\n",
            STORM_THREADS, STORM_ROUNDS, storm_wakeups, storm_early,
            (unsigned long long)(this_cpu()->timer_interrupts - ticks),
            (unsigned long long)((clock_ns() - start) / MS));
    if (storm_wakeups != STORM_THREADS * STORM_ROUNDS || storm_early != 0) {
        FAIL("timer storm: wake-ups lost or early");
    }
    return true;
}
