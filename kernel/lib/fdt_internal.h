/*
 * Helpers shared by the devicetree reader's two halves (fdt.c walks the
 * structure, fdt_prop.c decodes property values). Private to kernel/lib.
 */
#ifndef ANOS_FDT_INTERNAL_H
#define ANOS_FDT_INTERNAL_H

#include <fdt.h>

#define FDT_RSV_ENTRY_SIZE 16u /* one memory reservation entry: base, size */

static inline uint32_t fdt_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline uint64_t fdt_be64(const uint8_t *p)
{
    return ((uint64_t)fdt_be32(p) << 32) | fdt_be32(p + 4);
}

/* Length of the NUL-terminated string at s, or -1 if no NUL in max bytes. */
static inline int64_t fdt_bounded_strlen(const uint8_t *s, uint32_t max)
{
    for (uint32_t i = 0; i < max; i++) {
        if (s[i] == '\0') {
            return i;
        }
    }
    return -1;
}

#endif
