/*
 * Lent-buffer records (ipc/ipc_lend.h).
 */
#include <ipc/ipc_lend.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <sched/kstack.h>

Error ipc_lend_create(uint64_t pa, uint64_t length, IpcLend **out)
{
    void *mem;
    unsigned long flags = kmem_lock();
    Error err = slab_alloc(sizeof(IpcLend), &mem);
    kmem_unlock(flags);
    if (err != E_OK) {
        return err;
    }
    IpcLend *l = mem;
    *l = (IpcLend){.pa = pa, .length = length, .refs = 2, .given_up = false};
    *out = l;
    return E_OK;
}

void ipc_lend_release(IpcLend *l)
{
    /* Acquire-release: the last holder sees given_up and every unmap the
     * others did before letting go. */
    if (__atomic_sub_fetch(&l->refs, 1, __ATOMIC_ACQ_REL) != 0) {
        return;
    }
    if (__atomic_load_n(&l->given_up, __ATOMIC_ACQUIRE)) {
        pmm_free_page(&mm_pmm, l->pa);
    }
    unsigned long flags = kmem_lock();
    slab_free(l);
    kmem_unlock(flags);
}
