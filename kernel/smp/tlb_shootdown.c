/*
 * TLB shootdown: after the VMM has removed a translation and flushed this
 * CPU's TLB, every other online CPU flushes it too before the unmap returns,
 * so no CPU can still reach a page the caller is about to reuse.
 *
 * A change in the kernel half (shared by all) asks every CPU. A change in
 * a user address space asks only the CPUs that have it loaded
 * (PerCpu.active_root): a CPU loads a root only after publishing it there
 * with a full fence (proc_switch), and this side reads the roots after a
 * full fence following the page-table change, so a CPU either is asked or
 * walks the new tables. Loading a root flushes its old translations (no
 * PCIDs or ASIDs yet), so a CPU that ran the space before holds nothing
 * stale. Batching ranges into one request is a later optimisation.
 */
#include <arch/tlb.h>
#include <mm/mm.h>
#include <mm/vmm.h>
#include <smp.h>

#include "smp_internal.h"

typedef struct FlushRequest {
    uint64_t va;
    bool walk_freed;
} FlushRequest;

static void flush_here(void *arg)
{
    const FlushRequest *req = arg;
    arch_tlb_flush_page(req->va);
    if (req->walk_freed) {
        arch_tlb_flush_walk(req->va);
    }
}

/* The CPUs that may hold translations of root. */
static uint64_t cpus_using(uint64_t root)
{
    if (root == mm_kernel_root()) {
        return ~0ull;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the page-table change, then the roots */
    uint64_t set = 0;
    uint64_t online = smp_online_cpus();
    for (uint32_t i = 0; online != 0; i++, online >>= 1) {
        if ((online & 1) != 0 &&
            __atomic_load_n(&smp_cpu(i)->active_root, __ATOMIC_RELAXED) == root) {
            set |= 1ull << i;
        }
    }
    return set;
}

static void remote_flush(uint64_t root, uint64_t va, bool walk_freed)
{
    if (smp_online_count() < 2) {
        return;
    }
    uint64_t cpus = cpus_using(root) & ~(1ull << this_cpu()->index);
    if (cpus == 0) {
        return;
    }
    FlushRequest req = {.va = va, .walk_freed = walk_freed};
    smp_call_set(cpus, flush_here, &req, true);
}

void smp_tlb_shootdown_init(void)
{
    vmm_set_remote_flush(remote_flush);
}
