/*
 * Self-tests of the SMP layer on the real machine: remote calls reach every
 * CPU, threads run on every CPU, and TLB shootdown leaves no stale mapping.
 */
#include <fault_probe.h>
#include <kprintf.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <mm/pmm.h>
#include <mm/vmm.h>
#include <sched/kstack.h>
#include <sched/thread.h>
#include <smp.h>
#include <smp_selftest.h>

/* A kernel-half page nothing else maps (root slot 509, past the mm
 * self-test's own scratch page). */
#define SHOOTDOWN_VA 0xFFFFFE8000200000ull

static uint32_t seen[MAX_CPUS];

static void record_cpu(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&seen[this_cpu()->index], 1, __ATOMIC_RELAXED);
}

static void pinned_thread(void *arg)
{
    uint32_t want = (uint32_t)(uintptr_t)arg;
    if (this_cpu()->index == want) {
        __atomic_fetch_add(&seen[want], 1, __ATOMIC_RELAXED);
    }
}

static bool fail(const char *why, uint32_t cpu)
{
    kprintf("smp selftest: %s (CPU %u)\n", why, cpu);
    return false;
}

bool smp_selftest(void)
{
    uint32_t n = smp_online_count();
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        seen[i] = 0;
    }
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        if (smp_cpu_online(i) && smp_call(i, record_cpu, NULL, true) != E_OK) {
            return fail("remote call refused", i);
        }
    }
    smp_call_others(record_cpu, NULL, true);
    uint32_t self = this_cpu()->index;
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        uint32_t want = !smp_cpu_online(i) ? 0 : i == self ? 1 : 2;
        if (seen[i] != want) {
            return fail("remote calls did not all arrive", i);
        }
    }
    if (smp_call(MAX_CPUS, record_cpu, NULL, true) != E_INVAL) {
        return fail("call to a CPU that does not exist not refused", MAX_CPUS);
    }

    /* One thread pinned to each CPU must find itself running there. */
    Thread *threads[MAX_CPUS];
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        seen[i] = 0;
        threads[i] = NULL;
        if (smp_cpu_online(i) &&
            thread_create_on(i, pinned_thread, (void *)(uintptr_t)i, SCHED_CLASS_NORMAL,
                             SCHED_LEVEL_DEFAULT, "pinned", &threads[i]) != E_OK) {
            return fail("thread_create_on failed", i);
        }
    }
    bool ok = true;
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        if (threads[i] != NULL) {
            thread_join(threads[i]);
            if (seen[i] != 1) {
                ok = fail("pinned thread did not run on its CPU", i);
            }
        }
    }
    if (ok) {
        kprintf("smp: remote calls and threads ran on all %u CPUs\n", n);
    }
    return ok;
}

static volatile uint64_t read_value[MAX_CPUS];
static volatile Error read_error[MAX_CPUS];

/* Reads the scratch page on the calling CPU through a fault probe, so that
 * a read of the unmapped page reports E_FAULT instead of panicking. */
static void read_scratch(void *arg)
{
    (void)arg;
    uint32_t cpu = this_cpu()->index;
    uint64_t value = 0;
    read_error[cpu] = probe_read_u64(SHOOTDOWN_VA, &value);
    read_value[cpu] = value;
}

/* Every online CPU reads the scratch page: the others by remote call, then
 * this one (threads never migrate, so this_cpu() stays put). True if each
 * got want_err and, for E_OK, the value want. */
static bool all_read(Error want_err, uint64_t want)
{
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        read_error[i] = E_BUSY; /* a CPU that never reads fails the check */
    }
    smp_call_others(read_scratch, NULL, true);
    read_scratch(NULL);
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        if (!smp_cpu_online(i) ||
            (read_error[i] == want_err && (want_err != E_OK || read_value[i] == want))) {
            continue;
        }
        if (read_error[i] == E_OK && want_err == E_OK) {
            kprintf("smp selftest: CPU %u read %llx through a stale mapping, want %llx\n", i,
                    (unsigned long long)read_value[i], (unsigned long long)want);
        } else if (read_error[i] == E_OK) {
            kprintf("smp selftest: CPU %u read %llx after the unmap: stale TLB entry\n", i,
                    (unsigned long long)read_value[i]);
        } else {
            kprintf("smp selftest: CPU %u got %s reading the scratch page, want %s\n", i,
                    error_name(read_error[i]), error_name(want_err));
        }
        return false;
    }
    return true;
}

static Error map_scratch(uint64_t pa)
{
    unsigned long flags = kmem_lock();
    Error err = vmm_map_page(mm_kernel_root(), SHOOTDOWN_VA, pa, VMM_READ | VMM_WRITE);
    kmem_unlock(flags);
    return err;
}

static Error unmap_scratch(void)
{
    unsigned long flags = kmem_lock();
    Error err = vmm_unmap_page(mm_kernel_root(), SHOOTDOWN_VA);
    kmem_unlock(flags);
    return err;
}

/*
 * Maps the scratch page to frame A, lets every CPU cache the translation by
 * reading it, then remaps it to frame B, 8 times over; finally unmaps it,
 * and every CPU's read must fault. A CPU whose TLB was not shot down still
 * reads the old frame (QEMU models per-CPU TLBs, so this does fail when the
 * shootdown is missing). With one CPU it checks the local flush alone.
 */
bool tlb_shootdown_selftest(void)
{
    uint64_t a, b;
    unsigned long flags = kmem_lock();
    Error err = pmm_alloc_page(&mm_pmm, &a);
    if (err == E_OK && (err = pmm_alloc_page(&mm_pmm, &b)) != E_OK) {
        pmm_free_page(&mm_pmm, a);
    }
    kmem_unlock(flags);
    if (err != E_OK) {
        return fail("no pages for the test", this_cpu()->index);
    }
    *(volatile uint64_t *)phys_to_virt(a) = 0xAAAA;
    *(volatile uint64_t *)phys_to_virt(b) = 0xBBBB;

    bool ok = map_scratch(a) == E_OK && all_read(E_OK, 0xAAAA);
    for (int round = 0; ok && round < 8; round++) {
        uint64_t pa = round % 2 ? a : b;
        uint64_t want = round % 2 ? 0xAAAA : 0xBBBB;
        ok = unmap_scratch() == E_OK && map_scratch(pa) == E_OK && all_read(E_OK, want);
    }
    /* Every CPU has the last mapping cached: after the unmap none may
     * reach the frame. */
    ok = ok && unmap_scratch() == E_OK && all_read(E_FAULT, 0);
    if (ok) {
        kprintf("smp: TLB shootdown: %u CPUs saw every remap and faulted after the unmap\n",
                smp_online_count());
    }
    unmap_scratch(); /* E_NOENT unless a check failed with the page mapped */
    flags = kmem_lock();
    pmm_free_page(&mm_pmm, a);
    pmm_free_page(&mm_pmm, b);
    kmem_unlock(flags);
    return ok;
}
