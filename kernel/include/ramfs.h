/*
 * Read-only access to a RAMFS image in memory (format: <anos/ramfs_format.h>).
 * The kernel uses it for the image linked into STAGE3; mkramfs uses it to
 * check what it wrote.
 */
#ifndef ANOS_KERNEL_RAMFS_H
#define ANOS_KERNEL_RAMFS_H

#include <anos/errors.h>
#include <anos/ramfs_format.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An opened image. Valid only while the image memory stays mapped and unchanged. */
typedef struct Ramfs {
    const uint8_t *image;
    size_t size; /* the header's image_size */
    uint32_t file_count;
} Ramfs;

/* One file as seen through ramfs_file_at; pointers point into the image. */
typedef struct RamfsFile {
    const char *name; /* NUL-terminated */
    const void *data;
    size_t size;
} RamfsFile;

/*
 * Checks the whole image (header, CRC, every entry) and fills fs. size is the
 * memory available at image; it may exceed the header's image_size (trailing
 * padding is ignored). The image need not be aligned; file data is
 * RAMFS_ALIGN-aligned relative to image. Returns E_INVAL for NULL arguments,
 * E_CORRUPT for anything malformed or truncated; fs is unchanged on failure.
 */
Error ramfs_open(Ramfs *fs, const void *image, size_t size);

uint32_t ramfs_file_count(const Ramfs *fs);

/* The index-th file, in table order. E_RANGE if index >= file count, E_INVAL for NULL. */
Error ramfs_file_at(const Ramfs *fs, uint32_t index, RamfsFile *file);

/* Finds a file by its exact name. E_NOENT if absent, E_INVAL for NULL arguments. */
Error ramfs_find(const Ramfs *fs, const char *name, const void **data, size_t *size);

/*
 * Whether name (len bytes, no NUL among them) is acceptable as a file name: 1
 * to RAMFS_NAME_MAX - 1 bytes, a relative path of non-empty components
 * separated by '/', none of them "." or "..", no control characters.
 */
bool ramfs_name_valid(const char *name, size_t len);

/* Continues a CRC-32 (IEEE, as zlib) over n more bytes; start with crc = 0. */
uint32_t ramfs_crc32(uint32_t crc, const void *data, size_t n);

#endif
