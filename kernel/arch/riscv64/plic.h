/*
 * The platform-level interrupt controller (RISC-V PLIC specification 1.0.0):
 * register access through a mapped base, so the host tests can hand it a
 * buffer. Private to the riscv64 layer; irq.c owns the one instance.
 */
#ifndef ANOS_RISCV_PLIC_H
#define ANOS_RISCV_PLIC_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stdint.h>

#include "dt_platform.h"

#define PLIC_PRIORITY_BASE  0x0u      /* + 4 * source */
#define PLIC_ENABLE_BASE    0x2000u   /* + 0x80 * context, one bit per source */
#define PLIC_CONTEXT_BASE   0x200000u /* + 0x1000 * context */
#define PLIC_THRESHOLD      0x0u      /* within a context block */
#define PLIC_CLAIM          0x4u      /* within a context block: claim / complete */
#define PLIC_ENABLE_STRIDE  0x80u
#define PLIC_CONTEXT_STRIDE 0x1000u

/* Claims handled in one interrupt before returning (a stuck source then
 * re-raises the interrupt instead of holding the hart forever). */
#define PLIC_MAX_CLAIMS 64u

typedef struct PlicHandler {
    void (*fn)(uint32_t source, void *arg);
    void *arg;
} PlicHandler;

/* One PLIC. handlers[] is written only with interrupts off on the boot hart
 * before the source is enabled, read by any hart in its interrupt. */
typedef struct Plic {
    volatile uint8_t *regs; /* the reg window, mapped */
    uint64_t size;          /* its length: contexts past it do not exist */
    uint32_t ndev;          /* sources 1..ndev */
    bool unhandled_logged;  /* an unregistered source was reported once */
    PlicHandler handlers[RISCV_PLIC_MAX_SOURCES + 1];
} Plic;

/* Whether context's enable bits and claim register lie inside the window. */
bool plic_context_fits(const Plic *plic, uint32_t context);

/* Priority 0 (never delivered) for every source, and for each hart's
 * context every enable bit clear and threshold 0. Harts whose context does
 * not fit the window get RISCV_PLIC_NO_CONTEXT. */
void plic_reset(Plic *plic, RiscvHartList *harts);

void plic_set_threshold(Plic *plic, uint32_t context, uint32_t threshold);
void plic_set_priority(Plic *plic, uint32_t source, uint32_t priority);
void plic_set_enabled(Plic *plic, uint32_t context, uint32_t source, bool enabled);

/* E_INVAL for source outside 1..ndev or a NULL fn, E_BUSY when taken. */
Error plic_set_handler(Plic *plic, uint32_t source, PlicHandler handler);

/* Forgets source's handler (a bad source is ignored). */
void plic_clear_handler(Plic *plic, uint32_t source);

/*
 * The external-interrupt loop for context: claim, run the source's handler
 * (an unregistered or out-of-range source is logged once), complete; until
 * the claim reads 0 or PLIC_MAX_CLAIMS sources were handled. Returns how many
 * were claimed. Interrupts off.
 */
uint32_t plic_handle(Plic *plic, uint32_t context);

#endif
