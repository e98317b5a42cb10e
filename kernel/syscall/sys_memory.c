/*
 * Memory syscalls: anonymous mappings (lazy, zeroed), unmapping, physical
 * ranges (allocating them and mapping them).
 */
#include <anos/startup.h>
#include <mm/page.h>
#include <proc/firmware.h>
#include <proc/phys_range.h>
#include <proc/process.h>
#include <proc/uaccess.h>

#include "sys.h"

/* The most pages one SYS_ALLOC_PHYS may take (16 MiB). */
#define ALLOC_PHYS_MAX_PAGES 4096

#define PHYS_HANDLE_RIGHTS (RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_TRANSFER | RIGHT_DUPLICATE)

/* addr 0 (the kernel chooses) or a page-aligned user range of size bytes. */
static Error sys_check_placement(uint64_t addr, uint64_t size)
{
    if (size == 0) {
        return E_INVAL;
    }
    if (size & (MM_PAGE_SIZE - 1)) {
        return E_ALIGN;
    }
    return addr == 0 ? E_OK : user_range_check(addr, size, MM_PAGE_SIZE);
}

int64_t sys_map_anon(SYSCALL_ARGS)
{
    uint64_t addr = a0, size = a1, prot = a2;
    if (prot & ~(uint64_t)(ANOS_PROT_READ | ANOS_PROT_WRITE | ANOS_PROT_EXEC)) {
        return E_INVAL;
    }
    Error err = sys_check_placement(addr, size);
    if (err != E_OK) {
        return err;
    }
    uint64_t out;
    err = vm_map_anon(&process_current()->vm, addr, size, (unsigned)prot, &out);
    return err != E_OK ? err : (int64_t)out;
}

int64_t sys_unmap(SYSCALL_ARGS)
{
    uint64_t addr = a0, size = a1;
    if (addr == 0) {
        return E_FAULT;
    }
    Error err = sys_check_placement(addr, size);
    if (err != E_OK) {
        return err;
    }
    return vm_unmap(&process_current()->vm, addr, size);
}

int64_t sys_map_phys(SYSCALL_ARGS)
{
    Handle h = a0;
    uint64_t addr = a1, offset = a2, size = a3, prot = a4;
    if (prot & ~(uint64_t)(ANOS_PROT_READ | ANOS_PROT_WRITE | ANOS_PROT_EXEC)) {
        return E_INVAL;
    }
    Process *p = process_current();
    Rights need = RIGHT_MAP | ((prot & ANOS_PROT_WRITE) ? RIGHT_WRITE : 0);
    KObject *obj;
    Error err = handle_get(&p->handles, h, KOBJ_PHYS_RANGE, need, &obj);
    if (err != E_OK) {
        return err;
    }
    PhysRange *r = (PhysRange *)obj;
    if (offset & (MM_PAGE_SIZE - 1)) {
        err = E_ALIGN;
    } else if (offset >= r->size) {
        err = E_RANGE;
    } else {
        if (size == 0) {
            size = r->size - offset;
        }
        if (size > r->size - offset) {
            err = E_RANGE;
        } else if ((err = sys_check_placement(addr, size)) == E_OK) {
            uint64_t out;
            err = vm_map_phys(&p->vm, addr, r->base + offset, size, (unsigned)prot, r->device, obj,
                              &out);
            if (err == E_OK) {
                kobject_unref(obj);
                return (int64_t)out;
            }
        }
    }
    kobject_unref(obj);
    return err;
}

int64_t sys_alloc_phys(SYSCALL_ARGS)
{
    uint64_t pages = a0, pa_out = a1;
    if (pages == 0) {
        return E_INVAL;
    }
    if (pages > ALLOC_PHYS_MAX_PAGES) {
        return E_RANGE;
    }
    Error err = pa_out == 0 ? E_OK : user_range_check(pa_out, sizeof(uint64_t), 8);
    if (err != E_OK) {
        return err;
    }
    PhysRange *r;
    if ((err = phys_range_alloc(pages, &r)) != E_OK) {
        return err;
    }
    Process *p = process_current();
    Handle h;
    err = handle_alloc(&p->handles, &r->obj, PHYS_HANDLE_RIGHTS, &h);
    kobject_unref(&r->obj); /* the handle holds it now (or nobody) */
    if (err != E_OK) {
        return err;
    }
    if (pa_out != 0 && (err = copy_to_user(pa_out, &r->base, sizeof(uint64_t), 8)) != E_OK) {
        handle_close(&p->handles, h);
        return err;
    }
    return (int64_t)h;
}

int64_t sys_firmware_map(SYSCALL_ARGS)
{
    uint64_t phys = a0, size = a1;
    const FirmwareInfo *fw = firmware_info();
    if (phys == 0) {
        if (fw->root == 0) {
            return E_NOENT;
        }
        phys = fw->root;
        size = fw->root_size;
    }
    Error err = firmware_check(fw, phys, size);
    if (err != E_OK) {
        return err;
    }
    uint64_t base = phys & ~(MM_PAGE_SIZE - 1);
    uint64_t len = ((phys + size + MM_PAGE_SIZE - 1) & ~(MM_PAGE_SIZE - 1)) - base;
    uint64_t va;
    err = vm_map_phys(&process_current()->vm, 0, base, len, ANOS_PROT_READ, false, NULL, &va);
    return err != E_OK ? err : (int64_t)(va + (phys - base));
}
