/*
 * What the generic process and syscall code needs from each architecture to
 * run user mode, and what each architecture's entry code calls back. One
 * header for both directions so the contract reads in one place; the arch
 * implementations live in kernel/arch/$ARCH/user*.{c,asm,S}.
 */
#ifndef ANOS_KERNEL_PROC_USER_ARCH_H
#define ANOS_KERNEL_PROC_USER_ARCH_H

#include <anos/errors.h>
#include <arch/user.h> /* ARCH_FPU_AREA_SIZE, ARCH_FPU_AREA_ALIGN */
#include <proc/vm.h>   /* USER_ACCESS_* */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Thread;

/* ---- Implemented by the architecture ---------------------------------- */

/* Enables user mode on this CPU: the syscall MSRs (x86_64), FPU enable
 * bits, SMAP/SMEP. Called by arch_cpu_init on the boot CPU and by each
 * AP's start-up. */
void arch_user_cpu_init(void);

/*
 * Leaves the kernel for user mode at `entry` with the stack pointer and the
 * first argument register (rdi / a0) set to user_sp, every other general
 * register zero, interrupts enabled in user mode. The calling thread's
 * kernel stack is reset: nothing of the caller survives. Interrupts off.
 */
_Noreturn void arch_user_enter(uintptr_t entry, uintptr_t user_sp);

/*
 * Provided by <arch/user.h>, as functions or static inlines (they are on the
 * thread-switch path):
 *
 *   void arch_space_activate(uint64_t root);
 *       Makes `root` (a page-table root's physical address) this CPU's
 *       address space, flushing non-global translations.
 *   void arch_set_kernel_stack(uintptr_t top);
 *       The kernel stack top the CPU switches to on an entry from user mode
 *       (x86_64: TSS.rsp0 and PerCpu.kernel_sp; riscv64: PerCpu.kernel_sp).
 *   void arch_fpu_save(void *area);
 *   void arch_fpu_restore(void *area);
 *       The FPU/vector state of a user thread, in a save area of
 *       ARCH_FPU_AREA_SIZE bytes aligned to ARCH_FPU_AREA_ALIGN: save stores
 *       the live registers (riscv64: only when sstatus.FS is Dirty), restore
 *       loads them. Interrupts off.
 */

/* Writes the reset FPU state into a save area (see above). */
void arch_fpu_init(void *area);

/*
 * Copies between kernel memory and user memory. The user range must already
 * have passed user_range_ok (proc/uaccess.h); a fault (unmapped page, no
 * permission) that user_fault_resolve cannot fix ends the copy with E_FAULT.
 * The copy opens user access only for its own duration (x86_64 stac/clac
 * under SMAP; riscv64 sstatus.SUM). Bytes copied before a fault stay copied.
 */
Error arch_copy_from_user(void *dst, uintptr_t user_src, size_t n);
Error arch_copy_to_user(uintptr_t user_dst, const void *src, size_t n);

/* Copies a NUL-terminated string of at most max bytes (NUL included) from
 * user_src; *len_out gets its length without the NUL. E_FAULT on a fault,
 * E_RANGE when no NUL is found within max bytes. */
Error arch_copy_str_from_user(char *dst, uintptr_t user_src, size_t max, size_t *len_out);

/* ---- Implemented by the generic code, called by the arch -------------- */

typedef int64_t (*SyscallFn)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                             uint64_t a5);

/* Indexed by syscall number (< SYS_COUNT); never NULL (unused numbers hold a
 * handler returning E_NOSYS). The fast paths check number and rights
 * themselves (PerCpu.syscall_rights) and call the entry directly. */
extern const SyscallFn syscall_table[];

/* The whole check-and-call for the slow paths (x86_64 int 0x69): E_NOSYS
 * for nr >= SYS_COUNT, E_PERM when the caller's rights lack nr. */
int64_t syscall_invoke(uint64_t nr, const uint64_t args[6]);

/*
 * Called with interrupts off just before any return to user mode when
 * this_cpu()->preempt_pending or this_cpu()->current->kill_pending is set:
 * yields, or ends the thread when its process is being killed. Returns with
 * interrupts off, ready to return to user mode.
 */
void user_return_work(void);

/*
 * A page fault on a user address (from user mode, or from a user copy in the
 * kernel) that found no valid translation: if the address lies in one of the
 * current process's lazily allocated regions with the access allowed, maps a
 * zeroed page and returns true (retry the access). False otherwise. Call with
 * interrupts enabled (it may sleep on the process's memory lock); false at
 * once for a kernel thread.
 */
bool user_fault_resolve(uintptr_t addr, unsigned access);

/*
 * A user-mode fault nothing can fix: reports `what` (an exception name), pc
 * and addr to the kernel log, ends the whole current process (exit status
 * ANOS_EXIT_FAULT) and this thread. Interrupts in any state.
 */
_Noreturn void user_fault_kill(const char *what, uintptr_t pc, uintptr_t addr);

#endif
