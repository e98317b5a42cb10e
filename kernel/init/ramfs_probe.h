/* Finds the initial RAMFS linked into the kernel image and reports it. */
#ifndef ANOS_KERNEL_RAMFS_PROBE_H
#define ANOS_KERNEL_RAMFS_PROBE_H

void ramfs_probe(void);

#endif
