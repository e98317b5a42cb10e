/*
 * TLB shootdown: after the VMM has removed a translation and flushed this
 * CPU's TLB, every other online CPU flushes it too before the unmap returns,
 * so no CPU can still reach a page the caller is about to reuse.
 *
 * Every CPU is asked, not just those running the address space: the kernel
 * half is shared by all, and user address spaces do not track where they run
 * yet. Batching ranges into one request is a later optimisation.
 */
#include <arch/tlb.h>
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

static void remote_flush(uint64_t root, uint64_t va, bool walk_freed)
{
    (void)root;
    if (smp_online_count() < 2) {
        return;
    }
    FlushRequest req = {.va = va, .walk_freed = walk_freed};
    smp_call_others(flush_here, &req, true);
}

void smp_tlb_shootdown_init(void)
{
    vmm_set_remote_flush(remote_flush);
}
