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
#include <cap/object.h>
#include <ipc/channel_core.h>
#include <spinlock.h>

typedef struct Channel {
    KObject obj; /* KOBJ_CHANNEL */
    Spinlock lock;
    ChanCore core; /* [lock] */
} Channel;

Error channel_create(Channel **out);

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

/* The exiting thread self gives up the call it serves, if any: its caller
 * gets E_NOENT. */
void channel_cancel(Thread *self);

#endif
