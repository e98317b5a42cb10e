/*
 * Building and checking a BootInfo (include/anos/bootinfo.h): used by the
 * riscv64 entry code, the x86_64 UEFI loader and the kernel's own checks.
 */
#ifndef ANOS_BOOTINFO_BUILD_H
#define ANOS_BOOTINFO_BUILD_H

#include <anos/bootinfo.h>
#include <anos/errors.h>
#include <stddef.h>

#define BOOTINFO_PAGE_SIZE 4096u

/* Zeroes *bi and sets magic, version and size. */
void bootinfo_init(BootInfo *bi);

/*
 * Adds [base, base + length) with type `type` to the memory map, keeping it
 * sorted, page-aligned and free of overlaps:
 *   - USABLE ranges shrink inward to whole pages (a range with no whole page
 *     adds nothing); every other type grows outward to whole pages, so a
 *     reserved byte is never handed out;
 *   - where the new range overlaps existing ones, each part keeps the type
 *     with the higher BootMemType value (so adding RAM after a reservation
 *     does not undo it);
 *   - neighbours of the same type are merged.
 * length 0 adds nothing. E_INVAL for a type outside BootMemType, E_RANGE when
 * the range wraps past the top of the 64-bit space, E_NOMEM when the result
 * would not fit BOOTINFO_MAX_MEM_REGIONS (the map is then unchanged).
 * Boot-time only: uses a static scratch map, not reentrant.
 */
Error bootinfo_add_region(BootInfo *bi, uint64_t base, uint64_t length, BootMemType type);

/*
 * Records the kernel image (phys_base and virt_base page-aligned, else
 * E_ALIGN; size rounded up to whole pages, 0 is E_INVAL) and adds it to the
 * map as BOOT_MEM_KERNEL.
 */
Error bootinfo_set_kernel(BootInfo *bi, uint64_t phys_base, uint64_t size, uint64_t virt_base);

/* Copies the NUL-terminated s into bi->cmdline (always terminated). If s does
 * not fit, the truncated prefix is stored and E_RANGE returned. */
Error bootinfo_set_cmdline(BootInfo *bi, const char *s);

/*
 * Checks every invariant the kernel relies on. E_INVAL when bi is NULL or
 * was built for another protocol version or struct size; E_CORRUPT for a
 * wrong magic, a region count above the maximum, a zero-length, unaligned,
 * wrapping or unknown-typed region, regions out of order or overlapping,
 * a kernel range that is empty, unaligned or not wholly BOOT_MEM_KERNEL,
 * or an unterminated command line.
 */
Error bootinfo_validate(const BootInfo *bi);

/* Human-readable name of a BootMemType ("usable", "kernel", ...; "?" else). */
const char *bootinfo_mem_type_name(uint32_t type);

#endif
