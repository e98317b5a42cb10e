/*
 * The x86_64 virtual address map (4-level paging, 48-bit): the constants the
 * loader, the kernel and the linker script agree on. See docs/MemoryMap.md.
 */
#ifndef ANOS_ARCH_MEMORY_LAYOUT_H
#define ANOS_ARCH_MEMORY_LAYOUT_H

#define PAGE_SIZE  4096ULL
#define PAGE_SHIFT 12

/* User space: the whole lower canonical half. */
#define USER_TOP 0x0000800000000000ULL

/* First address of the kernel (upper canonical) half. */
#define KERNEL_HALF_BASE 0xFFFF800000000000ULL

/* All of physical memory, mapped from physical 0 upwards. */
#define DIRECT_MAP_BASE 0xFFFF800000000000ULL

/* The kernel image lives in the top 2 GiB (-mcmodel=kernel). The image
 * itself is linked at KERNEL_VIRT_BASE + KERNEL_LINK_OFFSET (kernel.ld). */
#define KERNEL_VIRT_BASE   0xFFFFFFFF80000000ULL
#define KERNEL_LINK_OFFSET 0x200000ULL

#endif
