/*
 * The RAMFS from user space: maps the physical range a process was given
 * with tag ANOS_START_RAMFS and opens it with the kernel's own reader
 * (kernel/lib/ramfs.c, compiled into libanos).
 */
#ifndef LIBANOS_RAMFS_H
#define LIBANOS_RAMFS_H

#include <anos/errors.h>
#include <anos/syscall.h>
#include <ramfs.h>
#include <stdint.h>

/*
 * Maps the RAMFS start handle read-only and checks the whole image.
 * E_NOENT when the process has no such handle, the mapping's error when it
 * cannot be mapped, E_CORRUPT for a bad image. Each call maps it again.
 */
Error anos_ramfs_open(Ramfs *fs);

/*
 * Starts the RAMFS file `path` as a process described by spec (its elf,
 * elf_size and name are filled in; a NULL argv becomes {path}, a NULL envp
 * an empty environment). Returns the process handle, E_NOENT when the file
 * does not exist, or SYS_PROCESS_CREATE's error.
 */
int64_t anos_spawn_ramfs(const Ramfs *fs, const char *path, const AnosProcessSpec *spec);

#endif
