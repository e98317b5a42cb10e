/*
 * RAMFS reader: validates an image completely before handing out any pointer
 * into it, so later lookups can trust every offset, size and name.
 */
#include <kstring.h>
#include <ramfs.h>

/* CRC-32 remainders for each 4-bit value (reflected polynomial 0xedb88320). */
static const uint32_t ramfs_crc_nibble[16] = {
    0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
    0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t ramfs_crc32(uint32_t crc, const void *data, size_t n)
{
    const uint8_t *p = data;
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ ramfs_crc_nibble[crc & 0xf];
        crc = (crc >> 4) ^ ramfs_crc_nibble[crc & 0xf];
    }
    return ~crc;
}

/* The image's CRC with the header's crc32 field read as four zero bytes. */
static uint32_t ramfs_image_crc(const uint8_t *image, size_t image_size)
{
    static const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t crc = ramfs_crc32(0, image, RAMFS_CRC_OFFSET);
    crc = ramfs_crc32(crc, zero, sizeof(zero));
    return ramfs_crc32(crc, image + RAMFS_CRC_OFFSET + 4, image_size - RAMFS_CRC_OFFSET - 4);
}

static bool ramfs_all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0) {
            return false;
        }
    }
    return true;
}

bool ramfs_name_valid(const char *name, size_t len)
{
    if (len == 0 || len >= RAMFS_NAME_MAX) {
        return false;
    }
    size_t component_start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && name[i] != '/') {
            unsigned char c = (unsigned char)name[i];
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
            continue;
        }
        /* name[component_start, i) is one component. */
        size_t clen = i - component_start;
        if (clen == 0) {
            return false; /* leading '/', trailing '/' or "//" */
        }
        if (name[component_start] == '.' && (clen == 1 || (clen == 2 && name[i - 1] == '.'))) {
            return false;
        }
        component_start = i + 1;
    }
    return true;
}

/* Header fields that can be checked without trusting anything else. */
static bool ramfs_header_ok(const RamfsHeader *h, size_t size)
{
    if (h->magic != RAMFS_MAGIC || h->version != RAMFS_VERSION ||
        h->header_size != sizeof(RamfsHeader) || h->entry_size != sizeof(RamfsEntry) ||
        h->flags != 0 || !ramfs_all_zero(h->reserved, sizeof(h->reserved))) {
        return false;
    }
    if (h->image_size < sizeof(RamfsHeader) || h->image_size > size ||
        h->image_size % RAMFS_ALIGN != 0) {
        return false;
    }
    /* Divide rather than multiply: a huge count must not overflow the table size. */
    uint64_t max_files = (h->image_size - sizeof(RamfsHeader)) / sizeof(RamfsEntry);
    if (h->file_count > max_files) {
        return false;
    }
    uint64_t table_end = sizeof(RamfsHeader) + (uint64_t)h->file_count * sizeof(RamfsEntry);
    return h->data_offset >= table_end && h->data_offset <= h->image_size &&
           h->data_offset % RAMFS_ALIGN == 0;
}

static const uint8_t *ramfs_entry_ptr(const uint8_t *image, uint32_t index)
{
    return image + sizeof(RamfsHeader) + (size_t)index * sizeof(RamfsEntry);
}

/* The image may be unaligned: copy entries out rather than cast pointers. */
static void ramfs_read_entry(const uint8_t *image, uint32_t index, RamfsEntry *e)
{
    memcpy(e, ramfs_entry_ptr(image, index), sizeof(*e));
}

/* One entry against the (already validated) header. */
static bool ramfs_entry_ok(const RamfsEntry *e, const RamfsHeader *h)
{
    size_t len = strnlen(e->name, RAMFS_NAME_MAX);
    if (len == RAMFS_NAME_MAX || !ramfs_name_valid(e->name, len) ||
        !ramfs_all_zero(e->name + len, RAMFS_NAME_MAX - len)) {
        return false;
    }
    if (e->flags != 0 || e->reserved0 != 0 || e->reserved1 != 0) {
        return false;
    }
    /* offset <= image_size first, so that image_size - offset cannot wrap. */
    return e->offset % RAMFS_ALIGN == 0 && e->offset >= h->data_offset &&
           e->offset <= h->image_size && e->size <= h->image_size - e->offset;
}

/* Names are unique; entries before index are already known to be well formed. */
static bool ramfs_name_unique(const uint8_t *image, uint32_t index, const char *name)
{
    for (uint32_t i = 0; i < index; i++) {
        const char *other = (const char *)ramfs_entry_ptr(image, i);
        if (strncmp(other, name, RAMFS_NAME_MAX) == 0) {
            return false;
        }
    }
    return true;
}

Error ramfs_open(Ramfs *fs, const void *image, size_t size)
{
    if (fs == NULL || image == NULL) {
        return E_INVAL;
    }
    const uint8_t *bytes = image;
    RamfsHeader h;
    if (size < sizeof(h)) {
        return E_CORRUPT;
    }
    memcpy(&h, bytes, sizeof(h));
    if (!ramfs_header_ok(&h, size)) {
        return E_CORRUPT;
    }
    if (ramfs_image_crc(bytes, (size_t)h.image_size) != h.crc32) {
        return E_CORRUPT;
    }
    for (uint32_t i = 0; i < h.file_count; i++) {
        RamfsEntry e;
        ramfs_read_entry(bytes, i, &e);
        if (!ramfs_entry_ok(&e, &h) || !ramfs_name_unique(bytes, i, e.name)) {
            return E_CORRUPT;
        }
    }
    fs->image = bytes;
    fs->size = (size_t)h.image_size;
    fs->file_count = h.file_count;
    return E_OK;
}

uint32_t ramfs_file_count(const Ramfs *fs)
{
    return fs != NULL ? fs->file_count : 0;
}

Error ramfs_file_at(const Ramfs *fs, uint32_t index, RamfsFile *file)
{
    if (fs == NULL || file == NULL) {
        return E_INVAL;
    }
    if (index >= fs->file_count) {
        return E_RANGE;
    }
    RamfsEntry e;
    ramfs_read_entry(fs->image, index, &e);
    file->name = (const char *)ramfs_entry_ptr(fs->image, index);
    file->data = fs->image + e.offset;
    file->size = (size_t)e.size;
    return E_OK;
}

Error ramfs_find(const Ramfs *fs, const char *name, const void **data, size_t *size)
{
    if (fs == NULL || name == NULL || data == NULL || size == NULL) {
        return E_INVAL;
    }
    for (uint32_t i = 0; i < fs->file_count; i++) {
        RamfsFile file;
        ramfs_file_at(fs, i, &file);
        if (strcmp(file.name, name) == 0) {
            *data = file.data;
            *size = file.size;
            return E_OK;
        }
    }
    return E_NOENT;
}
