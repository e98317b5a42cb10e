/*
 * IPC syscalls over channels: create, destroy, call, receive, reply and
 * reply-then-receive. Messages travel through a user IpcMsg (tag and four
 * words); the register-only fast path comes with the IPC issue.
 */
#include <ipc/channel.h>
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

int64_t sys_call(SYSCALL_ARGS)
{
    IpcMsg msg;
    Error err = copy_from_user(&msg, a1, sizeof(msg), 8);
    if (err != E_OK) {
        return err;
    }
    Channel *ch;
    if ((err = sys_channel_get(a0, RIGHT_SEND, &ch)) != E_OK) {
        return err;
    }
    IpcMsg reply;
    err = channel_call(ch, &msg, &reply);
    kobject_unref(&ch->obj);
    if (err == E_OK) {
        err = copy_to_user(a1, &reply, sizeof(reply), 8);
    }
    return err;
}

/* Receives on h into the user message at out_ptr. */
static int64_t sys_recv_into(Handle h, uint64_t out_ptr)
{
    Error err = user_range_check(out_ptr, sizeof(IpcMsg), 8);
    if (err != E_OK) {
        return err;
    }
    Channel *ch;
    if ((err = sys_channel_get(h, RIGHT_RECEIVE, &ch)) != E_OK) {
        return err;
    }
    IpcMsg msg;
    err = channel_recv(ch, &msg);
    kobject_unref(&ch->obj);
    if (err == E_OK) {
        err = copy_to_user(out_ptr, &msg, sizeof(msg), 8);
    }
    return err;
}

int64_t sys_recv(SYSCALL_ARGS)
{
    return sys_recv_into(a0, a1);
}

/* Replies on h with the user message at msg_ptr. */
static Error sys_reply_from(Handle h, uint64_t msg_ptr)
{
    IpcMsg reply;
    Error err = copy_from_user(&reply, msg_ptr, sizeof(reply), 8);
    if (err != E_OK) {
        return err;
    }
    Channel *ch;
    if ((err = sys_channel_get(h, RIGHT_RECEIVE, &ch)) != E_OK) {
        return err;
    }
    err = channel_reply(ch, &reply);
    kobject_unref(&ch->obj);
    return err;
}

int64_t sys_reply(SYSCALL_ARGS)
{
    return sys_reply_from(a0, a1);
}

/* The server's loop in one call: reply (a reply to a caller that has gone
 * is not an error here: the server just takes the next message), then
 * receive the next message into the same buffer. */
int64_t sys_reply_recv(SYSCALL_ARGS)
{
    Error err = sys_reply_from(a0, a1);
    if (err != E_OK && err != E_NOENT) {
        return err;
    }
    return sys_recv_into(a0, a1);
}
