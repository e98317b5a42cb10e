/*
 * The channel state machine: who is queued, who serves whom, what a
 * destroyed channel or a dead thread leaves behind. Pure (no locks, no
 * scheduler): every function runs under the channel's lock and returns the
 * threads to wake, which the kernel wakes after unlocking; host-tested in
 * tests/host/ipc/. docs/IPC.md (the IPC issue) describes the model.
 *
 * A call is synchronous: the caller queues its message (or hands it
 * straight to a waiting receiver) and waits for the reply; a receiver
 * takes one message at a time and must reply before it receives again
 * (the reply goes to the caller it took the message from: no reply
 * capability to forge). Receivers wait in priority order, callers in
 * arrival order. A thread has two roles at once: it may serve one call
 * (ipc.client) while making its own (ipc.state, ipc.server), as a server
 * that asks another server on behalf of its client.
 */
#ifndef ANOS_KERNEL_IPC_CHANNEL_CORE_H
#define ANOS_KERNEL_IPC_CHANNEL_CORE_H

#include <anos/errors.h>
#include <ipc/ipc_types.h>
#include <sched/thread.h>
#include <stdbool.h>
#include <stdint.h>

/* The queues of one channel (embedded in the kernel's Channel object). */
typedef struct ChanCore {
    bool closed;
    Thread *callers;   /* IPC_CALLING, FIFO */
    Thread *served;    /* IPC_AWAIT_REPLY through this channel, any order */
    Thread *receivers; /* IPC_RECEIVING, by priority, FIFO within one */
    uint32_t caller_count, served_count, receiver_count;
} ChanCore;

void chan_core_init(ChanCore *c);

/*
 * Messages travel in Thread.ipc.msg: the sender's holds what it sends, and
 * the kernel copies it into the receiver's.
 *
 * self calls with the message in its ipc.msg. If a receiver waits, the
 * most urgent one gets the message (*wake: wake it) and self waits for the
 * reply; otherwise self is queued (*wake NULL). Either way, on E_OK self
 * sleeps until a reply or a failure ends its wait (ipc.state IPC_IDLE),
 * then finds ipc.result and the reply in ipc.msg.
 * E_NOENT closed channel; E_BUSY self is already in a call or serving one.
 */
Error chan_core_call(ChanCore *c, struct Channel *ch, Thread *self, Thread **wake);

/*
 * self receives. If a caller is queued, its message goes to self's
 * ipc.msg at once (E_OK, no wait) and self now serves it; otherwise self
 * is queued by priority and *queued is set (it sleeps until a call or a
 * failure ends its wait: then ipc.result, and on E_OK the message in
 * ipc.msg). E_NOENT closed; E_BUSY self still serves a call (reply first).
 */
Error chan_core_recv(ChanCore *c, struct Channel *ch, Thread *self, unsigned priority,
                     bool *queued);

/* Does t serve a call (received, not yet replied to, even if its caller
 * has gone since)? */
static inline bool chan_core_serving(const Thread *t)
{
    return t->ipc.client != NULL || t->ipc.client_gone;
}

/*
 * self replies, with the message in its ipc.msg, to the caller it serves:
 * the caller gets it and E_OK and is woken. E_INVAL when self serves no call (never received, or
 * already replied); E_NOENT when the caller is gone (died, or the channel was destroyed): nothing
 * to deliver, and self serves nothing any more. c is the core of the channel self received through.
 */
Error chan_core_reply(ChanCore *c, Thread *self, Thread **wake);

/* Destroys the channel's queues: every queued caller and receiver, and
 * every caller awaiting a reply, gets E_NOENT; their servers serve nothing
 * any more. Returns them, linked through ipc.next, for the kernel to wake.
 * Later calls and receives fail with E_NOENT. */
Thread *chan_core_close(ChanCore *c);

/*
 * t stops waiting on c (a kill ends its wait): a queued caller or receiver
 * is dequeued; a caller awaiting a reply is dropped and its server's reply
 * will find E_NOENT. t ends IPC_IDLE. The call t serves, if any, is not
 * touched (see chan_core_abandon). c is the channel of t's wait.
 */
void chan_core_cancel(ChanCore *c, Thread *t);

/* t (exiting) gives up the call it serves on c: its caller gets E_NOENT
 * and is returned, to be woken (NULL when there is none). */
Thread *chan_core_abandon(ChanCore *c, Thread *t);

#endif
