/*
 * The RAMFS from user space: maps the physical range a process was given
 * with tag ANOS_START_RAMFS and opens it with the kernel's own reader
 * (kernel/lib/ramfs.c, compiled into libanos).
 */
#ifndef LIBANOS_RAMFS_H
#define LIBANOS_RAMFS_H

#include <anos/errors.h>
#include <ramfs.h>

/*
 * Maps the RAMFS start handle read-only and checks the whole image.
 * E_NOENT when the process has no such handle, the mapping's error when it
 * cannot be mapped, E_CORRUPT for a bad image. Each call maps it again.
 */
Error anos_ramfs_open(Ramfs *fs);

#endif
