/* Host memory that plays physical RAM [0, size) for the mm host tests:
 * mm_direct_map_base points at it, so phys_to_virt reaches it unchanged. */
#ifndef TESTS_HOST_MM_FAKE_RAM_H
#define TESTS_HOST_MM_FAKE_RAM_H

#include <mm/direct_map.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *fake_ram;
static size_t fake_ram_size;

/* Fresh RAM filled with a pattern, so code that forgets to zero shows it. */
static void fake_ram_init(size_t size)
{
    free(fake_ram);
    fake_ram = aligned_alloc(4096, size);
    fake_ram_size = size;
    memset(fake_ram, 0xA5, size);
    mm_direct_map_base = (uintptr_t)fake_ram;
}

static void fake_ram_fini(void)
{
    free(fake_ram);
    fake_ram = NULL;
}

#endif
