/* Memory-management start-up: PMM from the boot map, the kernel's own page
 * tables, the fixed-block and slab allocators. */
#ifndef MM_MM_H
#define MM_MM_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <mm/fba.h>
#include <mm/pmm.h>
#include <stdint.h>

/* Virtual addresses of the kernel image's parts (from the linker script). */
typedef struct MmKernelImage {
    uint64_t start;
    uint64_t text_start, text_end;
    uint64_t rodata_start, rodata_end;
    uint64_t data_start; /* data and bss run from here to end */
    uint64_t end;
} MmKernelImage;

/* The kernel's allocators, valid after mm_init. */
extern Pmm mm_pmm;
extern Fba mm_fba;

/*
 * Called once by kernel_main on the boot CPU, boot page tables live, with
 * the kernel's copy of BootInfo. Builds the PMM, maps the direct map and
 * the kernel image into new tables, switches to them, sets up the fba and
 * slab allocators and prints the "mem: " summary. On error the caller
 * panics (state is half built). Errors: E_INVAL inconsistent BootInfo or
 * image, E_CORRUPT the boot tables do not map the image, E_NOMEM, E_NOSYS
 * the CPU refused the new root (riscv64 without Sv48).
 */
Error mm_init(const BootInfo *bi);

/* mm_init's work with the image layout and low limit given: for host tests. */
Error mm_setup(const BootInfo *bi, const MmKernelImage *img, uint64_t low_limit);

/* Physical address of the kernel's root page table (for APs and new spaces). */
uint64_t mm_kernel_root(void);

#endif
