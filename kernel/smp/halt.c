/*
 * Stopping the other CPUs when one panics, so that nothing keeps running on
 * state the panic says is broken and the log ends with the panic.
 */
#include <arch/ipi.h>
#include <panic.h>
#include <smp.h>

#include "smp_internal.h"

static void halt_others(void)
{
    if (smp_online_count() > 1) {
        arch_ipi_send_all_others(IPI_HALT);
    }
}

void smp_halt_init(void)
{
    panic_set_halt_others(halt_others);
}
