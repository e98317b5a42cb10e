/*
 * The RAMFS image format (version 1), shared by the kernel's reader and the
 * host tool mkramfs. docs/RAMFS.md describes it; all integers are little-endian.
 */
#ifndef ANOS_RAMFS_FORMAT_H
#define ANOS_RAMFS_FORMAT_H

#include <stdint.h>

/* The bytes 'R' 'M' 'F' 'S' read as a little-endian 32-bit integer. */
#define RAMFS_MAGIC   0x53464d52u
#define RAMFS_VERSION 1

/* Size of an entry's name field; a name is at most RAMFS_NAME_MAX - 1 bytes plus its NUL. */
#define RAMFS_NAME_MAX 64

/* File data, the data area and the image size are multiples of this. */
#define RAMFS_ALIGN 64

/*
 * At offset 0 of the image. crc32 is the CRC-32 (IEEE 802.3, as zlib's crc32)
 * of the first image_size bytes with the crc32 field itself read as zero.
 * flags and reserved are zero in version 1.
 */
typedef struct RamfsHeader {
    uint32_t magic;       /* RAMFS_MAGIC */
    uint16_t version;     /* RAMFS_VERSION */
    uint16_t header_size; /* sizeof(RamfsHeader); the entry table starts here */
    uint32_t entry_size;  /* sizeof(RamfsEntry) */
    uint32_t file_count;  /* entries in the table */
    uint64_t image_size;  /* bytes covered by the CRC, a multiple of RAMFS_ALIGN */
    uint64_t data_offset; /* start of file data: after the table, RAMFS_ALIGN-aligned */
    uint32_t crc32;
    uint32_t flags;
    uint8_t reserved[24];
} RamfsHeader;

/*
 * One file. name is a relative path ("etc/system.conf"), NUL-terminated and
 * NUL-padded to the end of the field. The data lies at [offset, offset + size)
 * of the image, offset a multiple of RAMFS_ALIGN. flags and the reserved
 * fields are zero in version 1.
 */
typedef struct RamfsEntry {
    char name[RAMFS_NAME_MAX];
    uint64_t offset;
    uint64_t size;
    uint32_t flags;
    uint32_t reserved0;
    uint64_t reserved1;
} RamfsEntry;

_Static_assert(sizeof(RamfsHeader) == 64, "RamfsHeader is 64 bytes on disk");
_Static_assert(sizeof(RamfsEntry) == 96, "RamfsEntry is 96 bytes on disk");

/* Where the crc32 field sits in the header (it is read as zero for the CRC). */
#define RAMFS_CRC_OFFSET 32

#endif
