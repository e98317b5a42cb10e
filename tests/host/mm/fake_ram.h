/* Host memory that plays physical RAM [0, size) for the mm host tests:
 * mm_direct_map_base points at it, so phys_to_virt reaches it unchanged. */
#ifndef TESTS_HOST_MM_FAKE_RAM_H
#define TESTS_HOST_MM_FAKE_RAM_H

#include <mm/direct_map.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define FAKE_RAM_ALIGN (1ull << 30)

static uint8_t *fake_ram_map;
static uint8_t *fake_ram;
static size_t fake_ram_size;

static void fake_ram_fini(void)
{
    if (fake_ram_map != NULL)
        munmap(fake_ram_map, fake_ram_size + FAKE_RAM_ALIGN);
    fake_ram_map = fake_ram = NULL;
}

/* Fresh RAM filled with a pattern, so code that forgets to zero shows it.
 * It starts on a 1 GiB boundary, as the kernel's DIRECT_MAP_BASE does, so
 * direct-map code can use large pages (address space only is reserved). */
static void fake_ram_init(size_t size)
{
    fake_ram_fini();
    fake_ram_size = size;
    fake_ram_map = mmap(NULL, size + FAKE_RAM_ALIGN, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (fake_ram_map == MAP_FAILED)
        abort();
    uintptr_t base =
        ((uintptr_t)fake_ram_map + FAKE_RAM_ALIGN - 1) & ~(uintptr_t)(FAKE_RAM_ALIGN - 1);
    fake_ram = (uint8_t *)base;
    memset(fake_ram, 0xA5, size);
    mm_direct_map_base = base;
}

#endif
