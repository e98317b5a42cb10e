/*
 * Per-process handle tables: a flat array of slots naming kernel objects,
 * each with the rights the handle carries. docs/Capabilities.md.
 */
#ifndef ANOS_KERNEL_CAP_HANDLE_TABLE_H
#define ANOS_KERNEL_CAP_HANDLE_TABLE_H

#include <anos/errors.h>
#include <anos/handle.h>
#include <cap/object.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stdint.h>

/* Largest capacity: indices 0..HANDLE_TABLE_MAX_CAPACITY-1 fit the handle's
 * index field and leave one value for the end of the free list. */
#define HANDLE_TABLE_MAX_CAPACITY (HANDLE_INDEX_LIMIT - 1)
#define HANDLE_FREE_END           ((uint16_t)HANDLE_INDEX_MASK)

/*
 * One slot. `handle` is the whole state machine:
 *   live     the handle that names this slot (generation >= 1, bit 63 clear)
 *   free     the next handle this slot will issue, with HANDLE_RESERVED set
 *   retired  HANDLE_RESERVED alone: the generation is used up, never reused
 * A valid handle never has HANDLE_RESERVED set, so only a live slot can
 * compare equal to one. The other fields are meaningful only while live.
 * Writers hold the table lock; handle_lookup reads without it (see there).
 */
typedef struct HandleEntry {
    uint64_t handle;
    KObject *obj;
    Rights rights;
    uint16_t type;      /* obj->type, copied so a lookup need not touch obj */
    uint16_t next_free; /* free-list link while free */
} HandleEntry;

/*
 * `entries` and `capacity` never change after handle_table_init, so a
 * lookup may read them without the lock. `lock` guards every write to an
 * entry, the free list and the counters; it is taken with interrupts off.
 * No destroy callback runs under it: references are dropped after unlock.
 */
typedef struct HandleTable {
    HandleEntry *entries;
    uint32_t capacity;
    uint16_t free_head; /* HANDLE_FREE_END when full */
    uint32_t live;      /* slots naming an object */
    uint32_t retired;   /* slots whose generations ran out */
    Spinlock lock;
} HandleTable;

/* A handle taken out of one table on its way into another (IPC, process
 * create): owns one reference to obj. */
typedef struct HandleInFlight {
    KObject *obj;
    Rights rights;
} HandleInFlight;

/* Uses storage[0..capacity) (the caller owns the memory; it must outlive
 * the table). E_INVAL: storage NULL, capacity 0 or above
 * HANDLE_TABLE_MAX_CAPACITY. */
Error handle_table_init(HandleTable *t, HandleEntry *storage, uint32_t capacity);

/* Drops the reference of every live handle and retires every slot: later
 * lookups fail and allocations return E_NOMEM. For process teardown, when no
 * thread of the process runs any more. */
void handle_table_destroy(HandleTable *t);

/* A new handle to obj with `rights`; takes a reference. E_NOMEM: no free
 * slot. E_INVAL: obj NULL. */
Error handle_alloc(HandleTable *t, KObject *obj, Rights rights, Handle *out);

/* Drops the handle's reference and retires its generation, so the value is
 * refused from now on. E_NOENT: not a live handle of this table. */
Error handle_close(HandleTable *t, Handle h);

/* Like handle_lookup, under the lock, and takes a reference the caller
 * drops with kobject_unref: the safe way to use an object beyond the lookup. */
Error handle_get(HandleTable *t, Handle h, KObjectType type, Rights required, KObject **obj_out);

/* A second handle to the same object with new_rights. E_NOENT: h not live;
 * E_PERM: h lacks RIGHT_DUPLICATE or new_rights is not a subset of its
 * rights; E_NOMEM: table full. On error nothing changed. */
Error handle_duplicate(HandleTable *t, Handle h, Rights new_rights, Handle *out);

/* Takes h out of t for another table, with new_rights. `move` closes h;
 * otherwise h stays (a copy, which also needs RIGHT_DUPLICATE). The result
 * owns one reference. E_NOENT: h not live; E_PERM: no RIGHT_TRANSFER (or no
 * RIGHT_DUPLICATE for a copy), or new_rights not a subset. */
Error handle_transfer_out(HandleTable *t, Handle h, Rights new_rights, bool move,
                          HandleInFlight *out);

/* The first half of a move or copy that must not change t until it is
 * sure to go ahead (IPC checks every handle of a message first): a new
 * reference with handle_transfer_out's checks for `move`, h left in
 * place. The caller closes h later for a move. */
Error handle_take(HandleTable *t, Handle h, Rights new_rights, bool move, HandleInFlight *out);

/* Installs an in-flight handle, consuming its reference. E_NOMEM: table
 * full, and the caller still owns the reference (put it back or drop it). */
Error handle_transfer_in(HandleTable *t, HandleInFlight *in, Handle *out);

/* Drops an in-flight handle that will not be installed. */
void handle_in_flight_drop(HandleInFlight *in);

/* Moves (or copies) h from src to dst in one step; on any error neither
 * table changed. Errors as handle_transfer_out and handle_transfer_in. */
Error handle_transfer(HandleTable *src, Handle h, HandleTable *dst, Rights new_rights, bool move,
                      Handle *out);

/* Live handles (racy unless the caller excludes mutation). */
static inline uint32_t handle_table_count(const HandleTable *t)
{
    return __atomic_load_n(&t->live, __ATOMIC_RELAXED);
}

/*
 * The fast path: one indexed load and a compare of the whole handle value
 * (index, generation and reserved bit at once), then the type and rights.
 * Errors: E_NOENT for anything that is not a live handle of this table
 * (stale, forged, index out of range, free or retired slot, 0); E_INVAL for
 * a live handle of another type (type KOBJ_ANY accepts all); E_PERM when
 * `required` is not a subset of the handle's rights.
 *
 * Lock-free. The handle value doubles as a sequence count: writers change it
 * before and after rewriting the other fields, and a value is never reused
 * (generations only grow; an exhausted slot is retired), so reading it equal
 * to h before and after the fields proves they belong to h. The pointer
 * returned is BORROWED, not referenced: it stays valid only while the object
 * cannot be destroyed, i.e. while the caller holds t->lock, holds another
 * reference, or (for object types that promise it) until the next quiescent
 * point of a deferred-free scheme. Anything else uses handle_get.
 */
static inline Error handle_lookup(HandleTable *t, Handle h, KObjectType type, Rights required,
                                  KObject **obj_out)
{
    uint32_t index = handle_index(h);
    if (index >= t->capacity || (h & HANDLE_RESERVED) != 0) {
        return E_NOENT;
    }
    HandleEntry *e = &t->entries[index];
    if (__atomic_load_n(&e->handle, __ATOMIC_ACQUIRE) != h) {
        return E_NOENT;
    }
    KObject *obj = __atomic_load_n(&e->obj, __ATOMIC_RELAXED);
    Rights rights = __atomic_load_n(&e->rights, __ATOMIC_RELAXED);
    uint16_t etype = __atomic_load_n(&e->type, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (__atomic_load_n(&e->handle, __ATOMIC_RELAXED) != h) {
        return E_NOENT;
    }
    if (type != KOBJ_ANY && etype != (uint16_t)type) {
        return E_INVAL;
    }
    if (!rights_subset(required, rights)) {
        return E_PERM;
    }
    *obj_out = obj;
    return E_OK;
}

#endif
