/*
 * Opens the RAMFS linked into the kernel (section .ramfs) and prints what it
 * holds: proof at boot that the image carries it and the reader accepts it.
 * kernel/proc/system.c finds SYSTEM the same way.
 */
#include <kprintf.h>
#include <ramfs.h>

#include "ramfs_probe.h"

extern const char __ramfs_start[];
extern const char __ramfs_end[];

#define RAMFS_PROBE_FILE "hello.txt"

void ramfs_probe(void)
{
    Ramfs fs;
    size_t image_size = (size_t)(__ramfs_end - __ramfs_start);
    Error err = ramfs_open(&fs, __ramfs_start, image_size);
    if (err != E_OK) {
        kprintf("ramfs: image at %p (%lu bytes) refused: %s\n", (const void *)__ramfs_start,
                (unsigned long)image_size, error_name(err));
        return;
    }
    kprintf("ramfs: %lu files, %lu bytes\n", (unsigned long)ramfs_file_count(&fs),
            (unsigned long)image_size);

    const void *data;
    size_t size;
    if (ramfs_find(&fs, RAMFS_PROBE_FILE, &data, &size) != E_OK) {
        kprintf("ramfs: %s not found\n", RAMFS_PROBE_FILE);
        return;
    }
    /* Print the first line only; the file is text by construction. */
    const char *text = data;
    size_t len = 0;
    while (len < size && text[len] != '\n') {
        len++;
    }
    kprintf("ramfs: %s: %.*s\n", RAMFS_PROBE_FILE, (int)len, text);
}
