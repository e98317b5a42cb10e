/*
 * PLIC programming (plic.h): priorities, per-context enables and thresholds,
 * and the claim / handle / complete loop of an external interrupt.
 */
#include <klog.h>

#include "plic.h"

static volatile uint32_t *plic_reg(const Plic *plic, uint64_t offset)
{
    return (volatile uint32_t *)(plic->regs + offset);
}

static uint64_t plic_context_reg(uint32_t context, uint32_t reg)
{
    return PLIC_CONTEXT_BASE + (uint64_t)PLIC_CONTEXT_STRIDE * context + reg;
}

bool plic_context_fits(const Plic *plic, uint32_t context)
{
    return context != RISCV_PLIC_NO_CONTEXT && context < RISCV_PLIC_MAX_CONTEXTS &&
           plic_context_reg(context, PLIC_CLAIM) + 4 <= plic->size;
}

void plic_set_threshold(Plic *plic, uint32_t context, uint32_t threshold)
{
    *plic_reg(plic, plic_context_reg(context, PLIC_THRESHOLD)) = threshold;
}

void plic_set_priority(Plic *plic, uint32_t source, uint32_t priority)
{
    *plic_reg(plic, PLIC_PRIORITY_BASE + 4ull * source) = priority;
}

void plic_set_enabled(Plic *plic, uint32_t context, uint32_t source, bool enabled)
{
    volatile uint32_t *word = plic_reg(
        plic, PLIC_ENABLE_BASE + (uint64_t)PLIC_ENABLE_STRIDE * context + 4ull * (source / 32));
    uint32_t bit = 1u << (source % 32);
    *word = enabled ? (*word | bit) : (*word & ~bit);
}

void plic_reset(Plic *plic, RiscvHartList *harts)
{
    for (uint32_t source = 1; source <= plic->ndev; source++) {
        plic_set_priority(plic, source, 0);
    }
    for (uint32_t i = 0; i < harts->count; i++) {
        uint32_t context = harts->harts[i].plic_context;
        if (!plic_context_fits(plic, context)) {
            harts->harts[i].plic_context = RISCV_PLIC_NO_CONTEXT;
            continue;
        }
        /* Word 0 bit 0 is source 0, which does not exist: clear it too. */
        for (uint32_t word = 0; word <= plic->ndev / 32; word++) {
            *plic_reg(plic,
                      PLIC_ENABLE_BASE + (uint64_t)PLIC_ENABLE_STRIDE * context + 4ull * word) = 0;
        }
        plic_set_threshold(plic, context, 0);
    }
}

Error plic_set_handler(Plic *plic, uint32_t source, PlicHandler handler)
{
    if (source == 0 || source > plic->ndev || handler.fn == NULL) {
        return E_INVAL;
    }
    if (plic->handlers[source].fn != NULL) {
        return E_BUSY;
    }
    plic->handlers[source] = handler;
    return E_OK;
}

void plic_clear_handler(Plic *plic, uint32_t source)
{
    if (source != 0 && source <= plic->ndev) {
        plic->handlers[source] = (PlicHandler){0};
    }
}

uint32_t plic_handle(Plic *plic, uint32_t context)
{
    volatile uint32_t *claim = plic_reg(plic, plic_context_reg(context, PLIC_CLAIM));
    uint32_t handled = 0;
    while (handled < PLIC_MAX_CLAIMS) {
        uint32_t source = *claim;
        if (source == 0) {
            break;
        }
        handled++;
        PlicHandler *h = source <= plic->ndev ? &plic->handlers[source] : NULL;
        if (h != NULL && h->fn != NULL) {
            h->fn(source, h->arg);
        } else if (!plic->unhandled_logged) {
            plic->unhandled_logged = true;
            LOG(KLOG_WARN, "irq", "PLIC source %u has no handler (reported once)", source);
        }
        /* Completing an unhandled source lets the PLIC deliver it again,
         * but its priority is 0 unless someone enabled it. */
        *claim = source;
    }
    return handled;
}
