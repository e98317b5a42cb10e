/*
 * Remote function calls: a per-CPU FIFO of work items, filled by other CPUs
 * and drained by the target in its IPI_WORK handler. TLB shootdown and any
 * other "do this over there" are built on it.
 */
#include <arch/cpu.h>
#include <arch/ipi.h>
#include <smp.h>
#include <spinlock.h>
#include <stddef.h>

/* One request. Lives on the caller's stack when the caller waits, in the
 * per-CPU slot pool otherwise. `done` is written last by the target. */
typedef struct SmpWork {
    SmpCallFn fn;
    void *arg;
    struct SmpWork *next;
    uint32_t done;
    bool pooled; /* returned to the pool by the target when finished */
} SmpWork;

typedef struct SmpWorkQueue {
    Spinlock lock; /* protects head/tail; taken with interrupts off */
    SmpWork *head;
    SmpWork *tail;
} SmpWorkQueue;

static SmpWorkQueue queues[MAX_CPUS];

/* Fire-and-forget calls need storage that outlives the caller's frame: a
 * small pool per target, each slot claimed with an atomic flag. */
#define SMP_POOL_SLOTS 16
static SmpWork pool[MAX_CPUS][SMP_POOL_SLOTS];
static uint32_t pool_busy[MAX_CPUS][SMP_POOL_SLOTS];

static void queue_push(uint32_t index, SmpWork *w)
{
    SmpWorkQueue *q = &queues[index];
    unsigned long flags = spin_lock_irqsave(&q->lock);
    w->next = NULL;
    if (q->tail) {
        q->tail->next = w;
    } else {
        q->head = w;
    }
    q->tail = w;
    spin_unlock_irqrestore(&q->lock, flags);
}

static SmpWork *queue_take_all(uint32_t index)
{
    SmpWorkQueue *q = &queues[index];
    unsigned long flags = spin_lock_irqsave(&q->lock);
    SmpWork *list = q->head;
    q->head = q->tail = NULL;
    spin_unlock_irqrestore(&q->lock, flags);
    return list;
}

void smp_run_remote_calls(void)
{
    uint32_t self = this_cpu()->index;
    for (SmpWork *w = queue_take_all(self); w;) {
        SmpWork *next = w->next; /* read before `done`: the owner may reuse w */
        w->fn(w->arg);
        if (w->pooled) {
            uint32_t slot = (uint32_t)(w - pool[self]);
            __atomic_store_n(&pool_busy[self][slot], 0, __ATOMIC_RELEASE);
        } else {
            __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
        }
        w = next;
    }
}

static SmpWork *pool_claim(uint32_t index)
{
    for (;;) {
        for (uint32_t i = 0; i < SMP_POOL_SLOTS; i++) {
            uint32_t expected = 0;
            if (__atomic_compare_exchange_n(&pool_busy[index][i], &expected, 1, false,
                                            __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
                return &pool[index][i];
            }
        }
        /* All slots in flight: the target drains them; keep serving our own
         * queue meanwhile so a target calling us back can finish. */
        smp_run_remote_calls();
        arch_cpu_relax();
    }
}

static void wait_done(SmpWork *w)
{
    while (!__atomic_load_n(&w->done, __ATOMIC_ACQUIRE)) {
        smp_run_remote_calls();
        arch_cpu_relax();
    }
}

Error smp_call(uint32_t index, SmpCallFn fn, void *arg, bool wait)
{
    if (index >= MAX_CPUS || !smp_cpu_online(index)) {
        return E_INVAL;
    }
    if (index == this_cpu()->index) {
        unsigned long flags = arch_irq_save();
        fn(arg);
        arch_irq_restore(flags);
        return E_OK;
    }
    SmpWork local = {.fn = fn, .arg = arg};
    SmpWork *w = &local;
    if (!wait) {
        w = pool_claim(index);
        w->fn = fn;
        w->arg = arg;
        w->pooled = true;
    }
    queue_push(index, w);
    arch_ipi_send(smp_cpu_arch_id(index), IPI_WORK);
    if (wait) {
        wait_done(w);
    }
    return E_OK;
}

void smp_call_others(SmpCallFn fn, void *arg, bool wait)
{
    smp_call_set(~0ull, fn, arg, wait);
}

void smp_call_set(uint64_t cpus, SmpCallFn fn, void *arg, bool wait)
{
    _Static_assert(MAX_CPUS <= 64, "a CPU set is one word");
    SmpWork items[MAX_CPUS];
    bool sent[MAX_CPUS] = {false};
    uint32_t self = this_cpu()->index;
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        if (i == self || (cpus >> i & 1) == 0 || !smp_cpu_online(i)) {
            continue;
        }
        if (!wait) {
            smp_call(i, fn, arg, false);
            continue;
        }
        items[i] = (SmpWork){.fn = fn, .arg = arg};
        queue_push(i, &items[i]);
        arch_ipi_send(smp_cpu_arch_id(i), IPI_WORK);
        sent[i] = true;
    }
    /* Only the CPUs sent to: one coming online meanwhile has nothing queued. */
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        if (sent[i]) {
            wait_done(&items[i]);
        }
    }
}
