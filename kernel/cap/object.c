/*
 * Reference counting for kernel objects (cap/object.h).
 */
#include <cap/object.h>
#include <panic.h>
#include <stddef.h>

void kobject_init(KObject *obj, KObjectType type, KObjectDestroy destroy)
{
    if (type <= KOBJ_ANY || type >= KOBJ_TYPE_COUNT) {
        panic("kobject_init: bad type %d", (int)type);
    }
    obj->type = (uint32_t)type;
    obj->destroy = destroy;
    __atomic_store_n(&obj->refcount, 1, __ATOMIC_RELEASE);
}

void kobject_ref_broken(KObject *obj, uint32_t old)
{
    panic("kobject_ref: %s object %p had %u references", kobject_type_name(obj->type), (void *)obj,
          old);
}

void kobject_unref_last(KObject *obj, uint32_t old)
{
    if (old == 0) {
        panic("kobject_unref: %s object %p has no references", kobject_type_name(obj->type),
              (void *)obj);
    }
    /* The acquire fence orders every other owner's uses before destroy. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (obj->destroy != NULL) {
        obj->destroy(obj);
    }
}

const char *kobject_type_name(KObjectType type)
{
    switch (type) {
    case KOBJ_CHANNEL: return "channel";
    case KOBJ_MEMORY: return "memory";
    case KOBJ_PHYS_RANGE: return "phys-range";
    case KOBJ_IRQ: return "irq";
    case KOBJ_PROCESS: return "process";
    case KOBJ_THREAD: return "thread";
    case KOBJ_FIRMWARE_TABLE: return "firmware-table";
    case KOBJ_TEST: return "test";
    default: return "?";
    }
}
