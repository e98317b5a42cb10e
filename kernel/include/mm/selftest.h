/* In-kernel self-tests of the memory manager, run after mm_init on the real
 * memory map; each prints a short reason with kprintf when it fails. */
#ifndef MM_SELFTEST_H
#define MM_SELFTEST_H

#include <stdbool.h>

bool pmm_selftest(void);
bool vmm_selftest(void);
bool slab_selftest(void);

#endif
