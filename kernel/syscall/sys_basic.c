/*
 * Small syscalls: the null call, debug output, time, yielding and sleeping,
 * memory statistics and the kernel log.
 */
#include <clock.h>
#include <console.h>
#include <mm/mm.h>
#include <proc/process.h>
#include <proc/uaccess.h>
#include <sched/sched.h>

#include "sys.h"

/* Bytes debug_write copies per console write: each chunk reaches the
 * console as one unit, so lines up to this length never interleave. */
#define DEBUG_WRITE_CHUNK 512
/* klog_read polls at this interval while the log has nothing new. */
#define KLOG_POLL_NS 10000000ull

int64_t sys_nop(SYSCALL_ARGS)
{
    return 0;
}

int64_t sys_debug_write(SYSCALL_ARGS)
{
    uint64_t buf = a0, len = a1;
    Error err = user_range_check(buf, len, 1);
    if (err != E_OK) {
        return err;
    }
    char chunk[DEBUG_WRITE_CHUNK];
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
        if ((err = copy_from_user(chunk, buf + done, n, 1)) != E_OK) {
            return err;
        }
        console_write(chunk, n);
        done += n;
    }
    return (int64_t)len;
}

/* User threads stay in the NORMAL class: the level within it is theirs
 * to choose (SYSTEM decides who holds this right). */
int64_t sys_thread_priority(SYSCALL_ARGS)
{
    if (a0 >= SCHED_LEVELS) {
        return E_INVAL;
    }
    return thread_set_priority(SCHED_CLASS_NORMAL, (unsigned)a0);
}

int64_t sys_yield(SYSCALL_ARGS)
{
    sched_yield_irqs_on(); /* syscall handlers run with interrupts on */
    return 0;
}

int64_t sys_sleep(SYSCALL_ARGS)
{
    if (a0 == 0) {
        sched_yield();
        return 0;
    }
    /* At least a0 ns, even if a sleep is cut short (an interrupt meant for
     * an earlier SYS_IRQ_WAIT of this thread); a kill ends it at once. */
    uint64_t now = clock_ns();
    uint64_t deadline = now + a0 < now ? UINT64_MAX : now + a0;
    while (now < deadline && !__atomic_load_n(&thread_current()->kill_pending, __ATOMIC_ACQUIRE)) {
        sched_sleep_ns(deadline - now);
        now = clock_ns();
    }
    return 0;
}

int64_t sys_clock(SYSCALL_ARGS)
{
    return (int64_t)clock_ns();
}

int64_t sys_meminfo(SYSCALL_ARGS)
{
    Error err = user_range_check(a0, sizeof(AnosMemInfo), 8);
    if (err != E_OK) {
        return err;
    }
    PmmStats st;
    pmm_stats(&mm_pmm, &st);
    AnosMemInfo info = {
        .page_size = MM_PAGE_SIZE,
        .total_pages = st.total_pages,
        .free_pages = st.free_pages,
        .process_pages = __atomic_load_n(&process_current()->vm.owned_pages, __ATOMIC_RELAXED),
    };
    return copy_to_user(a0, &info, sizeof(info), 8);
}

int64_t sys_klog_read(SYSCALL_ARGS)
{
    uint64_t buf = a0, len = a1, seq_ptr = a2;
    Error err = user_range_check(buf, len, 1);
    if (err == E_OK) {
        err = user_range_check(seq_ptr, sizeof(uint64_t), 8);
    }
    if (err != E_OK) {
        return err;
    }
    uint64_t seq;
    if ((err = copy_from_user(&seq, seq_ptr, sizeof(seq), 8)) != E_OK) {
        return err;
    }
    char chunk[DEBUG_WRITE_CHUNK];
    uint64_t want = len < sizeof(chunk) ? len : sizeof(chunk);
    size_t got;
    while ((got = klog_ring_read(&seq, chunk, want, NULL)) == 0 && want > 0) {
        if (__atomic_load_n(&thread_current()->kill_pending, __ATOMIC_ACQUIRE)) {
            return E_AGAIN;
        }
        sched_sleep_ns(KLOG_POLL_NS);
    }
    if ((err = copy_to_user(buf, chunk, got, 1)) != E_OK ||
        (err = copy_to_user(seq_ptr, &seq, sizeof(seq), 8)) != E_OK) {
        return err;
    }
    return (int64_t)got;
}
