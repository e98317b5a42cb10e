/*
 * IPC syscalls over channels: create, destroy, call, receive, reply and
 * reply-then-receive. A message's tag and four words arrive in the
 * argument registers and leave in the message registers (loaded by the
 * entry code from Thread.ipc.msg for SYS_MSG_FIRST and up).
 */
#include <ipc/channel.h>
#include <kstring.h>
#include <proc/process.h>
#include <proc/uaccess.h>

#include "sys.h"

#define CHANNEL_HANDLE_RIGHTS                                                                      \
    (RIGHT_SEND | RIGHT_RECEIVE | RIGHT_WRITE | RIGHT_TRANSFER | RIGHT_DUPLICATE)

static Error sys_channel_get(Handle h, Rights need, Channel **out)
{
    KObject *obj;
    Error err = handle_get(&process_current()->handles, h, KOBJ_CHANNEL, need, &obj);
    *out = (Channel *)obj;
    return err;
}

int64_t sys_channel_create(SYSCALL_ARGS)
{
    Channel *ch;
    Error err = channel_create(&ch);
    if (err != E_OK) {
        return err;
    }
    Handle h;
    err = handle_alloc(&process_current()->handles, &ch->obj, CHANNEL_HANDLE_RIGHTS, &h);
    kobject_unref(&ch->obj); /* the handle holds it now (or nobody) */
    return err != E_OK ? err : (int64_t)h;
}

int64_t sys_channel_destroy(SYSCALL_ARGS)
{
    Channel *ch;
    Error err = sys_channel_get(a0, RIGHT_WRITE, &ch);
    if (err != E_OK) {
        return err;
    }
    channel_destroy(ch);
    kobject_unref(&ch->obj);
    return 0;
}

/* The message registers (a1 = tag, a2..a5 = words) become the caller's
 * message. */
static inline void ipc_take(Thread *self, uint64_t tag, uint64_t w0, uint64_t w1, uint64_t w2,
                            uint64_t w3)
{
    self->ipc.msg.tag = tag;
    self->ipc.msg.words[0] = w0;
    self->ipc.msg.words[1] = w1;
    self->ipc.msg.words[2] = w2;
    self->ipc.msg.words[3] = w3;
}

/* What a message call returns: the entry code loads the caller's
 * ipc.msg into the message registers, zeroed after an error. */
static inline int64_t ipc_result(Thread *self, Error err)
{
    if (err != E_OK) {
        memset(&self->ipc.msg, 0, sizeof(self->ipc.msg));
    }
    return err;
}

int64_t sys_call(SYSCALL_ARGS)
{
    Thread *self = thread_current();
    Channel *ch;
    Error err = channel_lookup(self, a0, RIGHT_SEND, &ch);
    if (err == E_OK) {
        if ((a1 & ANOS_IPC_TAG_KERNEL) != 0) {
            err = E_INVAL; /* buffers and handles: not yet */
        } else {
            ipc_take(self, a1, a2, a3, a4, a5);
            err = channel_call(ch);
        }
    }
    return ipc_result(self, err);
}

int64_t sys_recv(SYSCALL_ARGS)
{
    Thread *self = thread_current();
    Channel *ch;
    Error err = channel_lookup(self, a0, RIGHT_RECEIVE, &ch);
    if (err == E_OK) {
        err = channel_receive(ch, false);
    }
    return ipc_result(self, err);
}

int64_t sys_reply(SYSCALL_ARGS)
{
    Thread *self = thread_current();
    if ((a1 & ANOS_IPC_TAG_KERNEL) != 0) {
        return E_INVAL;
    }
    Channel *ch;
    Error err = channel_lookup(self, a0, RIGHT_RECEIVE, &ch);
    if (err == E_OK) {
        ipc_take(self, a1, a2, a3, a4, a5);
        err = channel_reply(ch);
    }
    return err;
}

/* The server's loop in one call: reply (a reply to a caller that has gone
 * is not an error here: the server just takes the next message), then
 * receive the next message. */
int64_t sys_reply_recv(SYSCALL_ARGS)
{
    Thread *self = thread_current();
    Channel *ch;
    Error err = channel_lookup(self, a0, RIGHT_RECEIVE, &ch);
    if (err == E_OK) {
        if ((a1 & ANOS_IPC_TAG_KERNEL) != 0) {
            err = E_INVAL;
        } else {
            ipc_take(self, a1, a2, a3, a4, a5);
            err = channel_receive(ch, true);
        }
    }
    return ipc_result(self, err);
}

int64_t sys_ipc_area(SYSCALL_ARGS)
{
    (void)a0;
    return E_NOSYS;
}
