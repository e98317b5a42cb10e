/*
 * The IPC fast path: a register-only call to a server already waiting on
 * the same CPU, and a server's reply-and-receive back to a caller on the
 * same CPU with nothing else queued. Everything is checked once and done
 * in one function per direction, inline into the syscall handlers; any
 * condition that does not hold sends the call down the generic path
 * (ipc/channel.h) before anything has changed, so the two paths always
 * agree on the outcome. What they skip: the generic handlers' copies of
 * the message, the state machine's general cases, and, on the server side,
 * dropping and retaking its reference to the channel it serves on.
 *
 * Not taken (generic path): extras in the tag; a handle other than the
 * thread's cached one; a partner on another CPU; a caller more urgent than
 * the server (inheritance), or a server running boosted; a closed channel;
 * queued callers; a lent-buffer window to close.
 */
#ifndef ANOS_KERNEL_IPC_FASTPATH_H
#define ANOS_KERNEL_IPC_FASTPATH_H

#include <arch/cpu.h>
#include <ipc/channel.h>
#include <sched/sched.h>

/* Not handled here: take the generic path. Never a syscall result. */
#define IPC_FAST_NO INT64_MIN

/* The cached channel for h, if h is this thread's cached IPC handle, still
 * live, and carries `need`; else NULL. */
static inline Channel *ipc_fast_channel(Thread *self, uint64_t h, Rights need)
{
    const HandleTable *t = &self->process->handles;
    uint32_t index = handle_index(h);
    if (h != self->ipc.cache_handle || !rights_subset(need, self->ipc.cache_rights) ||
        index >= t->capacity || __atomic_load_n(&t->entries[index].handle, __ATOMIC_ACQUIRE) != h) {
        return NULL;
    }
    return self->ipc.cache;
}

/* SYS_CALL: on success the reply is in self->ipc.msg. */
static inline int64_t ipc_fast_call(Thread *self, uint64_t h, uint64_t tag, uint64_t w0,
                                    uint64_t w1, uint64_t w2, uint64_t w3)
{
    Channel *ch = ipc_fast_channel(self, h, RIGHT_SEND);
    if (ch == NULL || (tag & ANOS_IPC_TAG_KERNEL) != 0) {
        return IPC_FAST_NO;
    }
    ChanCore *c = &ch->core;
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    Thread *server = c->receivers;
    if (server == NULL || server->cpu != self->cpu || c->closed || self->ipc.state != IPC_IDLE ||
        sched_priority_of(self) < sched_priority_of(server)) {
        spin_unlock_irqrestore(&ch->lock, flags);
        return IPC_FAST_NO;
    }
    /* chan_core_call with a receiver waiting, the message straight from
     * the registers into the server's endpoint. */
    c->receivers = server->ipc.next;
    c->receiver_count--;
    server->ipc.next = NULL;
    self->ipc.channel = ch;
    self->ipc.state = IPC_AWAIT_REPLY;
    self->ipc.server = server;
    self->ipc.next = c->served;
    c->served = self;
    c->served_count++;
    server->ipc.client = self;
    server->ipc.client_gone = false;
    ipc_msg_set(&server->ipc.msg, tag, w0, w1, w2, w3);
    server->ipc.result = E_OK;
    __atomic_store_n(&server->ipc.state, IPC_IDLE, __ATOMIC_RELEASE);
    Error err = channel_wait(ch, self, server);
    arch_irq_restore(flags);
    return err;
}

/* SYS_REPLY_RECV: on success the next message is in self->ipc.msg and
 * self serves it (its reference to ch, held since its last receive, is
 * kept for this call rather than dropped and taken again). */
static inline int64_t ipc_fast_reply_recv(Thread *self, uint64_t h, uint64_t tag, uint64_t w0,
                                          uint64_t w1, uint64_t w2, uint64_t w3)
{
    Channel *ch = ipc_fast_channel(self, h, RIGHT_RECEIVE);
    Thread *caller = self->ipc.client;
    if (ch == NULL || (tag & ANOS_IPC_TAG_KERNEL) != 0 || self->ipc.serving != ch ||
        caller == NULL || self->ipc.lent != NULL || self->sched_class != self->base_class ||
        self->level != self->base_level) {
        return IPC_FAST_NO;
    }
    ChanCore *c = &ch->core;
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    /* Under the lock the caller cannot leave (a kill's cancel takes it),
     * so only now is it safe to look at. */
    if (self->ipc.client != caller || caller->cpu != self->cpu || c->closed || c->callers != NULL ||
        self->ipc.state != IPC_IDLE || c->served != caller) {
        spin_unlock_irqrestore(&ch->lock, flags);
        return IPC_FAST_NO;
    }
    /* chan_core_reply: the reply straight from the registers. */
    self->ipc.client = NULL;
    c->served = caller->ipc.next;
    c->served_count--;
    caller->ipc.next = NULL;
    caller->ipc.server = NULL;
    ipc_msg_set(&caller->ipc.msg, tag, w0, w1, w2, w3);
    caller->ipc.result = E_OK;
    __atomic_store_n(&caller->ipc.state, IPC_IDLE, __ATOMIC_RELEASE);
    /* chan_core_recv with no caller queued: self waits, by priority. */
    self->ipc.serving = NULL;
    self->ipc.channel = ch;
    self->ipc.priority = sched_priority_of(self);
    self->ipc.result = E_OK;
    self->ipc.state = IPC_RECEIVING;
    chan_receivers_insert(c, self);
    Error err = channel_wait(ch, self, caller);
    arch_irq_restore(flags);
    if (err == E_OK) {
        self->ipc.serving = ch; /* the reference it already held */
    } else {
        kobject_unref(&ch->obj); /* never the last: the cache holds one */
    }
    return err;
}

#endif
