/*
 * The header every kernel object reachable through a handle starts with:
 * its type, a reference count and the function that frees it.
 */
#ifndef ANOS_KERNEL_CAP_OBJECT_H
#define ANOS_KERNEL_CAP_OBJECT_H

#include <stdbool.h>
#include <stdint.h>

/* KOBJ_ANY is not a type: lookups pass it to accept every type. */
typedef enum KObjectType {
    KOBJ_ANY = 0,
    KOBJ_CHANNEL = 1,
    KOBJ_MEMORY = 2,
    KOBJ_PHYS_RANGE = 3,
    KOBJ_IRQ = 4,
    KOBJ_PROCESS = 5,
    KOBJ_THREAD = 6,
    KOBJ_FIRMWARE_TABLE = 7,
    KOBJ_TEST = 8, /* host and in-kernel tests only */
    KOBJ_TYPE_COUNT
} KObjectType;

typedef struct KObject KObject;

/* Frees the object once the last reference is gone. Called exactly once,
 * with no handle-table lock held, from whichever kobject_unref dropped the
 * count to zero (so it may take locks, but must not sleep if the caller
 * could not). */
typedef void (*KObjectDestroy)(KObject *obj);

/*
 * Embedded as the first member of every object type (channel, process, ...),
 * so a KObject * converts to the containing type after a type check.
 * `refcount` counts handles plus kernel references (an object in flight in an
 * IPC message, a thread's pointer to its process); it is changed only with
 * atomics. `type` and `destroy` never change after kobject_init.
 */
struct KObject {
    uint32_t type; /* a KObjectType */
    uint32_t refcount;
    KObjectDestroy destroy;
};

/* Sets the type and one reference, owned by the caller. Panics on KOBJ_ANY
 * or an unknown type (a kernel bug, not bad input). */
void kobject_init(KObject *obj, KObjectType type, KObjectDestroy destroy);

/* The rare ends of kobject_ref and kobject_unref, out of line: a count
 * that was 0 or about to wrap (panics), and the last reference (destroy). */
_Noreturn void kobject_ref_broken(KObject *obj, uint32_t old);
void kobject_unref_last(KObject *obj, uint32_t old);

/* Takes another reference. The caller must already own one (directly or
 * through a handle it holds under the table lock): reviving an object whose
 * count reached zero panics. Inline: IPC takes one per call. */
static inline void kobject_ref(KObject *obj)
{
    uint32_t old = __atomic_fetch_add(&obj->refcount, 1, __ATOMIC_RELAXED);
    if (__builtin_expect(old - 1u >= UINT32_MAX - 1u, 0)) { /* old is 0 or UINT32_MAX */
        kobject_ref_broken(obj, old);
    }
}

/* Drops a reference; the one that reaches zero calls destroy. Dropping a
 * reference nobody holds (underflow) panics. Release orders this owner's
 * last uses of the object before the decrement. */
static inline void kobject_unref(KObject *obj)
{
    uint32_t old = __atomic_fetch_sub(&obj->refcount, 1, __ATOMIC_RELEASE);
    if (__builtin_expect(old <= 1, 0)) {
        kobject_unref_last(obj, old);
    }
}

/* For statistics and tests: racy unless the caller excludes other users. */
static inline uint32_t kobject_refcount(const KObject *obj)
{
    return __atomic_load_n(&obj->refcount, __ATOMIC_RELAXED);
}

static inline KObjectType kobject_type(const KObject *obj)
{
    return (KObjectType)obj->type;
}

/* True if obj has `type`, or `type` is KOBJ_ANY. */
static inline bool kobject_is(const KObject *obj, KObjectType type)
{
    return type == KOBJ_ANY || obj->type == (uint32_t)type;
}

const char *kobject_type_name(KObjectType type);

#endif
