/*
 * Channels: the state machine (channel_core.c) under the channel's
 * spinlock. A thread that must wait blocks with sched_block_killable,
 * which drops the lock only once the thread is marked blocked, so a waker
 * (which needs the lock to change the state) can never miss it; when the
 * thread that must run next is the partner it has just paired with on the
 * same CPU, it hands the CPU straight over (sched_handoff): the IPC fast
 * path, with no run-queue work.
 */
#include <anos/syscall.h>
#include <arch/cpu.h>
#include <cap/handle_table.h>
#include <ipc/channel.h>
#include <ipc/ipc_handles.h>
#include <ipc/ipc_lend.h>
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

/* channel_lookup's miss: the full lookup, whose reference the cache
 * takes over. */
Error channel_lookup_slow(Thread *self, Handle h, Rights need, Channel **out)
{
    HandleTable *t = &self->process->handles;
    unsigned long flags = spin_lock_irqsave(&t->lock);
    KObject *obj;
    Error err = handle_lookup(t, h, KOBJ_CHANNEL, RIGHTS_NONE, &obj);
    Rights rights = RIGHTS_NONE;
    if (err == E_OK) {
        kobject_ref(obj);
        rights = t->entries[handle_index(h)].rights;
    }
    spin_unlock_irqrestore(&t->lock, flags);
    if (err != E_OK) {
        return err;
    }
    if (self->ipc.cache != NULL) {
        kobject_unref(&self->ipc.cache->obj);
    }
    self->ipc.cache = (Channel *)obj;
    self->ipc.cache_handle = h;
    self->ipc.cache_rights = rights;
    if (!rights_subset(need, rights)) {
        return E_PERM;
    }
    *out = (Channel *)obj;
    return E_OK;
}

void channel_destroy(Channel *ch)
{
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    Thread *t = chan_core_close(&ch->core);
    spin_unlock_irqrestore(&ch->lock, flags);
    while (t != NULL) {
        Thread *next = t->ipc.next;
        t->ipc.next = NULL;
        sched_wake(t);
        t = next;
    }
}

Error channel_wait_rest(Channel *ch, Thread *self, Thread *to, bool blocked)
{
    if (to != NULL && !blocked) {
        sched_wake(to); /* its CPU's run-queue lock nests inside ours */
    }
    for (;;) {
        if (!blocked) {
            blocked = sched_block_killable(&ch->lock);
        }
        if (blocked && channel_wait_over(self)) {
            return self->ipc.result;
        }
        /* A kill (pending before the block, or since) or a stray wake-up. */
        spin_lock(&ch->lock);
        if (channel_wait_over(self)) {
            spin_unlock(&ch->lock);
            return self->ipc.result;
        }
        if (__atomic_load_n(&self->kill_pending, __ATOMIC_SEQ_CST)) {
            chan_core_cancel(&ch->core, self);
            spin_unlock(&ch->lock);
            return E_AGAIN;
        }
        blocked = false; /* still waiting: block again */
    }
}

Error channel_call(Channel *ch)
{
    Thread *self = thread_current();
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    Thread *server;
    Error err = chan_core_call(&ch->core, ch, self, &server);
    if (err == E_OK) {
        if (server != NULL) {
            sched_inherit(server, self);
        }
        err = channel_wait(ch, self, server);
    } else {
        spin_unlock(&ch->lock);
    }
    arch_irq_restore(flags);
    return err;
}

/* The reply half, ch->lock held: self's message goes to the caller it
 * serves (*wake, to be woken). */
static inline __attribute__((always_inline)) Error channel_reply_locked(Channel *ch, Thread *self,
                                                                        Thread **wake)
{
    *wake = NULL;
    if (self->ipc.serving != ch) {
        return E_INVAL;
    }
    Error err = chan_core_reply(&ch->core, self, wake);
    self->ipc.serving = NULL;
    sched_uninherit(); /* the call is over: so is the boost */
    /* Never the last reference: the syscall holds its own. */
    kobject_unref(&ch->obj);
    return err;
}

Error channel_receive(Channel *ch, bool reply)
{
    Thread *self = thread_current();
    Thread *caller = NULL;
    IpcExtras undelivered; /* a failed reply's, dropped once unlocked */
    undelivered.handle_count = 0;
    undelivered.lend = NULL;
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    if (reply) {
        Error err = channel_reply_locked(ch, self, &caller);
        if (err != E_OK) {
            undelivered = self->ipc.extras;
            self->ipc.extras.handle_count = 0;
        }
        if (err != E_OK && err != E_NOENT) {
            spin_unlock_irqrestore(&ch->lock, flags);
            ipc_extras_drop(&undelivered);
            return err;
        }
    }
    bool queued;
    unsigned priority = (unsigned)self->base_class * SCHED_LEVELS + self->base_level;
    Error err = chan_core_recv(&ch->core, ch, self, priority, &queued);
    if (err == E_OK && !queued) {
        sched_inherit(self, self->ipc.client); /* took a queued call */
    }
    if (err == E_OK && queued) {
        err = channel_wait(ch, self, caller);
    } else {
        spin_unlock(&ch->lock);
        if (caller != NULL) {
            sched_wake(caller);
        }
    }
    arch_irq_restore(flags);
    if (undelivered.handle_count != 0 || undelivered.lend != NULL) {
        ipc_extras_drop(&undelivered);
    }
    if (err == E_OK) {
        kobject_ref(&ch->obj);
        self->ipc.serving = ch;
    }
    return err;
}

Error channel_reply(Channel *ch)
{
    Thread *self = thread_current();
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    Thread *caller;
    Error err = channel_reply_locked(ch, self, &caller);
    spin_unlock_irqrestore(&ch->lock, flags);
    if (caller != NULL) {
        sched_wake(caller);
    }
    return err;
}

void ipc_extras_drop(IpcExtras *x)
{
    ipc_handles_drop(x);
    if (x->lend != NULL) {
        ipc_lend_release(x->lend);
        x->lend = NULL;
    }
}

void channel_window_close(Thread *self)
{
    if (self->ipc.lent != NULL) {
        vm_window_unmap(&self->process->vm, self->ipc.lent_va);
        ipc_lend_release(self->ipc.lent);
        self->ipc.lent = NULL;
        self->ipc.lent_va = 0;
    }
}

void channel_thread_exit(Thread *self)
{
    ipc_extras_drop(&self->ipc.extras);
    channel_window_close(self); /* before its caller can wake */
    if (self->ipc.lend_spare != NULL) {
        ipc_lend_release(self->ipc.lend_spare);
        self->ipc.lend_spare = NULL;
    }
    if (self->ipc.cache != NULL) {
        kobject_unref(&self->ipc.cache->obj);
        self->ipc.cache = NULL;
        self->ipc.cache_handle = HANDLE_NONE;
    }
    Channel *ch = self->ipc.serving;
    if (ch == NULL) {
        return; /* an exiting thread waits on nothing, and serves nothing */
    }
    unsigned long flags = spin_lock_irqsave(&ch->lock);
    Thread *wake = chan_core_abandon(&ch->core, self);
    self->ipc.serving = NULL;
    spin_unlock_irqrestore(&ch->lock, flags);
    if (wake != NULL) {
        sched_wake(wake);
    }
    kobject_unref(&ch->obj);
}

_Static_assert(sizeof(IpcMsg) == sizeof(AnosIpcMsg), "the user and kernel messages match");
