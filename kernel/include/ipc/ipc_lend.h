/*
 * A buffer lent by an IPC call: one page of the caller's memory, mapped
 * into the server that received the call until it replies. The record is
 * shared by the two sides and freed by the last to let go, which also
 * frees the frame when the caller gave it up (its call ended while the
 * server still held the page: the caller died, or the call failed).
 */
#ifndef ANOS_KERNEL_IPC_IPC_LEND_H
#define ANOS_KERNEL_IPC_IPC_LEND_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct IpcLend {
    uint64_t pa;     /* the lent frame */
    uint64_t length; /* bytes the caller lent, 1..ANOS_IPC_BUFFER_MAX */
    uint32_t refs;   /* atomic: the caller's, and the message's (then the server's) */
    bool given_up;   /* atomic: the frame is the record's to free */
} IpcLend;

/* A record with two references (the caller's and its message's): *spare
 * (a record the calling thread alone holds, kept from its last call) if
 * there is one, else a new one. E_NOMEM. */
Error ipc_lend_create(IpcLend **spare, uint64_t pa, uint64_t length, IpcLend **out);

/* The caller lets go of l: kept as its *spare when it is the last holder
 * and the frame was not given up (no allocation on the next call), else
 * released. */
void ipc_lend_done(IpcLend **spare, IpcLend *l);

/* Is someone besides the caller still holding it (the message in flight,
 * or a server mapping the page)? */
static inline bool ipc_lend_shared(const IpcLend *l)
{
    return __atomic_load_n(&l->refs, __ATOMIC_ACQUIRE) > 1;
}

/* The caller gives the frame up (it has taken the page out of its own
 * address space): the last reference frees it. */
static inline void ipc_lend_give_up(IpcLend *l)
{
    __atomic_store_n(&l->given_up, true, __ATOMIC_RELEASE);
}

/* Drops a reference; the last frees the record (and a given-up frame). */
void ipc_lend_release(IpcLend *l);

#endif
