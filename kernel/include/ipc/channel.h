/*
 * Channels as kernel objects: the state machine of ipc/channel_core.h
 * under a lock, with threads blocking and waking around it. The syscalls
 * (kernel/syscall/sys_ipc.c) and processes (kills, exits) use this.
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

/* Sends msg and waits for the reply (into *reply). E_NOENT destroyed, or
 * the server died; E_AGAIN the caller is being killed; E_BUSY in a call. */
Error channel_call(Channel *ch, const IpcMsg *msg, IpcMsg *reply);

/* Waits for a message. E_NOENT destroyed; E_BUSY still serving a call;
 * E_AGAIN the caller is being killed. */
Error channel_recv(Channel *ch, IpcMsg *out);

/* Replies to the call the caller received on ch. E_INVAL no such call
 * (never received, replied already, or received on another channel);
 * E_NOENT the caller is gone. */
Error channel_reply(Channel *ch, const IpcMsg *reply);

/* The exiting thread self gives up the call it serves, if any: its caller
 * gets E_NOENT. */
void channel_cancel(Thread *self);

/* Ends t's wait on ch (t's process is being killed): t gets E_AGAIN and
 * is woken. Called by process_kill under t's process lock with the channel
 * t published (Thread.kill_ipc), which t keeps a reference to. */
void channel_kill(Thread *t, Channel *ch);

#endif
