/*
 * The channel state machine (ipc/channel_core.h). Queues are singly linked
 * through Thread.ipc.next; a channel holds a handful of waiters, so the
 * O(n) removals on cancel and the sorted insert of receivers stay short.
 */
#include <anos/syscall.h>
#include <ipc/channel_core.h>
#include <stddef.h>

void chan_core_init(ChanCore *c)
{
    c->closed = false;
    c->callers = c->served = c->receivers = NULL;
    c->caller_count = c->served_count = c->receiver_count = 0;
}

/* Appends t at the tail of *list. */
static void list_append(Thread **list, Thread *t)
{
    t->ipc.next = NULL;
    while (*list != NULL) {
        list = &(*list)->ipc.next;
    }
    *list = t;
}

static Thread *list_pop(Thread **list)
{
    Thread *t = *list;
    if (t != NULL) {
        *list = t->ipc.next;
        t->ipc.next = NULL;
    }
    return t;
}

/* Removes t from *list; true when it was there. */
static bool list_remove(Thread **list, Thread *t)
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
static void receivers_insert(ChanCore *c, Thread *t)
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
static void ipc_done(Thread *t, Error result)
{
    t->ipc.result = result;
    __atomic_store_n(&t->ipc.state, IPC_IDLE, __ATOMIC_RELEASE);
}

/* A message's handles (and buffer) follow its registers from one thread
 * to the other. */
static void extras_move(Thread *from, Thread *to)
{
    if ((from->ipc.msg.tag & ANOS_IPC_TAG_KERNEL) != 0) {
        to->ipc.extras = from->ipc.extras;
        from->ipc.extras.handle_count = 0;
        from->ipc.extras.lend = NULL;
    }
}

/* caller's message goes to server, which now serves it. */
static void chan_core_pair(ChanCore *c, Thread *caller, Thread *server)
{
    caller->ipc.state = IPC_AWAIT_REPLY;
    caller->ipc.server = server;
    caller->ipc.next = c->served; /* any order: pushed at the head */
    c->served = caller;
    c->served_count++;
    server->ipc.client = caller;
    server->ipc.client_gone = false;
    server->ipc.msg = caller->ipc.msg;
    extras_move(caller, server);
}

/* The call caller awaits a reply to leaves the served list. */
static void served_remove(ChanCore *c, Thread *caller)
{
    if (list_remove(&c->served, caller)) {
        c->served_count--;
    }
    caller->ipc.server = NULL;
}

Error chan_core_call(ChanCore *c, struct Channel *ch, Thread *self, Thread **wake)
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
    Thread *server = list_pop(&c->receivers);
    if (server != NULL) {
        c->receiver_count--;
        chan_core_pair(c, self, server);
        ipc_done(server, E_OK);
        *wake = server;
        return E_OK;
    }
    self->ipc.state = IPC_CALLING;
    list_append(&c->callers, self);
    c->caller_count++;
    return E_OK;
}

Error chan_core_recv(ChanCore *c, struct Channel *ch, Thread *self, unsigned priority, bool *queued)
{
    *queued = false;
    if (c->closed) {
        return E_NOENT;
    }
    if (self->ipc.state != IPC_IDLE || chan_core_serving(self)) {
        return E_BUSY;
    }
    self->ipc.channel = ch;
    Thread *caller = list_pop(&c->callers);
    if (caller != NULL) {
        c->caller_count--;
        chan_core_pair(c, caller, self);
        self->ipc.result = E_OK;
        return E_OK;
    }
    self->ipc.state = IPC_RECEIVING;
    self->ipc.priority = priority;
    self->ipc.result = E_OK;
    receivers_insert(c, self);
    *queued = true;
    return E_OK;
}

Error chan_core_reply(ChanCore *c, Thread *self, Thread **wake)
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
    served_remove(c, caller);
    caller->ipc.msg = self->ipc.msg;
    extras_move(self, caller);
    ipc_done(caller, E_OK);
    *wake = caller;
    return E_OK;
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
    ipc_done(caller, E_NOENT);
}

Thread *chan_core_close(ChanCore *c)
{
    c->closed = true;
    Thread *woken = NULL;
    Thread *t;
    while ((t = list_pop(&c->callers)) != NULL) {
        chan_core_fail_caller(t);
        t->ipc.next = woken;
        woken = t;
    }
    while ((t = list_pop(&c->served)) != NULL) {
        chan_core_fail_caller(t);
        t->ipc.next = woken;
        woken = t;
    }
    while ((t = list_pop(&c->receivers)) != NULL) {
        ipc_done(t, E_NOENT);
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
        if (list_remove(&c->callers, t)) {
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
        served_remove(c, t);
        break;
    case IPC_RECEIVING:
        if (list_remove(&c->receivers, t)) {
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
    served_remove(c, caller);
    ipc_done(caller, E_NOENT);
    return caller;
}
