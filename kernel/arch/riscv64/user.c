/*
 * riscv64 user-mode support in C (proc/user_arch.h): per-hart set-up, the
 * address-space switch, the kernel stack for entries from U-mode and the
 * FP area's reset state. The entry and exit paths are in syscall_entry.S,
 * trap_entry.S and user_entry.S; FP save/restore in fpu.S; copies in
 * user_copy.S.
 */
#include <anos/errors.h>
#include <anos/syscall.h>
#include <arch/csr.h>
#include <arch/user.h>
#include <kstring.h>
#include <percpu.h>
#include <proc/user_arch.h>

/* The constants the assembly repeats (it cannot include these headers). */
_Static_assert(SYS_COUNT == 63 && SYS_MSG_FIRST == 60, "syscall_entry.S SYS_COUNT, SYS_MSG_FIRST");
_Static_assert(E_PERM == -4 && E_NOSYS == -10, "syscall_entry.S error codes");
_Static_assert(E_OK == 0 && E_FAULT == -3 && E_RANGE == -8, "user_copy.S error codes");
_Static_assert(ARCH_FPU_AREA_SIZE >= 32 * 8 + 8 && ARCH_FPU_FCSR_OFF == 32 * 8,
               "fpu.S layout: f0-f31, then fcsr");

/* scounteren: which counters U-mode may read (rdcycle, rdtime, rdinstret).
 * OpenSBI opens them to S-mode through mcounteren. */
#define SCOUNTEREN_CY (1u << 0)
#define SCOUNTEREN_TM (1u << 1)
#define SCOUNTEREN_IR (1u << 2)

/*
 * FS Off while the hart runs only kernel code, so an FP instruction in the
 * kernel (built without F/D) would trap; SUM clear, so user pages are closed
 * to S-mode outside user_copy.S; SPP 0 and SPIE 1, the live state
 * trap_entry.S keeps for the ecall fast path. User programs may read the
 * cycle, time and instret counters.
 */
void arch_user_cpu_init(void)
{
    csr_clear(sstatus, SSTATUS_FS | SSTATUS_SUM | SSTATUS_SPP);
    csr_set(sstatus, SSTATUS_SPIE);
    csr_write(scounteren, SCOUNTEREN_CY | SCOUNTEREN_TM | SCOUNTEREN_IR);
}

/*
 * The write to satp needs no fence before it (the walker only starts on the
 * new root after it); the fence after drops the old space's translations and
 * orders earlier page-table writes before the walks that follow. rs2 names
 * ASID 0 through a register that holds 0 (not x0), which leaves global
 * (kernel) translations in the TLB.
 */
/* All zero: f0-f31 = +0.0 and fcsr = 0 (round to nearest, no flags), the
 * state arch_user_enter loads too. */
void arch_fpu_init(void *area)
{
    memset(area, 0, ARCH_FPU_AREA_SIZE);
}
