/* In-kernel self-tests of the SMP layer (run by kernel/init/selftest.c). */
#ifndef ANOS_KERNEL_SMP_SELFTEST_H
#define ANOS_KERNEL_SMP_SELFTEST_H

#include <stdbool.h>

/* Every online CPU answers a remote call and runs a thread pinned to it. */
bool smp_selftest(void);

/* An unmap on one CPU is seen by every other CPU: none keeps a stale
 * translation after vmm_unmap_page returns. */
bool tlb_shootdown_selftest(void);

#endif
