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
#include <anos/syscall.h>
#include <ipc/ipc_types.h>
#include <sched/thread.h>
#include <stdbool.h>
#include <stddef.h>
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
 * The hot transitions (call, receive, reply) and their helpers are inline:
 * they are the IPC path, and a call per step costs more than the step.
 */

/* Does t serve a call (received, not yet replied to, even if its caller
 * has gone since)? */
static inline bool chan_core_serving(const Thread *t)
{
    return t->ipc.client != NULL || t->ipc.client_gone;
}

/* Appends t at the tail of *list. */
static inline void chan_list_append(Thread **list, Thread *t)
{
    t->ipc.next = NULL;
    while (*list != NULL) {
        list = &(*list)->ipc.next;
    }
    *list = t;
}

static inline Thread *chan_list_pop(Thread **list)
{
    Thread *t = *list;
    if (t != NULL) {
        *list = t->ipc.next;
        t->ipc.next = NULL;
    }
    return t;
}

/* Removes t from *list; true when it was there. */
static inline bool chan_list_remove(Thread **list, Thread *t)
{
    for (; *list != NULL; list = &(*list)->ipc.next) {
        if (*list == t) {
            *list = t->ipc.next;
            t->ipc.next = NULL;
            return true;
        }
    }
    return false;
}

/* Receivers by priority, smaller (more urgent) first, FIFO within one. */
static inline void chan_receivers_insert(ChanCore *c, Thread *t)
{
    Thread **link = &c->receivers;
    while (*link != NULL && (*link)->ipc.priority <= t->ipc.priority) {
        link = &(*link)->ipc.next;
    }
    t->ipc.next = *link;
    *link = t;
    c->receiver_count++;
}

/* Ends t's wait: the last store, so that a thread woken by something
 * else (a kill) and reading its state without the lock sees the result
 * and message complete once it sees IPC_IDLE. */
static inline void chan_ipc_done(Thread *t, Error result)
{
    t->ipc.result = result;
    __atomic_store_n(&t->ipc.state, IPC_IDLE, __ATOMIC_RELEASE);
}

/* A message's handles (and buffer) follow its registers from one thread
 * to the other. */
static inline void chan_extras_move(Thread *from, Thread *to)
{
    if ((from->ipc.msg.tag & ANOS_IPC_TAG_KERNEL) != 0) {
        to->ipc.extras = from->ipc.extras;
        from->ipc.extras.handle_count = 0;
        from->ipc.extras.lend = NULL;
    }
}

/* caller's message goes to server, which now serves it. */
static inline void chan_pair(ChanCore *c, Thread *caller, Thread *server)
{
    caller->ipc.state = IPC_AWAIT_REPLY;
    caller->ipc.server = server;
    caller->ipc.next = c->served; /* any order: pushed at the head */
    c->served = caller;
    c->served_count++;
    server->ipc.client = caller;
    server->ipc.client_gone = false;
    server->ipc.msg = caller->ipc.msg;
    chan_extras_move(caller, server);
}

/* The call caller awaits a reply to leaves the served list. */
static inline void chan_served_remove(ChanCore *c, Thread *caller)
{
    if (chan_list_remove(&c->served, caller)) {
        c->served_count--;
    }
    caller->ipc.server = NULL;
}

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
static inline Error chan_core_call(ChanCore *c, struct Channel *ch, Thread *self, Thread **wake)
{
    *wake = NULL;
    if (c->closed) {
        return E_NOENT;
    }
    if (self->ipc.state != IPC_IDLE) {
        return E_BUSY;
    }
    self->ipc.channel = ch;
    self->ipc.result = E_OK;
    Thread *server = chan_list_pop(&c->receivers);
    if (server != NULL) {
        c->receiver_count--;
        chan_pair(c, self, server);
        chan_ipc_done(server, E_OK);
        *wake = server;
        return E_OK;
    }
    self->ipc.state = IPC_CALLING;
    chan_list_append(&c->callers, self);
    c->caller_count++;
    return E_OK;
}

/*
 * self receives. If a caller is queued, its message goes to self's
 * ipc.msg at once (E_OK, no wait) and self now serves it; otherwise self
 * is queued by priority and *queued is set (it sleeps until a call or a
 * failure ends its wait: then ipc.result, and on E_OK the message in
 * ipc.msg). E_NOENT closed; E_BUSY self still serves a call (reply first).
 */
static inline Error chan_core_recv(ChanCore *c, struct Channel *ch, Thread *self, unsigned priority,
                                   bool *queued)
{
    *queued = false;
    if (c->closed) {
        return E_NOENT;
    }
    if (self->ipc.state != IPC_IDLE || chan_core_serving(self)) {
        return E_BUSY;
    }
    self->ipc.channel = ch;
    Thread *caller = chan_list_pop(&c->callers);
    if (caller != NULL) {
        c->caller_count--;
        chan_pair(c, caller, self);
        self->ipc.result = E_OK;
        return E_OK;
    }
    self->ipc.state = IPC_RECEIVING;
    self->ipc.priority = priority;
    self->ipc.result = E_OK;
    chan_receivers_insert(c, self);
    *queued = true;
    return E_OK;
}

/*
 * self replies, with the message in its ipc.msg, to the caller it serves:
 * the caller gets it and E_OK and is woken. E_INVAL when self serves no call (never received, or
 * already replied); E_NOENT when the caller is gone (died, or the channel was destroyed): nothing
 * to deliver, and self serves nothing any more. c is the core of the channel self received through.
 */
static inline Error chan_core_reply(ChanCore *c, Thread *self, Thread **wake)
{
    *wake = NULL;
    Thread *caller = self->ipc.client;
    if (caller == NULL) {
        /* Never received or replied already (E_INVAL), or the caller left
         * or the channel went (E_NOENT, said once). */
        Error err = self->ipc.client_gone ? E_NOENT : E_INVAL;
        self->ipc.client_gone = false;
        return err;
    }
    self->ipc.client = NULL;
    chan_served_remove(c, caller);
    caller->ipc.msg = self->ipc.msg;
    chan_extras_move(self, caller);
    chan_ipc_done(caller, E_OK);
    *wake = caller;
    return E_OK;
}

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
