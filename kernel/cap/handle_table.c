/*
 * Handle tables (cap/handle_table.h): allocation from a free list, close
 * with a generation bump, duplicate and transfer with rights reduction.
 *
 * Every function that writes an entry holds t->lock and follows the
 * protocol handle_lookup depends on: the `handle` word leaves its old value
 * before any other field changes (release fence between), and takes its new
 * value only after they are written (release store).
 */
#include <cap/handle_table.h>
#include <stddef.h>

/* The live slot h names, or NULL. Must hold t->lock. */
static HandleEntry *entry_live(HandleTable *t, Handle h)
{
    uint32_t index = handle_index(h);
    if (index >= t->capacity || (h & HANDLE_RESERVED) != 0) {
        return NULL;
    }
    HandleEntry *e = &t->entries[index];
    return e->handle == h ? e : NULL;
}

/* Fills a free slot and publishes its handle. Must hold t->lock; the caller
 * has already taken the reference the slot will own. */
static Error entry_install(HandleTable *t, KObject *obj, Rights rights, Handle *out)
{
    if (t->free_head == HANDLE_FREE_END) {
        return E_NOMEM;
    }
    HandleEntry *e = &t->entries[t->free_head];
    t->free_head = e->next_free;
    Handle h = e->handle & ~HANDLE_RESERVED;

    /* The free marker was stored (at close or init) before this fence. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&e->obj, obj, __ATOMIC_RELAXED);
    __atomic_store_n(&e->rights, rights, __ATOMIC_RELAXED);
    __atomic_store_n(&e->type, (uint16_t)obj->type, __ATOMIC_RELAXED);
    __atomic_store_n(&e->handle, h, __ATOMIC_RELEASE);
    t->live++;
    *out = h;
    return E_OK;
}

/* Takes a slot's handle value away from lookups (to a free or retired
 * marker) and clears the fields. Must hold t->lock. */
static void entry_unpublish(HandleEntry *e, uint64_t marker)
{
    __atomic_store_n(&e->handle, marker, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&e->obj, NULL, __ATOMIC_RELAXED);
    __atomic_store_n(&e->rights, RIGHTS_NONE, __ATOMIC_RELAXED);
}

/* Unpublishes a live slot and puts it back on the free list with the next
 * generation, or retires it when the generations are used up. Returns the
 * object whose reference the caller must drop after unlocking. Must hold
 * t->lock. */
static KObject *entry_release(HandleTable *t, HandleEntry *e)
{
    uint32_t index = (uint32_t)(e - t->entries);
    uint64_t gen = handle_gen(e->handle);
    KObject *obj = e->obj;
    t->live--;
    if (gen == HANDLE_GEN_MAX) {
        entry_unpublish(e, HANDLE_RESERVED);
        t->retired++;
    } else {
        entry_unpublish(e, handle_make(index, gen + 1) | HANDLE_RESERVED);
        e->next_free = t->free_head;
        t->free_head = (uint16_t)index;
    }
    return obj;
}

Error handle_table_init(HandleTable *t, HandleEntry *storage, uint32_t capacity)
{
    if (storage == NULL || capacity == 0 || capacity > HANDLE_TABLE_MAX_CAPACITY) {
        return E_INVAL;
    }
    /* Slot i first issues generation 1; the free list runs 0, 1, 2, ... */
    for (uint32_t i = 0; i < capacity; i++) {
        storage[i].handle = handle_make(i, 1) | HANDLE_RESERVED;
        storage[i].obj = NULL;
        storage[i].rights = RIGHTS_NONE;
        storage[i].type = KOBJ_ANY;
        storage[i].next_free = i + 1 < capacity ? (uint16_t)(i + 1) : HANDLE_FREE_END;
    }
    t->entries = storage;
    t->capacity = capacity;
    t->free_head = 0;
    t->live = 0;
    t->retired = 0;
    spin_init(&t->lock);
    return E_OK;
}

void handle_table_destroy(HandleTable *t)
{
    /* One slot per lock hold, so destroy callbacks run unlocked. */
    for (uint32_t i = 0; i < t->capacity; i++) {
        unsigned long flags = spin_lock_irqsave(&t->lock);
        t->free_head = HANDLE_FREE_END;
        HandleEntry *e = &t->entries[i];
        KObject *obj = NULL;
        if ((e->handle & HANDLE_RESERVED) == 0) {
            obj = e->obj;
            t->live--;
        }
        if (e->handle != HANDLE_RESERVED) {
            entry_unpublish(e, HANDLE_RESERVED);
            t->retired++;
        }
        spin_unlock_irqrestore(&t->lock, flags);
        if (obj != NULL) {
            kobject_unref(obj);
        }
    }
}

Error handle_alloc(HandleTable *t, KObject *obj, Rights rights, Handle *out)
{
    if (obj == NULL) {
        return E_INVAL;
    }
    unsigned long flags = spin_lock_irqsave(&t->lock);
    Error err = E_NOMEM;
    if (t->free_head != HANDLE_FREE_END) {
        kobject_ref(obj);
        err = entry_install(t, obj, rights, out);
    }
    spin_unlock_irqrestore(&t->lock, flags);
    return err;
}

Error handle_close(HandleTable *t, Handle h)
{
    unsigned long flags = spin_lock_irqsave(&t->lock);
    HandleEntry *e = entry_live(t, h);
    KObject *obj = e != NULL ? entry_release(t, e) : NULL;
    spin_unlock_irqrestore(&t->lock, flags);
    if (obj == NULL) {
        return E_NOENT;
    }
    kobject_unref(obj);
    return E_OK;
}

Error handle_get(HandleTable *t, Handle h, KObjectType type, Rights required, KObject **obj_out)
{
    unsigned long flags = spin_lock_irqsave(&t->lock);
    KObject *obj;
    Error err = handle_lookup(t, h, type, required, &obj);
    if (err == E_OK) {
        /* The slot's own reference keeps obj alive while we hold the lock. */
        kobject_ref(obj);
        *obj_out = obj;
    }
    spin_unlock_irqrestore(&t->lock, flags);
    return err;
}

/* Decode for duplicate and transfer: h is live, carries every right in
 * `needed`, and new_rights is a subset of its rights. Must hold t->lock. */
static Error check_derive(HandleTable *t, Handle h, Rights needed, Rights new_rights,
                          HandleEntry **e_out)
{
    HandleEntry *e = entry_live(t, h);
    if (e == NULL) {
        return E_NOENT;
    }
    if (!rights_subset(needed, e->rights) || !rights_subset(new_rights, e->rights)) {
        return E_PERM;
    }
    *e_out = e;
    return E_OK;
}

Error handle_duplicate(HandleTable *t, Handle h, Rights new_rights, Handle *out)
{
    unsigned long flags = spin_lock_irqsave(&t->lock);
    HandleEntry *e;
    Error err = check_derive(t, h, RIGHT_DUPLICATE, new_rights, &e);
    if (err == E_OK && t->free_head == HANDLE_FREE_END) {
        err = E_NOMEM;
    }
    if (err == E_OK) {
        kobject_ref(e->obj);
        err = entry_install(t, e->obj, new_rights, out);
    }
    spin_unlock_irqrestore(&t->lock, flags);
    return err;
}

/* Takes h out of t as an in-flight handle with its own reference, after
 * checking `needed` and the subset rule; `move` closes h as well. */
static Error take_out(HandleTable *t, Handle h, Rights needed, Rights new_rights, bool move,
                      HandleInFlight *out)
{
    unsigned long flags = spin_lock_irqsave(&t->lock);
    HandleEntry *e;
    Error err = check_derive(t, h, needed, new_rights, &e);
    if (err == E_OK) {
        out->rights = new_rights;
        if (move) {
            /* The slot's reference passes to the in-flight handle. */
            out->obj = entry_release(t, e);
        } else {
            kobject_ref(e->obj);
            out->obj = e->obj;
        }
    }
    spin_unlock_irqrestore(&t->lock, flags);
    return err;
}

static Rights transfer_needs(bool move)
{
    return move ? RIGHT_TRANSFER : (RIGHT_TRANSFER | RIGHT_DUPLICATE);
}

Error handle_transfer_out(HandleTable *t, Handle h, Rights new_rights, bool move,
                          HandleInFlight *out)
{
    return take_out(t, h, transfer_needs(move), new_rights, move, out);
}

Error handle_take(HandleTable *t, Handle h, Rights new_rights, bool move, HandleInFlight *out)
{
    return take_out(t, h, transfer_needs(move), new_rights, false, out);
}

Error handle_transfer_in(HandleTable *t, HandleInFlight *in, Handle *out)
{
    unsigned long flags = spin_lock_irqsave(&t->lock);
    Error err = entry_install(t, in->obj, in->rights, out);
    spin_unlock_irqrestore(&t->lock, flags);
    if (err == E_OK) {
        in->obj = NULL;
    }
    return err;
}

void handle_in_flight_drop(HandleInFlight *in)
{
    if (in->obj != NULL) {
        kobject_unref(in->obj);
        in->obj = NULL;
    }
}

Error handle_transfer(HandleTable *src, Handle h, HandleTable *dst, Rights new_rights, bool move,
                      Handle *out)
{
    /* Copy out (with the rights a move or a copy needs), install, and only
     * then close the source: a full dst leaves src untouched, and the two
     * tables' locks are never held together. */
    HandleInFlight in = {0};
    Error err = take_out(src, h, transfer_needs(move), new_rights, false, &in);
    if (err != E_OK) {
        return err;
    }
    err = handle_transfer_in(dst, &in, out);
    if (err != E_OK) {
        handle_in_flight_drop(&in);
        return err;
    }
    if (move) {
        /* If another thread closed h meanwhile, the move still stands: it
         * reads as the move followed by a close of the moved handle. */
        (void)handle_close(src, h);
    }
    return E_OK;
}
