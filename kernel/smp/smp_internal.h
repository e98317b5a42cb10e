/* Pieces of the SMP layer shared between its files. */
#ifndef ANOS_KERNEL_SMP_INTERNAL_H
#define ANOS_KERNEL_SMP_INTERNAL_H

/* Hooks the VMM's remote flush to the remote-call machinery. */
void smp_tlb_shootdown_init(void);

/* Makes panic stop the other CPUs. */
void smp_halt_init(void);

#endif
