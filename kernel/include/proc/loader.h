/*
 * Loading a validated ELF executable into a fresh address space.
 */
#ifndef ANOS_KERNEL_PROC_LOADER_H
#define ANOS_KERNEL_PROC_LOADER_H

#include <anos/errors.h>
#include <proc/vm.h>
#include <stddef.h>
#include <stdint.h>

/* The ELF machine of this kernel's architecture. */
#if defined(__x86_64__)
#define LOADER_ELF_MACHINE ELF_EM_X86_64
#else
#define LOADER_ELF_MACHINE ELF_EM_RISCV
#endif

/* Checks elf[size] (kernel memory) with elf_image_parse and maps each
 * segment as an image region, file bytes copied and the rest zero. *entry_out
 * the entry point; on failure *reason_out names the check (may be NULL) and
 * the space may hold partial regions (vm_destroy returns them). */
Error loader_load(ProcessVm *vm, const void *elf, size_t size, uint64_t *entry_out,
                  const char **reason_out);

#endif
