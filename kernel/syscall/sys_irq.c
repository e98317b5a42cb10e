/*
 * Interrupt syscalls for user-space drivers: allocate an interrupt and
 * wait for it.
 */
#include <proc/irq_object.h>
#include <proc/process.h>
#include <proc/uaccess.h>

#include "sys.h"

#define IRQ_HANDLE_RIGHTS (RIGHT_WAIT | RIGHT_TRANSFER | RIGHT_DUPLICATE)

int64_t sys_irq_alloc(SYSCALL_ARGS)
{
    uint64_t source = a0, info_ptr = a1;
    if (source > UINT32_MAX) {
        return E_INVAL;
    }
    Error err = user_range_check(info_ptr, sizeof(AnosIrqInfo), 8);
    if (err != E_OK) {
        return err;
    }
    IrqObject *irq;
    AnosIrqInfo info;
    if ((err = irq_object_create((uint32_t)source, &irq, &info)) != E_OK) {
        return err;
    }
    Process *p = process_current();
    Handle h;
    err = handle_alloc(&p->handles, &irq->obj, IRQ_HANDLE_RIGHTS, &h);
    kobject_unref(&irq->obj); /* the handle holds it now (or nobody) */
    if (err != E_OK) {
        return err;
    }
    if ((err = copy_to_user(info_ptr, &info, sizeof(info), 8)) != E_OK) {
        handle_close(&p->handles, h);
        return err;
    }
    return (int64_t)h;
}

int64_t sys_irq_wait(SYSCALL_ARGS)
{
    KObject *obj;
    Error err = handle_get(&process_current()->handles, a0, KOBJ_IRQ, RIGHT_WAIT, &obj);
    if (err != E_OK) {
        return err;
    }
    uint64_t count = 0;
    err = irq_object_wait((IrqObject *)obj, a1, &count);
    kobject_unref(obj);
    return err != E_OK ? err : (int64_t)count;
}
