/*
 * Least-loaded CPU selection for new threads (sched/cpu_select.h).
 */
#include <sched/cpu_select.h>

Error sched_select_cpu(const uint32_t *loads, const bool *online, uint32_t ncpus, uint32_t prefer,
                       uint32_t *out)
{
    bool found = false;
    uint32_t best = 0;
    for (uint32_t i = 0; i < ncpus; i++) {
        if (!online[i]) {
            continue;
        }
        if (!found || loads[i] < loads[best]) {
            best = i;
            found = true;
        }
    }
    if (!found) {
        return E_NOENT;
    }
    if (prefer < ncpus && online[prefer] && loads[prefer] == loads[best]) {
        best = prefer;
    }
    *out = best;
    return E_OK;
}
