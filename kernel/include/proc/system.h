/*
 * Starting SYSTEM, the first user process, and noticing its end.
 */
#ifndef ANOS_KERNEL_PROC_SYSTEM_H
#define ANOS_KERNEL_PROC_SYSTEM_H

#include <anos/errors.h>
#include <stdint.h>

struct Process;

/* The RAMFS file the kernel runs as SYSTEM. */
#define SYSTEM_RAMFS_PATH "system"

/* Finds SYSTEM in the RAMFS, gives it every syscall right, a handle to the
 * RAMFS image (tag ANOS_START_RAMFS), argv = "system" plus the kernel
 * command line's words, and ANOS_BOOT_CYCLES in its environment.
 * boot_cycles is the cycle counter at kernel entry. Errors: E_NOENT no
 * SYSTEM in the RAMFS, E_CORRUPT the RAMFS, or process_create's. */
Error system_start(uint64_t boot_cycles);

/* Called by the reaper when a process has exited: when it is SYSTEM, the
 * machine powers off with SYSTEM's status. */
void system_process_exited(struct Process *p);

#endif
