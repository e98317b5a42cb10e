/*
 * For tests that check that memory comes back: the kernel's free-page
 * count once in-flight teardown has finished. The last reference to an
 * exited process may be dropped a moment after its parent's wait returns,
 * so two equal readings 10 ms apart count as settled; a leak never
 * settles back. Needs the meminfo and sleep rights.
 */
#ifndef ANOS_USER_TESTS_SETTLED_MEMORY_H
#define ANOS_USER_TESTS_SETTLED_MEMORY_H

#include <libanos.h>

static inline uint64_t settled_free_pages(void)
{
    AnosMemInfo m;
    anos_meminfo(&m);
    uint64_t last = m.free_pages;
    for (int i = 0; i < 50; i++) {
        anos_sleep_ns(10000000);
        anos_meminfo(&m);
        if (m.free_pages == last) {
            break;
        }
        last = m.free_pages;
    }
    return last;
}

#endif
