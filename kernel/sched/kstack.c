/*
 * Kernel stacks with guard pages in the KSTACK region (sched/kstack.h): a
 * bitmap of slots, each slot a guard page followed by KSTACK_SIZE mapped.
 */
#include <mm/mm.h>
#include <mm/vmm.h>
#include <panic.h>
#include <sched/kstack.h>
#include <spinlock.h>

/* Protects the mm allocators for scheduler callers and the slot bitmap. */
static Spinlock kmem_spinlock = SPINLOCK_INIT;

/* Bit i set: slot i holds a stack. [kmem_spinlock] */
static uint64_t slot_used[KSTACK_SLOTS / 64];
static uint32_t stacks_in_use;

/*
 * Waits with interrupts as the caller had them and disables them only once
 * the lock is free: the holder may be waiting for every other CPU to answer
 * a TLB-shootdown IPI (vmm_unmap_page), which a CPU spinning here with
 * interrupts off could never do.
 */
unsigned long kmem_lock(void)
{
    for (;;) {
        unsigned long flags = arch_irq_save();
        if (spin_trylock(&kmem_spinlock)) {
            return flags;
        }
        arch_irq_restore(flags);
        while (spin_is_locked(&kmem_spinlock)) {
            arch_cpu_relax();
        }
    }
}

void kmem_unlock(unsigned long flags)
{
    spin_unlock_irqrestore(&kmem_spinlock, flags);
}

static uintptr_t kstack_slot_base(uint32_t slot)
{
    return KSTACK_REGION_BASE + (uintptr_t)slot * KSTACK_SLOT_SIZE + MM_PAGE_SIZE;
}

/* Unmaps the first `pages` pages of a stack and frees them. kmem lock held. */
static void kstack_unmap(uintptr_t base, uint64_t pages)
{
    for (uint64_t i = 0; i < pages; i++) {
        uintptr_t va = base + i * MM_PAGE_SIZE;
        uint64_t pa;
        if (vmm_translate(mm_kernel_root(), va, &pa, NULL) != E_OK) {
            panic("kstack: page %p of a stack is not mapped", (void *)va);
        }
        /* vmm_unmap_page shoots the page out of every CPU's TLB (the SMP
         * layer's remote-flush hook) before it goes back to the PMM. */
        if (vmm_unmap_page(mm_kernel_root(), va) != E_OK || pmm_free_page(&mm_pmm, pa) != E_OK) {
            panic("kstack: cannot release stack page %p", (void *)va);
        }
    }
}

static Error kstack_map(uintptr_t base)
{
    uint64_t pages = KSTACK_SIZE / MM_PAGE_SIZE;
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t pa;
        Error err = pmm_alloc_page(&mm_pmm, &pa);
        if (err == E_OK) {
            err = vmm_map_page(mm_kernel_root(), base + i * MM_PAGE_SIZE, pa,
                               VMM_READ | VMM_WRITE | VMM_GLOBAL);
            if (err != E_OK) {
                pmm_free_page(&mm_pmm, pa);
            }
        }
        if (err != E_OK) {
            kstack_unmap(base, i);
            return err;
        }
    }
    return E_OK;
}

Error kstack_alloc(uintptr_t *base_out)
{
    unsigned long flags = kmem_lock();
    Error err = E_NOMEM;
    for (uint32_t w = 0; w < KSTACK_SLOTS / 64; w++) {
        if (slot_used[w] == ~0ull) {
            continue;
        }
        uint32_t slot = w * 64 + (uint32_t)__builtin_ctzll(~slot_used[w]);
        uintptr_t base = kstack_slot_base(slot);
        err = kstack_map(base);
        if (err == E_OK) {
            slot_used[w] |= 1ull << (slot % 64);
            stacks_in_use++;
            *base_out = base;
        }
        break;
    }
    kmem_unlock(flags);
    return err;
}

Error kstack_free(uintptr_t base)
{
    if (base < KSTACK_REGION_BASE + MM_PAGE_SIZE ||
        (base - KSTACK_REGION_BASE - MM_PAGE_SIZE) % KSTACK_SLOT_SIZE != 0) {
        return E_INVAL;
    }
    uint64_t slot = (base - KSTACK_REGION_BASE - MM_PAGE_SIZE) / KSTACK_SLOT_SIZE;
    if (slot >= KSTACK_SLOTS) {
        return E_INVAL;
    }
    unsigned long flags = kmem_lock();
    if ((slot_used[slot / 64] & (1ull << (slot % 64))) == 0) {
        kmem_unlock(flags);
        return E_INVAL;
    }
    kstack_unmap(base, KSTACK_SIZE / MM_PAGE_SIZE);
    slot_used[slot / 64] &= ~(1ull << (slot % 64));
    stacks_in_use--;
    kmem_unlock(flags);
    return E_OK;
}

uint32_t kstack_count(void)
{
    return __atomic_load_n(&stacks_in_use, __ATOMIC_RELAXED);
}
