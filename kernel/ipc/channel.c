/*
 * Channels: the state machine (channel_core.c) under the channel's
 * spinlock; a thread that must wait blocks with sched_block, which drops
 * the lock only once the thread is marked blocked, so a waker (which needs
 * the lock to change the state) can never miss it.
 */
#include <anos/syscall.h>
#include <arch/cpu.h>
#include <ipc/channel.h>
#include <kstring.h>
#include <mm/slab.h>
#include <proc/process.h>
#include <sched/kstack.h>
#include <sched/sched.h>

static void channel_free(KObject *obj)
{
    unsigned long flags = kmem_lock();
    slab_free(obj);
    kmem_unlock(flags);
}

Error channel_create(Channel **out)
{
    void *mem;
    unsigned long flags = kmem_lock();
    Error err = slab_alloc(sizeof(Channel), &mem);
    kmem_unlock(flags);
    if (err != E_OK) {
        return err;
    }
    Channel *ch = mem;
    memset(ch, 0, sizeof(*ch));
    spin_init(&ch->lock);
    chan_core_init(&ch->core);
    kobject_init(&ch->obj, KOBJ_CHANNEL, channel_free);
    *out = ch;
    return E_OK;
}

static void channel_wake_list(Thread *t)
{
    while (t != NULL) {
        Thread *next = t->ipc.next;
        t->ipc.next = NULL;
        sched_wake(t);
        t = next;
    }
}

void channel_destroy(Channel *ch)
{
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    Thread *woken = chan_core_close(&ch->core);
    spin_unlock_irqrestore(&ch->lock, flags);
    channel_wake_list(woken);
}

/* Blocks the caller (ch->lock held, interrupts off) until a state change
 * wakes it, unless it is being killed. Returns with interrupts off and
 * ch->lock not held. */
static void channel_block(Channel *ch, Thread *self)
{
    if (__atomic_load_n(&self->kill_pending, __ATOMIC_SEQ_CST)) {
        Thread *wake;
        chan_core_cancel(&ch->core, self, &wake);
        self->ipc.result = E_AGAIN;
        spin_unlock(&ch->lock);
        if (wake != NULL) {
            sched_wake(wake);
        }
        return;
    }
    sched_block(&ch->lock);
}

static Error channel_call_locked(Channel *ch, Thread *self, const IpcMsg *msg, IpcMsg *reply);
static Error channel_recv_locked(Channel *ch, Thread *self, IpcMsg *out);

/* Publishes ch as the wait a kill of self must interrupt (channel_kill),
 * holding a reference so the channel outlives the publication. */
static void channel_wait_begin(Channel *ch, Thread *self)
{
    kobject_ref(&ch->obj);
    process_set_kill_ipc(self, ch);
}

static void channel_wait_end(Channel *ch, Thread *self)
{
    process_set_kill_ipc(self, NULL);
    kobject_unref(&ch->obj);
}

Error channel_call(Channel *ch, const IpcMsg *msg, IpcMsg *reply)
{
    Thread *self = thread_current();
    channel_wait_begin(ch, self);
    Error err = channel_call_locked(ch, self, msg, reply);
    channel_wait_end(ch, self);
    return err;
}

static Error channel_call_locked(Channel *ch, Thread *self, const IpcMsg *msg, IpcMsg *reply)
{
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    Thread *wake;
    Error err = chan_core_call(&ch->core, ch, self, msg, &wake);
    if (err != E_OK) {
        spin_unlock_irqrestore(&ch->lock, flags);
        return err;
    }
    if (wake != NULL) {
        sched_wake(wake); /* its CPU's run-queue lock nests inside ours */
    }
    channel_block(ch, self);
    arch_irq_restore(flags);
    if (self->ipc.result == E_OK) {
        *reply = self->ipc.msg;
    }
    return self->ipc.result;
}

Error channel_recv(Channel *ch, IpcMsg *out)
{
    Thread *self = thread_current();
    channel_wait_begin(ch, self);
    Error err = channel_recv_locked(ch, self, out);
    channel_wait_end(ch, self);
    return err;
}

static Error channel_recv_locked(Channel *ch, Thread *self, IpcMsg *out)
{
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    bool queued;
    unsigned priority = (unsigned)self->sched_class * SCHED_LEVELS + self->level;
    Error err = chan_core_recv(&ch->core, ch, self, priority, out, &queued);
    if (err != E_OK || !queued) {
        spin_unlock_irqrestore(&ch->lock, flags);
        return err;
    }
    channel_block(ch, self);
    arch_irq_restore(flags);
    if (self->ipc.result == E_OK) {
        *out = self->ipc.msg;
    }
    return self->ipc.result;
}

Error channel_reply(Channel *ch, const IpcMsg *reply)
{
    Thread *self = thread_current();
    if (self->ipc.channel != ch) {
        return E_INVAL;
    }
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    Thread *wake;
    Error err = chan_core_reply(&ch->core, self, reply, &wake);
    spin_unlock_irqrestore(&ch->lock, flags);
    if (wake != NULL) {
        sched_wake(wake);
    }
    return err;
}

void channel_cancel(Thread *self)
{
    Channel *ch = self->ipc.channel;
    /* Only a server with a call in hand has anything to undo here (an
     * exiting thread waits on nothing); the caller's own reference keeps
     * the channel alive meanwhile. */
    if (ch == NULL || self->ipc.peer == NULL) {
        return;
    }
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    Thread *wake;
    chan_core_cancel(&ch->core, self, &wake);
    spin_unlock_irqrestore(&ch->lock, flags);
    if (wake != NULL) {
        sched_wake(wake);
    }
}

void channel_kill(Thread *t, Channel *ch)
{
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    bool waiting = t->ipc.state != IPC_IDLE && t->ipc.channel == ch;
    Thread *wake = NULL;
    if (waiting) {
        chan_core_cancel(&ch->core, t, &wake);
        t->ipc.result = E_AGAIN;
    }
    spin_unlock_irqrestore(&ch->lock, flags);
    if (wake != NULL) {
        sched_wake(wake);
    }
    if (waiting) {
        sched_wake(t);
    }
}

_Static_assert(sizeof(IpcMsg) == sizeof(AnosIpcMsg), "the user and kernel messages match");
