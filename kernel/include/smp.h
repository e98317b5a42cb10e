/*
 * Symmetric multiprocessing: bringing up the other CPUs, running functions
 * on them (remote calls over IPI_WORK), TLB shootdown for the VMM, and
 * stopping them all on panic. Architecture-specific start-up lives behind
 * arch/smp.h; this layer only orchestrates.
 */
#ifndef ANOS_KERNEL_SMP_H
#define ANOS_KERNEL_SMP_H

#include <anos/errors.h>
#include <percpu.h>
#include <stdbool.h>
#include <stdint.h>

/* Boot CPU, once the scheduler runs: starts every other CPU the firmware
 * lists, one after another, and prints "smp: N CPUs online". A CPU that
 * fails to start is reported and left out; the boot CPU always counts. */
Error smp_start_all(void);

/* CPUs that reached smp_ap_entry, plus the boot CPU. */
uint32_t smp_online_count(void);
bool smp_cpu_online(uint32_t index);

/* The PerCpu of CPU `index` (NULL when it never came up) and its arch id
 * (LAPIC id / hart id). */
PerCpu *smp_cpu(uint32_t index);

/* The online CPUs as a set: bit i for CPU index i. */
uint64_t smp_online_cpus(void);
uint32_t smp_cpu_arch_id(uint32_t index);

typedef void (*SmpCallFn)(void *arg);

/*
 * Runs fn(arg) on CPU `index` in interrupt context (interrupts off, short,
 * no blocking). With wait, returns after fn has returned there; while
 * waiting this CPU keeps serving its own remote calls, so two CPUs calling
 * each other cannot deadlock. Running on the calling CPU calls fn directly.
 * Errors: E_INVAL index not online.
 */
Error smp_call(uint32_t index, SmpCallFn fn, void *arg, bool wait);

/* smp_call on every other online CPU; with wait, returns when all are done. */
void smp_call_others(SmpCallFn fn, void *arg, bool wait);

/* smp_call_others on the online CPUs of a set (bit i: CPU index i). */
void smp_call_set(uint64_t cpus, SmpCallFn fn, void *arg, bool wait);

/* The IPI_WORK handler: runs every queued call for this CPU. */
void smp_run_remote_calls(void);

#endif
