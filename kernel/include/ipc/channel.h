/*
 * Channels as kernel objects: the state machine of ipc/channel_core.h
 * under a lock, with threads blocking and waking around it. The syscalls
 * (kernel/syscall/sys_ipc.c) and processes (exits) use this. Every call
 * works on the calling thread's Thread.ipc.msg: the message it sends
 * before, the message it got after.
 */
#ifndef ANOS_KERNEL_IPC_CHANNEL_H
#define ANOS_KERNEL_IPC_CHANNEL_H

#include <anos/errors.h>
#include <anos/handle.h>
#include <cap/object.h>
#include <ipc/channel_core.h>
#include <proc/process.h>
#include <sched/sched.h>
#include <spinlock.h>

typedef struct Channel {
    KObject obj; /* KOBJ_CHANNEL */
    Spinlock lock;
    ChanCore core; /* [lock] */
} Channel;

Error channel_create(Channel **out);

/* Has self's wait ended (a partner, the channel's close or a cancel set
 * its result)? The state is written last, with release. */
static inline bool channel_wait_over(const Thread *self)
{
    return __atomic_load_n(&self->ipc.state, __ATOMIC_ACQUIRE) == IPC_IDLE;
}

/* The rest of a wait that channel_wait could not finish at once: wakes
 * `to` unless it was handed the CPU (`blocked`), blocks until the wait is
 * over, and ends it with E_AGAIN on a kill. ch->lock held unless blocked,
 * interrupts off; returns self's result with the lock released. */
Error channel_wait_rest(Channel *ch, Thread *self, Thread *to, bool blocked);

/*
 * Waits until self's call or receive, just queued or paired under
 * ch->lock (held, interrupts off), is over; `to` (may be NULL) is the
 * thread the pairing made runnable, which runs first: on this CPU it is
 * handed the CPU at once (sched_handoff). A kill ends the wait with
 * E_AGAIN, undoing whatever self still has on the channel. Returns self's
 * result with ch->lock released and interrupts still off.
 */
static inline __attribute__((always_inline)) Error channel_wait(Channel *ch, Thread *self,
                                                                Thread *to)
{
    bool blocked = to != NULL && sched_handoff(&ch->lock, to);
    if (blocked && channel_wait_over(self)) {
        return self->ipc.result;
    }
    return channel_wait_rest(ch, self, to, blocked);
}

/*
 * The channel the caller's handle h names, if h carries `need`. The
 * caller's last IPC handle is cached in its Thread.ipc with a reference,
 * so the usual lookup is one indexed load and a compare: the handle table
 * slot still holds h (a close or a reuse changes the slot's value). The
 * result stays valid until the caller's next lookup: no reference to drop.
 * E_NOENT not a live handle; E_INVAL not a channel; E_PERM lacks `need`.
 */
Error channel_lookup_slow(Thread *self, Handle h, Rights need, Channel **out);

static inline Error channel_lookup(Thread *self, Handle h, Rights need, Channel **out)
{
    const HandleTable *t = &self->process->handles;
    uint32_t index = handle_index(h);
    if (h != self->ipc.cache_handle || index >= t->capacity ||
        __atomic_load_n(&t->entries[index].handle, __ATOMIC_ACQUIRE) != h) {
        return channel_lookup_slow(self, h, need, out);
    }
    if (!rights_subset(need, self->ipc.cache_rights)) {
        return E_PERM;
    }
    *out = self->ipc.cache;
    return E_OK;
}

/* Fails every waiter with E_NOENT and every later call or receive. */
void channel_destroy(Channel *ch);

/* Sends the caller's message and waits for the reply, which replaces it.
 * E_NOENT destroyed, or the server died; E_AGAIN the caller is being
 * killed; E_BUSY in a call. The caller holds a reference to ch. */
Error channel_call(Channel *ch);

/* Replies first when `reply` (the caller's message, to the call it
 * serves), then waits for a message, which replaces the caller's. The
 * reply's errors are returned before any receive: E_INVAL no call to
 * reply to (never received, replied already, or received on another
 * channel); a caller that has gone (E_NOENT) is no error here. Receive
 * errors: E_NOENT destroyed; E_AGAIN the caller is being killed. On E_OK
 * the caller serves the call and holds a reference to ch in
 * Thread.ipc.serving (given from its own, which it no longer drops). */
Error channel_receive(Channel *ch, bool reply);

/* Replies to the call the caller serves, received on ch. E_INVAL no such
 * call; E_NOENT the caller is gone. */
Error channel_reply(Channel *ch);

/* Releases what a message still carries (never delivered): its handles
 * and its reference to a lent buffer. */
void ipc_extras_drop(IpcExtras *x);

/* The server self is done with the buffer lent by the call it serves (it
 * replies, or exits): the window leaves its address space. */
void channel_window_close(Thread *self);

/* The exiting thread self gives up the call it serves, if any (its
 * caller gets E_NOENT), and its cached channel. */
void channel_thread_exit(Thread *self);

#endif
