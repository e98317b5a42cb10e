/*
 * The pending-kinds mask of one hart's IPIs (ipi.c): posted by senders,
 * taken whole by the target, handed out in a fixed order. Pure atomics on
 * a word, so the host tests run them.
 */
#ifndef ANOS_RISCV_IPI_MASK_H
#define ANOS_RISCV_IPI_MASK_H

#include <ipi.h>
#include <stdbool.h>
#include <stdint.h>

/* Release: what the sender wrote before posting (a work item, say) is
 * visible to the target once it has taken the bit. Returns false for a
 * kind out of range (nothing posted). */
static inline bool riscv_ipi_mask_post(uint32_t *pending, IpiKind kind)
{
    if ((unsigned)kind >= IPI_KIND_COUNT) {
        return false;
    }
    __atomic_fetch_or(pending, 1u << kind, __ATOMIC_RELEASE);
    return true;
}

/* Takes every pending kind at once (acquire), leaving none. */
static inline uint32_t riscv_ipi_mask_take(uint32_t *pending)
{
    return __atomic_exchange_n(pending, 0, __ATOMIC_ACQUIRE);
}

/*
 * Removes the next kind from a taken mask and stores it in *kind: IPI_HALT
 * first (nothing else should run on a CPU that must stop), then IPI_WORK,
 * then IPI_RESCHEDULE (last, so a reschedule sees what the work did).
 * Bits of unknown kinds are dropped. false when none is left.
 */
static inline bool riscv_ipi_mask_next(uint32_t *mask, IpiKind *kind)
{
    static const IpiKind order[] = {IPI_HALT, IPI_WORK, IPI_RESCHEDULE};
    _Static_assert(sizeof(order) / sizeof(order[0]) == IPI_KIND_COUNT, "every kind in order");
    for (unsigned i = 0; i < IPI_KIND_COUNT; i++) {
        if (*mask & (1u << order[i])) {
            *mask &= ~(1u << order[i]);
            *kind = order[i];
            return true;
        }
    }
    *mask = 0;
    return false;
}

#endif
