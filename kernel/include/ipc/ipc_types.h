/*
 * The IPC state every thread carries (Thread.ipc): what it is doing on a
 * channel, the message in flight and its partner. Kept apart from
 * ipc/channel_core.h so that sched/thread.h can embed it.
 */
#ifndef ANOS_KERNEL_IPC_IPC_TYPES_H
#define ANOS_KERNEL_IPC_IPC_TYPES_H

#include <cap/handle_table.h>
#include <stdbool.h>
#include <stdint.h>

/* Words a register message carries besides its tag. */
#define IPC_MSG_WORDS 4

typedef struct IpcMsg {
    uint64_t tag;
    uint64_t words[IPC_MSG_WORDS];
} IpcMsg;

/* A message from the five message registers. */
static inline void ipc_msg_set(IpcMsg *m, uint64_t tag, uint64_t w0, uint64_t w1, uint64_t w2,
                               uint64_t w3)
{
    m->tag = tag;
    m->words[0] = w0;
    m->words[1] = w1;
    m->words[2] = w2;
    m->words[3] = w3;
}

typedef enum IpcState {
    IPC_IDLE = 0,    /* on no channel queue */
    IPC_CALLING,     /* a caller queued until a receiver takes its message */
    IPC_AWAIT_REPLY, /* a caller whose message a server took: waits for the reply */
    IPC_RECEIVING,   /* a receiver queued until a message comes */
} IpcState;

struct Thread;
struct Channel;

/* Handles a message may carry (ANOS_IPC_MAX_HANDLES). */
#define IPC_MAX_HANDLES 4

/* What a message carries besides its registers, on its way from sender to
 * receiver (moved between the two threads' endpoints under the channel
 * lock, with the message). */
typedef struct IpcExtras {
    uint32_t handle_count;
    HandleInFlight handles[IPC_MAX_HANDLES]; /* each owns one reference */
    struct IpcLend *lend;                    /* a call's lent buffer (one reference), or NULL */
} IpcExtras;

/* [channel lock] of the channel the thread is on (ipc.channel). */
typedef struct IpcEndpoint {
    IpcMsg msg;              /* first: the syscall exit loads it (THREAD_IPC_MSG) */
    uint8_t state;           /* IpcState; written last (release) when a wait ends */
    int32_t result;          /* what a woken thread finds: E_OK or why it failed */
    struct Channel *channel; /* the channel it waits on or called through */
    struct Thread *server;   /* IPC_AWAIT_REPLY: the thread serving its call */
    struct Thread *client;   /* the caller whose call it serves, or NULL */
    bool client_gone;        /* it served a call whose caller has gone (reply: E_NOENT) */
    struct Thread *next;     /* link on the channel's queues */
    unsigned priority;       /* receivers: order on the queue (smaller first) */
    /* The thread's own (no lock): the channel of the call it serves, from
     * the receive to the reply, with a reference that keeps it alive for
     * the reply or for the cancel at the thread's exit. */
    struct Channel *serving;
    IpcExtras extras; /* handles (and buffer) of msg, while in flight */
    uint64_t area;    /* the thread's own: its AnosIpcArea in user memory, 0 = none */
    /* The thread's own: the buffer its call lends (with a reference), and
     * the window where it maps the buffer of the call it serves. */
    struct IpcLend *lending;
    uint64_t lending_va;
    struct IpcLend *lend_spare; /* a record only this thread holds, for its next lend */
    struct IpcLend *lent;
    uint64_t lent_va;
    uint64_t window_hint; /* where its last window was: the next goes there too */
    /* The thread's own: the handle of its last IPC call and the channel it
     * names, with a reference (channel_lookup). */
    uint64_t cache_handle;
    struct Channel *cache;
    uint32_t cache_rights;
} IpcEndpoint;

#endif
