/*
 * The AP start trampoline's data: the page layout below 1 MiB, the parameter
 * block the boot CPU fills for each start, and the temporary page tables.
 * Pure helpers (host-tested); smp.c does the hardware part.
 */
#ifndef ANOS_ARCH_X86_64_AP_SETUP_H
#define ANOS_ARCH_X86_64_AP_SETUP_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Four consecutive pages below 1 MiB, found in the boot memory map:
 *   +0x0000 the trampoline code (ap_trampoline.asm), its ApParams at
 *           AP_PARAMS_OFFSET
 *   +0x1000 PML4, +0x2000 PDPT, +0x3000 PD: identity-map low 2 MiB
 *           (so the trampoline survives turning paging on) and share the
 *           kernel half's PML4 slots (so the AP can jump up to the image).
 * Everything is below 4 GiB, as the 32-bit `mov cr3` needs.
 */
#define AP_AREA_PAGES    4
#define AP_PAGE_SIZE     0x1000ULL
#define AP_PML4_OFFSET   0x1000ULL
#define AP_PDPT_OFFSET   0x2000ULL
#define AP_PD_OFFSET     0x3000ULL
#define AP_PARAMS_OFFSET 0xF00U    /* keep equal to ap_trampoline.inc */
#define AP_AREA_MIN      0x1000ULL /* never page 0 */
#define AP_AREA_LIMIT                                                                              \
    0xA0000ULL /* the SIPI vector addresses 4 KiB pages below 1 MiB; 0xA0000 up is VGA/ROM */
#define AP_IDENTITY_SIZE 0x200000ULL

/* The trampoline's temporary GDT (selectors used by ap_trampoline.asm). */
#define AP_GDT_CODE32  0x08
#define AP_GDT_DATA32  0x10
#define AP_GDT_CODE64  0x18
#define AP_GDT_ENTRIES 4

/*
 * Filled by the boot CPU before every start; read by the AP in real,
 * protected and long mode. Offsets are fixed (ap_trampoline.inc mirrors
 * them): lgdt reads limit+base at gdt_limit, the far jumps read
 * offset32 + selector.
 */
typedef struct ApParams {
    uint64_t gdt[AP_GDT_ENTRIES]; /* 0x00 null, code32, data32, code64 */
    uint16_t reserved0[3];        /* 0x20 */
    uint16_t gdt_limit;           /* 0x26 lgdt operand: limit, then base */
    uint32_t gdt_base;            /* 0x28 physical address of gdt[] */
    uint32_t pm32_offset;         /* 0x2C far pointer to the 32-bit stage */
    uint16_t pm32_selector;       /* 0x30 */
    uint16_t reserved1;           /* 0x32 */
    uint32_t lm64_offset;         /* 0x34 far pointer to the 64-bit stage */
    uint16_t lm64_selector;       /* 0x38 */
    uint16_t reserved2;           /* 0x3A */
    uint32_t low_cr3;             /* 0x3C the temporary PML4 */
    uint64_t kernel_cr3;          /* 0x40 mm_kernel_root(), loaded once up high */
    uint64_t entry;               /* 0x48 ap_long_mode_entry (kernel virtual) */
    uint64_t cpu;                 /* 0x50 PerCpu * -> rdi */
    uint64_t stack_top;           /* 0x58 -> rsp */
} ApParams;

_Static_assert(sizeof(ApParams) == 0x60, "ApParams layout is shared with ap_trampoline.inc");
_Static_assert(offsetof(ApParams, gdt_limit) == 0x26, "lgdt operand");
_Static_assert(offsetof(ApParams, pm32_offset) == 0x2C, "far pointer");
_Static_assert(offsetof(ApParams, lm64_offset) == 0x34, "far pointer");
_Static_assert(offsetof(ApParams, low_cr3) == 0x3C, "low cr3");
_Static_assert(offsetof(ApParams, kernel_cr3) == 0x40, "kernel cr3");
_Static_assert(offsetof(ApParams, stack_top) == 0x58, "stack top");

/* Where the trampoline code's 32- and 64-bit stages start, as offsets from
 * its first byte (ap_trampoline.asm exports them). */
typedef struct ApTrampolineLayout {
    uint32_t size;        /* bytes of code to copy, <= AP_PARAMS_OFFSET */
    uint32_t pm32_offset; /* 32-bit stage */
    uint32_t lm64_offset; /* 64-bit stage */
} ApTrampolineLayout;

/* Everything one start needs. */
typedef struct ApStart {
    uint64_t area_phys;  /* AP_AREA_PAGES pages, page aligned, below 1 MiB */
    uint64_t kernel_cr3; /* physical address of the kernel's PML4 */
    uint64_t entry;      /* virtual address the AP jumps to in long mode */
    uint64_t cpu;        /* PerCpu * */
    uint64_t stack_top;  /* 16-byte aligned */
} ApStart;

/*
 * The lowest run of AP_AREA_PAGES usable pages in [AP_AREA_MIN,
 * AP_AREA_LIMIT) of the memory map (sorted or not). E_NOMEM when none.
 */
Error ap_area_find(const BootMemRegion *regions, size_t count, uint64_t *phys_out);

/* Fills p for one start (zeroing it first). E_INVAL when the layout does
 * not fit below AP_PARAMS_OFFSET, the area is not a page-aligned run below
 * AP_AREA_LIMIT, or the stack is not 16-byte aligned. */
Error ap_params_fill(ApParams *p, const ApTrampolineLayout *layout, const ApStart *s);

/*
 * Builds the temporary tables (each a 512-entry page, zeroed here): PML4
 * slot 0 -> pdpt -> pd -> one 2 MiB identity leaf at 0 (present, writable,
 * executable, supervisor); PML4 slots 256..511 copied from kernel_pml4.
 */
void ap_low_tables_build(uint64_t *pml4, uint64_t *pdpt, uint64_t *pd, uint64_t pdpt_phys,
                         uint64_t pd_phys, const uint64_t *kernel_pml4);

/*
 * The i-th CPU in start order: the boot CPU first, then the MADT's other
 * CPUs in MADT order. UINT32_MAX for i >= count or a boot id not in ids.
 */
uint32_t ap_cpu_order(const uint32_t *ids, uint32_t count, uint32_t boot_id, uint32_t i);

#endif
