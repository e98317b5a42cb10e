/*
 * The channel state machine (ipc/channel_core.h). Queues are singly linked
 * through Thread.ipc.next; a channel holds a handful of waiters, so the
 * O(n) removals on cancel and the sorted insert of receivers stay short.
 */
#include <ipc/channel_core.h>
#include <stddef.h>

void chan_core_init(ChanCore *c)
{
    c->closed = false;
    c->callers = c->served = c->receivers = NULL;
    c->caller_count = c->served_count = c->receiver_count = 0;
}

/* caller's call ends with E_NOENT: it is off every queue, and its server
 * (if any) serves nothing and will learn so at its reply. */
static void chan_core_fail_caller(Thread *caller)
{
    Thread *server = caller->ipc.server;
    if (server != NULL) {
        server->ipc.client = NULL;
        server->ipc.client_gone = true;
    }
    caller->ipc.server = NULL;
    chan_ipc_done(caller, E_NOENT);
}

Thread *chan_core_close(ChanCore *c)
{
    c->closed = true;
    Thread *woken = NULL;
    Thread *t;
    while ((t = chan_list_pop(&c->callers)) != NULL) {
        chan_core_fail_caller(t);
        t->ipc.next = woken;
        woken = t;
    }
    while ((t = chan_list_pop(&c->served)) != NULL) {
        chan_core_fail_caller(t);
        t->ipc.next = woken;
        woken = t;
    }
    while ((t = chan_list_pop(&c->receivers)) != NULL) {
        chan_ipc_done(t, E_NOENT);
        t->ipc.next = woken;
        woken = t;
    }
    c->caller_count = c->served_count = c->receiver_count = 0;
    return woken;
}

void chan_core_cancel(ChanCore *c, Thread *t)
{
    switch ((IpcState)t->ipc.state) {
    case IPC_CALLING:
        if (chan_list_remove(&c->callers, t)) {
            c->caller_count--;
        }
        break;
    case IPC_AWAIT_REPLY:
        if (t->ipc.server != NULL) {
            /* Its server's reply will find nobody: E_NOENT, and the server
             * goes on to its next message. */
            t->ipc.server->ipc.client = NULL;
            t->ipc.server->ipc.client_gone = true;
        }
        chan_served_remove(c, t);
        break;
    case IPC_RECEIVING:
        if (chan_list_remove(&c->receivers, t)) {
            c->receiver_count--;
        }
        break;
    case IPC_IDLE: break;
    }
    t->ipc.state = IPC_IDLE;
}

Thread *chan_core_abandon(ChanCore *c, Thread *t)
{
    Thread *caller = t->ipc.client;
    t->ipc.client = NULL;
    t->ipc.client_gone = false;
    if (caller == NULL) {
        return NULL;
    }
    chan_served_remove(c, caller);
    chan_ipc_done(caller, E_NOENT);
    return caller;
}
