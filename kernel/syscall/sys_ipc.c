/*
 * IPC syscalls over channels: create, destroy, call, receive, reply and
 * reply-then-receive. A message's tag and four words arrive in the
 * argument registers and leave in the message registers (loaded by the
 * entry code from Thread.ipc.msg for SYS_MSG_FIRST and up).
 */
#include <ipc/channel.h>
#include <ipc/fastpath.h>
#include <ipc/ipc_handles.h>
#include <ipc/ipc_lend.h>
#include <kstring.h>
#include <mm/mm.h>
#include <proc/process.h>
#include <proc/uaccess.h>
#include <stddef.h>

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

/* A call's lent buffer, from the caller's area: pinned in its memory and
 * recorded for the receiver (ipc/ipc_lend.h). */
static Error ipc_send_buffer(Thread *self, uint64_t area)
{
    struct {
        uint64_t buffer, length;
    } b;
    Error err = copy_from_user(&b, area + offsetof(AnosIpcArea, send_buffer), sizeof(b), 8);
    if (err != E_OK) {
        return err;
    }
    if ((b.buffer & (MM_PAGE_SIZE - 1)) != 0) {
        return E_ALIGN;
    }
    if (b.length == 0 || b.length > ANOS_IPC_BUFFER_MAX) {
        return E_INVAL;
    }
    if ((err = user_range_check(b.buffer, b.length, 1)) != E_OK) {
        return err;
    }
    uint64_t pa;
    if ((err = vm_lend_begin(&self->process->vm, b.buffer, &pa)) != E_OK) {
        return err;
    }
    IpcLend *l;
    if ((err = ipc_lend_create(&self->ipc.lend_spare, pa, b.length, &l)) != E_OK) {
        vm_lend_end(&self->process->vm, b.buffer, false);
        return err;
    }
    self->ipc.lending = l;
    self->ipc.lending_va = b.buffer;
    self->ipc.extras.lend = l;
    return E_OK;
}

/* The extras of a message self sends with tag's kernel bits: its handles
 * and, for a call, its buffer, read from its IPC area. */
static Error ipc_send_extras(Thread *self, uint64_t tag, bool is_call)
{
    uint64_t area = self->ipc.area;
    if (area == 0) {
        return E_INVAL;
    }
    Error err;
    if ((tag & ANOS_IPC_TAG_BUFFER) != 0) {
        if (!is_call) {
            return E_INVAL; /* only a call lends; a reply returns */
        }
        if ((err = ipc_send_buffer(self, area)) != E_OK) {
            return err;
        }
    }
    if ((tag & ANOS_IPC_TAG_HANDLES) == 0) {
        return E_OK;
    }
    uint32_t count;
    err = copy_from_user(&count, area + offsetof(AnosIpcArea, send_handle_count), sizeof(count),
                         sizeof(count));
    if (err != E_OK) {
        return err;
    }
    if (count == 0 || count > IPC_MAX_HANDLES) {
        return E_INVAL;
    }
    AnosIpcHandle list[IPC_MAX_HANDLES];
    err = copy_from_user(list, area + offsetof(AnosIpcArea, send_handles), count * sizeof(list[0]),
                         8);
    if (err != E_OK) {
        return err;
    }
    return ipc_handles_take(&self->process->handles, list, count, &self->ipc.extras);
}

/* Takes the message registers, and the extras their tag asks for. */
static inline __attribute__((always_inline)) Error ipc_send(Thread *self, uint64_t tag, uint64_t w0,
                                                            uint64_t w1, uint64_t w2, uint64_t w3,
                                                            bool is_call)
{
    ipc_msg_set(&self->ipc.msg, tag, w0, w1, w2, w3);
    if ((tag & ANOS_IPC_TAG_KERNEL) != 0) {
        return ipc_send_extras(self, tag, is_call);
    }
    return E_OK;
}

/* What the kernel writes into a receiver's area: AnosIpcArea from
 * recv_buffer on. */
typedef struct IpcAreaReceived {
    uint64_t buffer, length;
    uint32_t handle_count, reserved;
    AnosIpcHandle handles[IPC_MAX_HANDLES];
} IpcAreaReceived;

_Static_assert(sizeof(AnosIpcArea) - offsetof(AnosIpcArea, recv_buffer) == sizeof(IpcAreaReceived),
               "the received part of the area is written in one copy");

/* The received half: a lent buffer is mapped into self's address space,
 * handles go into its table, and both are described in its area. Without
 * an area (or when it cannot be written) everything is released and the
 * tag loses its kernel bits. */
static void ipc_receive_extras(Thread *self)
{
    IpcExtras *x = &self->ipc.extras;
    uint64_t area = self->ipc.area;
    IpcAreaReceived got = {0};
    uint64_t tag_bits = 0;
    if (area != 0 && x->lend != NULL &&
        vm_window_map(&self->process->vm, x->lend->pa, self->ipc.window_hint, &got.buffer) ==
            E_OK) {
        self->ipc.window_hint = got.buffer;
        self->ipc.lent = x->lend;
        self->ipc.lent_va = got.buffer;
        got.length = x->lend->length;
        x->lend = NULL;
        tag_bits |= ANOS_IPC_TAG_BUFFER;
    }
    HandleTable *table = &self->process->handles;
    if (area != 0 && x->handle_count != 0) {
        got.handle_count = x->handle_count;
        ipc_handles_install(table, x, got.handles);
        tag_bits |= ANOS_IPC_TAG_HANDLES;
    }
    ipc_extras_drop(x);
    if (tag_bits != 0 &&
        copy_to_user(area + offsetof(AnosIpcArea, recv_buffer), &got, sizeof(got), 8) != E_OK) {
        for (uint32_t i = 0; i < got.handle_count; i++) {
            (void)handle_close(table, got.handles[i].handle);
        }
        channel_window_close(self);
        tag_bits = 0;
    }
    self->ipc.msg.tag = (self->ipc.msg.tag & ~ANOS_IPC_TAG_KERNEL) | tag_bits;
}

/* What a message call returns: the entry code loads the caller's ipc.msg
 * into the message registers; zeroed after an error, when whatever the
 * message still carries is released. */
static void ipc_failed(Thread *self)
{
    ipc_extras_drop(&self->ipc.extras);
    memset(&self->ipc.msg, 0, sizeof(self->ipc.msg));
}

static inline __attribute__((always_inline)) int64_t ipc_result(Thread *self, Error err)
{
    if (err != E_OK) {
        ipc_failed(self);
    } else if ((self->ipc.msg.tag & ANOS_IPC_TAG_KERNEL) != 0) {
        ipc_receive_extras(self);
    }
    return err;
}

/* The caller's call is over: its lent buffer comes back. If the server
 * may still hold the page (the call failed or the caller is being
 * killed while served), the caller gives the page up instead: it leaves
 * the caller's address space and the lend record frees it last. */
static void ipc_lend_finish(Thread *self, Error err)
{
    IpcLend *l = self->ipc.lending;
    self->ipc.lending = NULL;
    bool give_up = err != E_OK && ipc_lend_shared(l);
    vm_lend_end(&self->process->vm, self->ipc.lending_va, give_up);
    if (give_up) {
        ipc_lend_give_up(l);
    }
    ipc_lend_done(&self->ipc.lend_spare, l);
}

/* A server replies on ch: the buffer of the call it serves there leaves
 * its address space first. */
static inline void ipc_reply_window(Thread *self, Channel *ch)
{
    if (self->ipc.lent != NULL && self->ipc.serving == ch) {
        channel_window_close(self);
    }
}

int64_t sys_call(SYSCALL_ARGS)
{
    Thread *self = thread_current();
    int64_t fast = ipc_fast_call(self, a0, a1, a2, a3, a4, a5);
    if (fast != IPC_FAST_NO) {
        return ipc_result(self, (Error)fast);
    }
    Channel *ch;
    Error err = channel_lookup(self, a0, RIGHT_SEND, &ch);
    if (err == E_OK) {
        err = ipc_send(self, a1, a2, a3, a4, a5, true);
    }
    if (err == E_OK) {
        err = channel_call(ch);
    }
    if (self->ipc.lending != NULL) {
        if (err != E_OK) {
            ipc_extras_drop(&self->ipc.extras); /* undelivered: the message's reference */
        }
        ipc_lend_finish(self, err);
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
    Channel *ch;
    Error err = channel_lookup(self, a0, RIGHT_RECEIVE, &ch);
    if (err == E_OK) {
        err = ipc_send(self, a1, a2, a3, a4, a5, false);
    }
    if (err == E_OK) {
        ipc_reply_window(self, ch);
        err = channel_reply(ch);
    }
    if (err != E_OK) {
        ipc_extras_drop(&self->ipc.extras);
    }
    return err;
}

/* The server's loop in one call: reply (a reply to a caller that has gone
 * is not an error here: the server just takes the next message), then
 * receive the next message. */
int64_t sys_reply_recv(SYSCALL_ARGS)
{
    Thread *self = thread_current();
    int64_t fast = ipc_fast_reply_recv(self, a0, a1, a2, a3, a4, a5);
    if (fast != IPC_FAST_NO) {
        return ipc_result(self, (Error)fast);
    }
    Channel *ch;
    Error err = channel_lookup(self, a0, RIGHT_RECEIVE, &ch);
    if (err == E_OK) {
        err = ipc_send(self, a1, a2, a3, a4, a5, false);
    }
    if (err == E_OK) {
        ipc_reply_window(self, ch);
        err = channel_receive(ch, true);
    }
    return ipc_result(self, err);
}

int64_t sys_ipc_area(SYSCALL_ARGS)
{
    if (a0 != 0) {
        Error err = user_range_check(a0, sizeof(AnosIpcArea), 8);
        if (err != E_OK) {
            return err;
        }
    }
    thread_current()->ipc.area = a0;
    return 0;
}
