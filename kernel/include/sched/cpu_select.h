/*
 * Where a new thread goes: the least-loaded online CPU. Pure function over a
 * snapshot of per-CPU loads, host-tested for any number of CPUs.
 */
#ifndef ANOS_KERNEL_SCHED_CPU_SELECT_H
#define ANOS_KERNEL_SCHED_CPU_SELECT_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * loads[i]: runnable threads on CPU i (ready plus a running non-idle one);
 * online[i]: CPU i schedules. Picks the online CPU with the smallest load;
 * ties go to `prefer` when it is among them (keeps a creator's children
 * local when that costs nothing), else to the lowest index.
 * E_NOENT: no CPU in [0, ncpus) is online.
 */
Error sched_select_cpu(const uint32_t *loads, const bool *online, uint32_t ncpus, uint32_t prefer,
                       uint32_t *out);

#endif
