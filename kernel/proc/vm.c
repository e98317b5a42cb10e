/*
 * A process's address space: page tables from the VMM, regions from
 * vm_region.c, frames from the PMM. Every change to the user half happens
 * under vm->lock, a mutex, because unmapping waits for other CPUs to flush
 * their TLBs.
 */
#include <anos/startup.h>
#include <anos/syscall.h>
#include <cap/object.h>
#include <kstring.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <mm/pmm.h>
#include <mm/vmm.h>
#include <panic.h>
#include <proc/vm.h>

static unsigned vm_prot_flags(unsigned prot)
{
    unsigned flags = VMM_READ | VMM_USER;
    if (prot & ANOS_PROT_WRITE) {
        flags |= VMM_WRITE;
    }
    if (prot & ANOS_PROT_EXEC) {
        flags |= VMM_EXEC;
    }
    return flags;
}

static bool vm_prot_valid(unsigned prot)
{
    return (prot & ~(ANOS_PROT_READ | ANOS_PROT_WRITE | ANOS_PROT_EXEC)) == 0 &&
           (prot & (ANOS_PROT_WRITE | ANOS_PROT_EXEC)) != (ANOS_PROT_WRITE | ANOS_PROT_EXEC);
}

Error vm_create(ProcessVm *vm)
{
    memset(vm, 0, sizeof(*vm));
    mutex_init(&vm->lock);
    vm->next_map = ANOS_MAP_BASE;
    return vmm_space_create(mm_kernel_root(), &vm->root);
}

/* Frees the frame of an owned leaf (phys regions are unmapped before). */
static void vm_free_leaf(void *ctx, uint64_t pa, uint64_t size)
{
    ProcessVm *vm = ctx;
    Error err = pmm_free_pages(&mm_pmm, pa, size / MM_PAGE_SIZE);
    if (err != E_OK) {
        panic("vm: freeing frame %llx: %s", (unsigned long long)pa, error_name(err));
    }
    vm->owned_pages -= size / MM_PAGE_SIZE;
}

void vm_destroy(ProcessVm *vm)
{
    /* Physical windows are not ours: take them out of the tables first so
     * the walk below sees only owned frames. No TLB flush is needed for a
     * dead space, but vmm_unmap_range does one; phys regions are few. */
    for (uint32_t i = 0; i < vm->set.count; i++) {
        const VmRegion *r = &vm->set.regions[i];
        if (r->kind == VM_REGION_PHYS) {
            vmm_unmap_range(vm->root, r->base, r->size);
            if (r->backing != NULL) {
                kobject_unref(r->backing);
            }
        }
    }
    vmm_space_destroy_leaves(vm->root, vm_free_leaf, vm);
    vm->root = 0;
    vm->set.count = 0;
}

/* Picks addr (0: a free gap from next_map) and records the region. */
static Error vm_place(ProcessVm *vm, uint64_t addr, uint64_t size, VmRegionKind kind, unsigned prot,
                      uint64_t *addr_out)
{
    if (addr == 0) {
        Error err = vm_region_find_gap(&vm->set, vm->next_map, size, ANOS_USER_TOP, &addr);
        if (err == E_NOMEM) {
            err = vm_region_find_gap(&vm->set, ANOS_MAP_BASE, size, ANOS_USER_TOP, &addr);
        }
        if (err != E_OK) {
            return err;
        }
    }
    Error err = vm_region_add(&vm->set, addr, size, kind, prot, ANOS_USER_MIN, ANOS_USER_TOP);
    if (err != E_OK) {
        return err;
    }
    if (addr >= ANOS_MAP_BASE) {
        vm->next_map = addr + size;
    }
    *addr_out = addr;
    return E_OK;
}

Error vm_map_anon(ProcessVm *vm, uint64_t addr, uint64_t size, unsigned prot, uint64_t *addr_out)
{
    if (!vm_prot_valid(prot)) {
        return prot & ~(ANOS_PROT_READ | ANOS_PROT_WRITE | ANOS_PROT_EXEC) ? E_INVAL : E_PERM;
    }
    if (size == 0) {
        return E_INVAL;
    }
    mutex_lock(&vm->lock);
    Error err = vm_place(vm, addr, size, VM_REGION_ANON, prot, addr_out);
    mutex_unlock(&vm->lock);
    return err;
}

Error vm_map_phys(ProcessVm *vm, uint64_t addr, uint64_t pa, uint64_t size, unsigned prot,
                  bool device, KObject *backing, uint64_t *addr_out)
{
    if (!vm_prot_valid(prot)) {
        return prot & ~(ANOS_PROT_READ | ANOS_PROT_WRITE | ANOS_PROT_EXEC) ? E_INVAL : E_PERM;
    }
    if (size == 0) {
        return E_INVAL;
    }
    if ((pa | size) & (MM_PAGE_SIZE - 1)) {
        return E_ALIGN;
    }
    mutex_lock(&vm->lock);
    uint64_t va;
    Error err = vm_place(vm, addr, size, VM_REGION_PHYS, prot, &va);
    if (err == E_OK) {
        unsigned flags = vm_prot_flags(prot) | (device ? VMM_NOCACHE : 0);
        err = vmm_map_range(vm->root, va, pa, size, flags, false);
        if (err != E_OK) {
            vm_region_remove(&vm->set, va, size, NULL);
        } else {
            if (backing != NULL) {
                kobject_ref(backing);
                ((VmRegion *)vm_region_find(&vm->set, va))->backing = backing;
            }
            *addr_out = va;
        }
    }
    mutex_unlock(&vm->lock);
    return err;
}

Error vm_unmap(ProcessVm *vm, uint64_t addr, uint64_t size)
{
    mutex_lock(&vm->lock);
    const VmRegion *r = vm_region_find(&vm->set, addr);
    KObject *drop = NULL;
    Error err = E_NOENT;
    if (r != NULL && r->base == addr && r->size == size) {
        if (r->kind == VM_REGION_IMAGE) {
            err = E_PERM;
        } else if (r->lent != 0) {
            err = E_BUSY; /* a page of it is lent out by IPC, or it is a lent window */
        } else {
            VmRegion gone;
            vm_region_remove(&vm->set, addr, size, &gone);
            /* E_NOENT from the VMM: nothing was touched yet; fine. */
            vmm_unmap_range_leaves(vm->root, addr, size,
                                   gone.kind == VM_REGION_PHYS ? NULL : vm_free_leaf, vm);
            drop = gone.backing;
            err = E_OK;
        }
    }
    mutex_unlock(&vm->lock);
    if (drop != NULL) {
        kobject_unref(drop);
    }
    return err;
}

/* A zeroed frame mapped at va with prot. */
static Error vm_map_zeroed(ProcessVm *vm, uint64_t va, unsigned prot, uint64_t *pa_out)
{
    uint64_t pa;
    Error err = pmm_alloc_page(&mm_pmm, &pa);
    if (err != E_OK) {
        return err;
    }
    memset(phys_to_virt(pa), 0, MM_PAGE_SIZE);
    err = vmm_map_page(vm->root, va, pa, vm_prot_flags(prot));
    if (err != E_OK) {
        pmm_free_page(&mm_pmm, pa);
        return err;
    }
    vm->owned_pages++;
    if (pa_out != NULL) {
        *pa_out = pa;
    }
    return E_OK;
}

Error vm_add_image(ProcessVm *vm, uint64_t base, uint64_t size, unsigned prot)
{
    Error err =
        vm_region_add(&vm->set, base, size, VM_REGION_IMAGE, prot, ANOS_USER_MIN, ANOS_USER_TOP);
    if (err != E_OK) {
        return err;
    }
    for (uint64_t off = 0; off < size; off += MM_PAGE_SIZE) {
        err = vm_map_zeroed(vm, base + off, prot, NULL);
        if (err != E_OK) {
            return err; /* vm_destroy returns what was mapped */
        }
    }
    return E_OK;
}

bool vm_fault(ProcessVm *vm, uint64_t addr, unsigned access)
{
    uint64_t page = addr & ~(MM_PAGE_SIZE - 1);
    mutex_lock(&vm->lock);
    bool ok = false;
    const VmRegion *r = vm_region_find(&vm->set, addr);
    if (r != NULL && r->kind == VM_REGION_ANON && vm_prot_allows(r->prot, access)) {
        Error err = vm_map_zeroed(vm, page, r->prot, NULL);
        /* E_EXIST: another thread of the process faulted it in first. */
        ok = err == E_OK || err == E_EXIST;
    }
    mutex_unlock(&vm->lock);
    return ok;
}

Error vm_write(ProcessVm *vm, uint64_t va, const void *src, uint64_t len)
{
    const uint8_t *from = src;
    while (len > 0) {
        uint64_t pa;
        if (vmm_translate(vm->root, va, &pa, NULL) != E_OK) {
            if (!vm_fault(vm, va, USER_ACCESS_WRITE) ||
                vmm_translate(vm->root, va, &pa, NULL) != E_OK) {
                return E_FAULT;
            }
        }
        uint64_t chunk = MM_PAGE_SIZE - (va & (MM_PAGE_SIZE - 1));
        if (chunk > len) {
            chunk = len;
        }
        memcpy(phys_to_virt(pa), from, chunk);
        from += chunk;
        va += chunk;
        len -= chunk;
    }
    return E_OK;
}

Error vm_lend_begin(ProcessVm *vm, uint64_t va, uint64_t *pa_out)
{
    mutex_lock(&vm->lock);
    VmRegion *r = (VmRegion *)vm_region_find(&vm->set, va);
    Error err = E_FAULT;
    if (r != NULL && (r->kind == VM_REGION_ANON || r->kind == VM_REGION_IMAGE) &&
        vm_prot_allows(r->prot, USER_ACCESS_WRITE)) {
        unsigned flags;
        err = vmm_translate(vm->root, va, pa_out, &flags);
        if (err != E_OK && r->kind == VM_REGION_ANON) {
            err = vm_map_zeroed(vm, va, r->prot, pa_out); /* lazy: not touched yet */
        }
        if (err == E_OK) {
            r->lent++;
        } else {
            err = E_FAULT;
        }
    }
    mutex_unlock(&vm->lock);
    return err;
}

void vm_lend_end(ProcessVm *vm, uint64_t va, bool give_up)
{
    mutex_lock(&vm->lock);
    VmRegion *r = (VmRegion *)vm_region_find(&vm->set, va);
    if (r != NULL && r->lent > 0) {
        r->lent--;
    }
    if (give_up && vmm_unmap_range_leaves(vm->root, va, MM_PAGE_SIZE, NULL, NULL) == E_OK) {
        vm->owned_pages--;
    }
    mutex_unlock(&vm->lock);
}

Error vm_window_map(ProcessVm *vm, uint64_t pa, uint64_t hint, uint64_t *va_out)
{
    unsigned prot = ANOS_PROT_READ | ANOS_PROT_WRITE;
    mutex_lock(&vm->lock);
    uint64_t va = 0;
    Error err = E_NOMEM;
    if (hint != 0) {
        err = vm_place(vm, hint, MM_PAGE_SIZE, VM_REGION_PHYS, prot, &va);
    }
    if (err != E_OK) {
        err = vm_place(vm, 0, MM_PAGE_SIZE, VM_REGION_PHYS, prot, &va);
    }
    if (err == E_OK) {
        err = vmm_map_page(vm->root, va, pa, vm_prot_flags(prot));
        if (err != E_OK) {
            vm_region_remove(&vm->set, va, MM_PAGE_SIZE, NULL);
        } else {
            ((VmRegion *)vm_region_find(&vm->set, va))->lent = 1;
            *va_out = va;
        }
    }
    mutex_unlock(&vm->lock);
    return err;
}

void vm_window_unmap(ProcessVm *vm, uint64_t va)
{
    mutex_lock(&vm->lock);
    const VmRegion *r = vm_region_find(&vm->set, va);
    if (r != NULL && r->kind == VM_REGION_PHYS && r->base == va && r->lent != 0) {
        vm_region_remove(&vm->set, va, MM_PAGE_SIZE, NULL);
        vmm_unmap_page_keep_tables(vm->root, va);
    }
    mutex_unlock(&vm->lock);
}
