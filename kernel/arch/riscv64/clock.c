/*
 * The riscv64 monotonic clock (arch/clock.h): rdtime, minus the value at
 * arch_clock_init, scaled by the devicetree's timebase with multiply-shift.
 */
#include <arch/clock.h>
#include <kprintf.h>

#include "clock_scale.h"
#include "dt_platform.h"
#include "riscv.h"

/* Written once by arch_clock_init on the boot hart before other harts run
 * or interrupts are enabled; read-only afterwards. */
static ClockScale clock_scale;
static uint64_t clock_zero_ticks;

static inline uint64_t clock_rdtime(void)
{
    uint64_t ticks;
    __asm__ volatile("rdtime %0" : "=r"(ticks));
    return ticks;
}

Error arch_clock_init(const BootInfo *bi)
{
    Fdt fdt;
    uint64_t hz;
    Error err = riscv_fdt_open(bi->dtb_phys, &fdt);
    if (err == E_OK) {
        err = riscv_dt_timebase(&fdt, &hz);
    }
    if (err != E_OK) {
        return err;
    }
    if (hz > (1ull << 32)) {
        return E_RANGE;
    }
    clock_scale_init(&clock_scale, hz);
    clock_zero_ticks = clock_rdtime();
    kprintf("clock: timebase %llu Hz\n", (unsigned long long)hz);
    return E_OK;
}

uint64_t arch_clock_ns(void)
{
    if (clock_scale.hz == 0) {
        return 0;
    }
    return clock_scale_ns(&clock_scale, clock_rdtime() - clock_zero_ticks);
}

uint64_t riscv_clock_ns_to_ticks(uint64_t ns)
{
    uint64_t ticks = clock_scale_ticks(&clock_scale, ns);
    uint64_t sum = ticks + clock_zero_ticks;
    return sum < ticks ? UINT64_MAX : sum;
}

uint64_t riscv_clock_hz(void)
{
    return clock_scale.hz;
}
