/*
 * Physical ranges: a capability for a run of physical memory that a process
 * may map (device memory, DMA buffers it allocated, the RAMFS image).
 */
#ifndef ANOS_KERNEL_PROC_PHYS_RANGE_H
#define ANOS_KERNEL_PROC_PHYS_RANGE_H

#include <anos/errors.h>
#include <cap/object.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct PhysRange {
    KObject obj;   /* KOBJ_PHYS_RANGE */
    uint64_t base; /* page-aligned physical address */
    uint64_t size; /* page multiple */
    bool owned;    /* pages came from the PMM and go back when the last reference goes */
    bool device;   /* map uncached */
} PhysRange;

/* A range over existing memory (not freed at the end). E_NOMEM, E_ALIGN. */
Error phys_range_create(uint64_t base, uint64_t size, bool device, PhysRange **out);

/* A range of `pages` fresh, zeroed, contiguous pages from the PMM. */
Error phys_range_alloc(uint64_t pages, PhysRange **out);

#endif
