/*
 * A process's user address space: its page-table root and the regions the
 * process may touch. Anonymous regions are allocated lazily, one zeroed page
 * at the first touch; image regions were filled by the loader; physical
 * regions map memory the process does not own (device memory, the RAMFS).
 */
#ifndef ANOS_KERNEL_PROC_VM_H
#define ANOS_KERNEL_PROC_VM_H

#include <anos/errors.h>
#include <sched/mutex.h>
#include <stdbool.h>
#include <stdint.h>

#define VM_MAX_REGIONS 64

/* Access kinds of a fault (user_fault_resolve, vm_fault). */
#define USER_ACCESS_READ  1u
#define USER_ACCESS_WRITE 2u
#define USER_ACCESS_EXEC  4u

typedef enum VmRegionKind {
    VM_REGION_ANON = 1,  /* lazily allocated, zeroed, owned frames */
    VM_REGION_IMAGE = 2, /* filled at load time, owned frames */
    VM_REGION_PHYS = 3,  /* a window on physical memory the process does not own */
} VmRegionKind;

typedef struct VmRegion {
    uint64_t base;           /* page-aligned */
    uint64_t size;           /* page multiple, > 0 */
    uint8_t kind;            /* VmRegionKind */
    uint8_t prot;            /* ANOS_PROT_* */
    struct KObject *backing; /* PHYS: the object whose memory it maps (one reference) */
    uint32_t lent;           /* pages lent out by IPC, or a lent-buffer window: not unmappable */
} VmRegion;

/* Sorted by base, non-overlapping; count entries used. */
typedef struct VmRegionSet {
    VmRegion regions[VM_MAX_REGIONS];
    uint32_t count;
} VmRegionSet;

typedef struct ProcessVm {
    Mutex lock;
    uint64_t root; /* page-table root (physical) */
    VmRegionSet set;
    uint64_t next_map;    /* where the next kernel-chosen mapping is tried */
    uint64_t owned_pages; /* frames mapped in ANON and IMAGE regions */
} ProcessVm;

/* ---- Region bookkeeping (pure, host-tested) --------------------------- */

/* The region containing addr, or NULL. */
const VmRegion *vm_region_find(const VmRegionSet *s, uint64_t addr);

/* Adds [base, base + size). E_ALIGN unaligned; E_RANGE outside
 * [user_min, user_top) or wrapping; E_EXIST overlaps a region; E_NOMEM
 * the set is full. */
Error vm_region_add(VmRegionSet *s, uint64_t base, uint64_t size, VmRegionKind kind, unsigned prot,
                    uint64_t user_min, uint64_t user_top);

/* Removes exactly one whole region starting at base with this size.
 * E_NOENT when no region matches exactly; *removed gets it. */
Error vm_region_remove(VmRegionSet *s, uint64_t base, uint64_t size, VmRegion *removed);

/* A free gap of size bytes at or above hint, below user_top; E_NOMEM when
 * none. */
Error vm_region_find_gap(const VmRegionSet *s, uint64_t hint, uint64_t size, uint64_t user_top,
                         uint64_t *base_out);

/* Whether access (USER_ACCESS_* bits) is allowed by prot. */
bool vm_prot_allows(unsigned prot, unsigned access);

/* ---- The address space (kernel only) ---------------------------------- */

/* A new space: empty user half, shared kernel half. E_NOMEM. */
Error vm_create(ProcessVm *vm);

/* Returns every owned frame and page table. No thread may run in it. */
void vm_destroy(ProcessVm *vm);

/* Maps an anonymous (lazy) region; addr 0 = the kernel chooses. */
Error vm_map_anon(ProcessVm *vm, uint64_t addr, uint64_t size, unsigned prot, uint64_t *addr_out);

/* Maps [pa, pa + size) of physical memory. addr 0 = the kernel chooses.
 * The region takes a reference to backing (may be NULL), dropped when it
 * goes. */
Error vm_map_phys(ProcessVm *vm, uint64_t addr, uint64_t pa, uint64_t size, unsigned prot,
                  bool device, struct KObject *backing, uint64_t *addr_out);

/* Removes a whole region (anon or phys) mapped by the calls above; owned
 * frames go back to the PMM. E_NOENT no region exactly there; E_PERM an
 * image region (the program itself). */
Error vm_unmap(ProcessVm *vm, uint64_t addr, uint64_t size);

/* Adds an image region and maps its frames; the loader's (no lock: the
 * process has no threads yet). */
Error vm_add_image(ProcessVm *vm, uint64_t base, uint64_t size, unsigned prot);

/* Writes len bytes into the space at va through its page tables (for the
 * loader and the initial stack, before the process runs): pages of ANON
 * regions are faulted in, others must be mapped. E_FAULT otherwise. */
Error vm_write(ProcessVm *vm, uint64_t va, const void *src, uint64_t len);

/* The page fault path: maps a zeroed page at addr when it lies in an ANON
 * region whose prot allows access. True when the access can be retried. */
bool vm_fault(ProcessVm *vm, uint64_t addr, unsigned access);

/*
 * IPC lent buffers (docs/IPC.md). vm_lend_begin pins the page at va
 * (page-aligned) of a writable ANON or IMAGE region for an IPC call:
 * faults it in if needed and returns its frame; the region cannot be
 * unmapped (E_BUSY) until vm_lend_end. E_FAULT: no such region, or not
 * writable. vm_lend_end with `give_up` also takes the page out of vm's
 * tables without freeing it: the frame now belongs to whoever still maps
 * it (the lend record frees it), and vm sees a fresh page there next.
 */
Error vm_lend_begin(ProcessVm *vm, uint64_t va, uint64_t *pa_out);
void vm_lend_end(ProcessVm *vm, uint64_t va, bool give_up);

/* The receiving side: maps the lent frame at pa read-write as a window
 * user space cannot unmap, at hint when that page is free (a thread's
 * windows reuse one address, so its page tables are reused too) or at a
 * kernel-chosen address; vm_window_unmap takes it away again (the frame
 * is not freed, the page tables stay). */
Error vm_window_map(ProcessVm *vm, uint64_t pa, uint64_t hint, uint64_t *va_out);
void vm_window_unmap(ProcessVm *vm, uint64_t va);

#endif
