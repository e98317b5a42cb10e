/*
 * Lent-buffer records (ipc/ipc_lend.h).
 */
#include <ipc/ipc_lend.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <sched/kstack.h>

Error ipc_lend_create(IpcLend **spare, uint64_t pa, uint64_t length, IpcLend **out)
{
    IpcLend *l = *spare;
    *spare = NULL;
    if (l == NULL) {
        void *mem;
        unsigned long flags = kmem_lock();
        Error err = slab_alloc(sizeof(IpcLend), &mem);
        kmem_unlock(flags);
        if (err != E_OK) {
            return err;
        }
        l = mem;
    }
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

void ipc_lend_done(IpcLend **spare, IpcLend *l)
{
    if (*spare == NULL && !__atomic_load_n(&l->given_up, __ATOMIC_ACQUIRE) &&
        __atomic_load_n(&l->refs, __ATOMIC_ACQUIRE) == 1) {
        *spare = l; /* nobody else holds it: the next call reuses it */
        return;
    }
    ipc_lend_release(l);
}
