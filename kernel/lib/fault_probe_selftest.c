/*
 * In-kernel self-test of the fault probes: the trap handlers must turn a
 * kernel fault at a probe into E_FAULT and resume, leaving memory and the
 * interrupt state as they were.
 */
#include <arch/cpu.h>
#include <fault_probe.h>
#include <kprintf.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <mm/pmm.h>
#include <mm/vmm.h>
#include <sched/kstack.h>

/* An otherwise unused kernel-half page (root slot 509, past the mm and TLB
 * self-tests' scratch pages). */
#define FAULT_PROBE_VA 0xFFFFFE8000400000ull

/* Not canonical under 4- or 5-level paging, Sv39, Sv48 or Sv57. */
#define NON_CANONICAL_VA 0x8000000000000000ull

/* Stored where nothing would find it by chance, to see *out untouched. */
#define UNTOUCHED 0x0DDF00D0DDF00D00ull

/* In the kernel's .rodata, mapped read-only (CR0.WP binds the kernel too). */
static const uint64_t probe_rodata = 0x5EED5EED5EED5EEDull;
/* In .data: mapped read-write. */
static uint64_t probe_data = 0x1234567890ABCDEFull;

static bool probe_fail(const char *why)
{
    kprintf("fault_probe selftest: %s\n", why);
    return false;
}

/* A probe of va that must fault, read and write, leaving *out alone. */
static bool faults(uintptr_t va)
{
    uint64_t out = UNTOUCHED;
    return probe_read_u64(va, &out) == E_FAULT && out == UNTOUCHED &&
           probe_write_u64(va, 0) == E_FAULT;
}

static bool probe_mapped(void)
{
    uint64_t out = 0;
    if (probe_read_u64((uintptr_t)&probe_data, &out) != E_OK || out != 0x1234567890ABCDEFull) {
        return probe_fail("read of mapped .data did not return its value");
    }
    if (probe_write_u64((uintptr_t)&probe_data, 42) != E_OK ||
        *(volatile uint64_t *)&probe_data != 42) {
        return probe_fail("write to mapped .data did not land");
    }
    return true;
}

static bool probe_read_only(void)
{
    uint64_t out = 0;
    if (probe_read_u64((uintptr_t)&probe_rodata, &out) != E_OK || out != 0x5EED5EED5EED5EEDull) {
        return probe_fail("read of .rodata did not return its value");
    }
    if (probe_write_u64((uintptr_t)&probe_rodata, 0) != E_FAULT) {
        return probe_fail("write to read-only .rodata did not fault");
    }
    if (*(const volatile uint64_t *)&probe_rodata != 0x5EED5EED5EED5EEDull) {
        return probe_fail("faulting write changed .rodata");
    }
    return true;
}

/* Maps a page of known contents at FAULT_PROBE_VA, probes it, unmaps it
 * and probes again: the second probe must fault. */
static bool probe_unmapped(void)
{
    uint64_t pa;
    unsigned long flags = kmem_lock();
    Error err = pmm_alloc_page(&mm_pmm, &pa);
    kmem_unlock(flags);
    if (err != E_OK) {
        return probe_fail("no page for the test");
    }
    *(volatile uint64_t *)phys_to_virt(pa) = 0xFEEDFACE;
    flags = kmem_lock();
    err = vmm_map_page(mm_kernel_root(), FAULT_PROBE_VA, pa, VMM_READ | VMM_WRITE);
    kmem_unlock(flags);
    uint64_t out = 0;
    bool ok = err == E_OK && probe_read_u64(FAULT_PROBE_VA, &out) == E_OK && out == 0xFEEDFACE;
    if (!ok) {
        probe_fail("read of a freshly mapped page failed");
    }
    flags = kmem_lock();
    Error unmapped = err == E_OK ? vmm_unmap_page(mm_kernel_root(), FAULT_PROBE_VA) : E_OK;
    if (unmapped == E_OK) {
        pmm_free_page(&mm_pmm, pa); /* a page still mapped must never be reused */
    }
    kmem_unlock(flags);
    if (unmapped != E_OK) {
        ok = probe_fail("unmap of the scratch page failed");
    }
    if (ok && !faults(FAULT_PROBE_VA)) {
        ok = probe_fail("probe of an unmapped kernel page did not fault");
    }
    return ok;
}

/* The fixup returns through the trap frame: the interrupt flag must come
 * back as it was, on and off. */
static bool probe_keeps_irq_state(void)
{
    bool before = arch_irq_enabled();
    bool ok = faults(FAULT_PROBE_VA) && arch_irq_enabled() == before;
    unsigned long flags = arch_irq_save();
    ok = ok && faults(FAULT_PROBE_VA) && !arch_irq_enabled();
    arch_irq_restore(flags);
    if (!ok || arch_irq_enabled() != before) {
        return probe_fail("a faulting probe changed the interrupt state");
    }
    return true;
}

bool fault_probe_selftest(void)
{
    if (!probe_mapped() || !probe_read_only() || !probe_unmapped()) {
        return false;
    }
    if (!faults(NON_CANONICAL_VA) || !faults(0x0000800000000000ull)) {
        return probe_fail("probe of a non-canonical address did not fault");
    }
    if (!faults(0)) {
        return probe_fail("probe of address 0 did not fault");
    }
    if (!probe_keeps_irq_state()) {
        return false;
    }
    kprintf("fault_probe: unmapped, read-only and non-canonical accesses return E_FAULT\n");
    return true;
}
