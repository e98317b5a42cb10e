/*
 * The riscv64 virtual address map (Sv48, 48-bit): the constants entry.S, the
 * kernel and the linker script agree on. See docs/MemoryMap.md.
 */
#ifndef ANOS_ARCH_MEMORY_LAYOUT_H
#define ANOS_ARCH_MEMORY_LAYOUT_H

#define PAGE_SIZE  4096ULL
#define PAGE_SHIFT 12

/* User space: the whole lower half. */
#define USER_TOP 0x0000800000000000ULL

/* First address of the kernel (upper) half. */
#define KERNEL_HALF_BASE 0xFFFF800000000000ULL

/* Physical memory mapped from physical 0 upwards. entry.S maps the first
 * DIRECT_MAP_SIZE bytes (one Sv48 root entry of 1 GiB pages), MMIO included. */
#define DIRECT_MAP_BASE 0xFFFF800000000000ULL
#define DIRECT_MAP_SIZE 0x0000008000000000ULL

/* The kernel image lives in the top 2 GiB (medany code reaches it with
 * lui/addi). It is linked at KERNEL_VIRT_BASE + KERNEL_LINK_OFFSET, which
 * entry.S maps to the 1 GiB-aligned physical block it was loaded in. */
#define KERNEL_VIRT_BASE   0xFFFFFFFF80000000ULL
#define KERNEL_LINK_OFFSET 0x200000ULL

#endif
