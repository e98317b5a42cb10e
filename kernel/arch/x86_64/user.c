/*
 * x86_64 user mode (proc/user_arch.h): the SYSCALL MSRs, SSE and SMAP
 * enables, the first entry into user mode, address-space and kernel-stack
 * switches, the FXSAVE area, and the C half of the `int 0x69` channel.
 * The entry paths themselves are in syscall_entry.asm, isr.asm and
 * irq_entry.asm; the user copies in user_copy.asm.
 */
#include <anos/errors.h>
#include <anos/startup.h>
#include <anos/syscall.h>
#include <arch/cpu.h>
#include <arch/memory_layout.h>
#include <arch/trap.h>
#include <kstring.h>
#include <percpu.h>
#include <proc/user_arch.h>
#include <sched/thread.h>
#include <stdint.h>

#include "cpu_x86.h"
#include "descriptors.h"

/* user_abi.inc repeats these for the assembly. */
_Static_assert(E_FAULT == -3 && E_PERM == -4 && E_RANGE == -8 && E_NOSYS == -10,
               "user_abi.inc error codes");
_Static_assert(SYS_COUNT == 63 && SYS_MSG_FIRST == 60, "user_abi.inc SYS_COUNT, SYS_MSG_FIRST");
_Static_assert((GDT_USER_CODE | SELECTOR_RPL3) == 0x23 && (GDT_USER_DATA | SELECTOR_RPL3) == 0x1B,
               "user_abi.inc selectors");
/* SYSRET loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8. */
_Static_assert(GDT_USER_DATA == GDT_KERNEL_DATA + 8 && GDT_USER_CODE == GDT_KERNEL_DATA + 16,
               "the GDT order SYSRET needs");
_Static_assert(GDT_KERNEL_DATA == GDT_KERNEL_CODE + 8, "the GDT order SYSCALL needs");

#define RFLAGS_TF (1ULL << 8)
#define RFLAGS_DF (1ULL << 10)
#define RFLAGS_NT (1ULL << 14)
#define RFLAGS_AC (1ULL << 18)

#define CPUID_7_EBX_SMAP (1U << 20)

/* FXSAVE64 image fields the reset state sets (SDM vol. 1, 10.5.1). */
#define FXSAVE_FCW_OFFSET   0
#define FXSAVE_MXCSR_OFFSET 24
#define FPU_RESET_FCW       0x037F /* every x87 exception masked, 64-bit precision */
#define FPU_RESET_MXCSR     0x1F80 /* every SIMD exception masked, round to nearest */

/* Non-zero when CR4.SMAP is on: the copies and the entry stubs then use
 * stac/clac, which #UD on a CPU without SMAP. Every CPU sets the same value
 * (QEMU and real machines give all CPUs one feature set). */
uint8_t x86_smap_enabled;

extern void syscall_entry(void);
_Noreturn void x86_user_enter(uintptr_t entry, uintptr_t user_sp, uintptr_t kernel_sp);
void syscall_int_dispatch(TrapFrame *frame);

static bool cpu_has_smap(void)
{
    return cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & CPUID_7_EBX_SMAP) != 0;
}

void arch_user_cpu_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, ((uint64_t)GDT_KERNEL_DATA << 48) | ((uint64_t)GDT_KERNEL_CODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
    /* The entry runs with interrupts off until it is on the kernel stack,
     * with DF clear as the C ABI wants, no single-stepping, SMAP in force
     * and no NT (an iretq in the kernel with NT set would #GP). */
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC | RFLAGS_NT);
    /* User GS and FS bases start at 0; the kernel's GS base is swapped in
     * by swapgs on every entry. */
    wrmsr(MSR_KGS_BASE, 0);
    wrmsr(MSR_FS_BASE, 0);

    /* x87 and SSE for user code: native FPU errors, no emulation, no lazy
     * switching (the scheduler saves and restores eagerly). The kernel
     * itself is built without SSE. */
    write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
    uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (cpu_has_smap()) {
        cr4 |= CR4_SMAP;
        x86_smap_enabled = 1;
    }
    write_cr4(cr4);
}

_Noreturn void arch_user_enter(uintptr_t entry, uintptr_t user_sp)
{
    /* iretq to a non-canonical rip faults in kernel mode after the swapgs,
     * on the user's GS: refuse it here instead. */
    if (entry >= ANOS_USER_TOP || user_sp > ANOS_USER_TOP) {
        user_fault_kill("bad user entry", entry, user_sp);
    }
    x86_user_enter(entry, user_sp, this_cpu()->kernel_sp);
}

void arch_fpu_init(void *area)
{
    uint8_t *a = area;
    memset(a, 0, ARCH_FPU_AREA_SIZE);
    uint16_t fcw = FPU_RESET_FCW;
    uint32_t mxcsr = FPU_RESET_MXCSR;
    memcpy(a + FXSAVE_FCW_OFFSET, &fcw, sizeof(fcw));
    memcpy(a + FXSAVE_MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
}

/* From syscall_int_entry with interrupts off and a full TrapFrame. The
 * handler runs with interrupts on, like the fast path's; the scratch
 * argument registers come back zeroed, as from SYSCALL. */
void syscall_int_dispatch(TrapFrame *frame)
{
    const uint64_t args[6] = {frame->rdi, frame->rsi, frame->rdx, frame->r10, frame->r8, frame->r9};
    arch_irq_enable();
    uint64_t nr = frame->rax;
    int64_t result = syscall_invoke(nr, args);
    arch_irq_disable();
    frame->rax = (uint64_t)result;
    frame->rdi = frame->rsi = frame->rdx = 0;
    frame->r8 = frame->r9 = frame->r10 = 0;
    if (nr >= SYS_MSG_FIRST && nr < SYS_COUNT && result == 0) {
        /* The message calls' delivery, as syscall_entry's .msg exit. */
        const IpcMsg *msg = &thread_current()->ipc.msg;
        frame->rsi = msg->tag;
        frame->rdx = msg->words[0];
        frame->r10 = msg->words[1];
        frame->r8 = msg->words[2];
        frame->r9 = msg->words[3];
    }
}
