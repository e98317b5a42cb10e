/*
 * Starting riscv64 harts (arch/smp.h): SBI HSM hart_start into smp_entry.S
 * with a start block and trampoline tables, and a started hart's C up to
 * smp_ap_entry.
 */
#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/sbi.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <cmdline.h>
#include <klog.h>
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <proc/user_arch.h>
#include <smp_hooks.h>
#include <stdbool.h>

#include "dt_platform.h"
#include "riscv.h"
#include "smp_plan.h"

/* Under TCG with 16 harts a start takes milliseconds, but a busy host may
 * not run a new vCPU's thread for a while (seen: over a second, and once
 * over 5 s with four QEMUs sharing two host cores). */
#define SMP_CLAIM_TIMEOUT_NS   20000000000ull
#define SMP_RUNNING_TIMEOUT_NS 5000000000ull /* claimed, on its way to C */
#define SMP_SPIN_FALLBACK      (1u << 26)    /* polls when the clock is not running */

/* Each hart's emergency trap stack (arch/percpu.h), by devicetree hart
 * index, when the caller gave none. No guard pages: it only holds the frame
 * of a trap on an overflowed stack and the panic printing that follows. */
#define SMP_TRAP_STACK_SIZE 8192

/* All of the start state below belongs to the one start under way
 * (smp_busy), except smp_block.claim, which the starting hart writes. */
static RiscvSmpStart smp_block __attribute__((aligned(64)));
static uint64_t smp_tramp_root[512] __attribute__((aligned(4096)));
static uint64_t smp_tramp_ident[512] __attribute__((aligned(4096)));
static uint8_t smp_trap_stacks[RISCV_MAX_HARTS][SMP_TRAP_STACK_SIZE] __attribute__((aligned(16)));
static uint32_t smp_busy;
/* Set when a hart claimed the block but never reached C: it may still
 * read the block, so no other start may reuse it. */
static bool smp_block_lost;

/* Physical address of a symbol in the kernel image. */
static uint64_t smp_image_phys(const void *va)
{
    return riscv_kernel_phys + ((uintptr_t)va - (uintptr_t)__kernel_start);
}

/* The CPUs in start order; returns the count (0 before arch_irq_init). */
static uint32_t smp_order(uint32_t *out)
{
    uint32_t ids[RISCV_MAX_HARTS];
    uint32_t n = arch_irq_cpu_count();
    if (n == 0) {
        return 0;
    }
    for (uint32_t i = 0; i < n && i < RISCV_MAX_HARTS; i++) {
        ids[i] = arch_irq_cpu_hart_id(i);
    }
    return riscv_smp_order(ids, n, riscv_boot_hart_id, out, RISCV_MAX_HARTS);
}

uint32_t arch_smp_cpu_count(void)
{
    uint32_t order[RISCV_MAX_HARTS];
    return smp_order(order);
}

uint32_t arch_smp_cpu_arch_id(uint32_t i)
{
    uint32_t order[RISCV_MAX_HARTS];
    return i < smp_order(order) ? order[i] : 0;
}

static uint64_t smp_claim_load(void)
{
    return __atomic_load_n(&smp_block.claim, __ATOMIC_ACQUIRE);
}

/* Polls until the claim differs from `from` or timeout_ns passes; returns
 * the last value seen. */
static uint64_t smp_wait_claim_change(uint64_t from, uint64_t timeout_ns)
{
    bool clock = riscv_clock_hz() != 0;
    uint64_t deadline = arch_clock_ns() + timeout_ns;
    uint64_t claim;
    for (uint32_t polls = 0; (claim = smp_claim_load()) == from; polls++) {
        if (clock ? arch_clock_ns() >= deadline : polls >= SMP_SPIN_FALLBACK) {
            break;
        }
        arch_cpu_relax();
    }
    return claim;
}

/* Trampoline tables, trap stack and block for hart arch_id; the claim is
 * published last (release), which hands the block to that hart. */
static Error smp_prepare(uint32_t arch_id, uint32_t index, PerCpu *cpu, uintptr_t stack_top)
{
    const uint64_t *kernel_root = phys_to_virt(mm_kernel_root());
    Error err = riscv_smp_trampoline_build(smp_tramp_root, smp_tramp_ident, kernel_root,
                                           smp_image_phys(smp_tramp_ident),
                                           smp_image_phys(riscv_smp_secondary_entry));
    if (err != E_OK) {
        return err;
    }
    cpu->arch_id = arch_id;
    if (cpu->arch_scratch[RISCV_SCRATCH_TRAP_STACK] == 0) {
        arch_percpu_set_trap_stack(cpu, (uintptr_t)&smp_trap_stacks[index][SMP_TRAP_STACK_SIZE]);
    }
    smp_block.tramp_satp = riscv_satp_sv48(smp_image_phys(smp_tramp_root));
    smp_block.kernel_satp = riscv_satp_sv48(mm_kernel_root());
    smp_block.stack_top = stack_top;
    smp_block.percpu = (uint64_t)(uintptr_t)cpu;
    __atomic_store_n(&smp_block.claim, riscv_smp_claim(arch_id, SMP_STATE_WAITING),
                     __ATOMIC_RELEASE);
    return E_OK;
}

/* Waits for the hart to take the block and reach C. */
static Error smp_await(uint32_t arch_id)
{
    uint64_t waiting = riscv_smp_claim(arch_id, SMP_STATE_WAITING);
    uint64_t claim = smp_wait_claim_change(waiting, SMP_CLAIM_TIMEOUT_NS);
    /* A hart the firmware reports started (or starting) is on its way; a
     * starved vCPU thread can take long to get there: wait up to twice as
     * long again before giving up on it. */
    for (int extra = 0; claim == waiting && extra < 2; extra++) {
        long state = -1;
        if (sbi_hart_get_status(arch_id, &state) != E_OK ||
            (state != SBI_HSM_STARTED && state != SBI_HSM_START_PENDING)) {
            break;
        }
        claim = smp_wait_claim_change(waiting, SMP_CLAIM_TIMEOUT_NS);
    }
    if (claim == waiting) {
        /* Withdraw the block; should the hart still come, it finds it
         * abandoned and stops itself. */
        uint64_t abandoned = riscv_smp_claim(arch_id, SMP_STATE_ABANDONED);
        if (__atomic_compare_exchange_n(&smp_block.claim, &claim, abandoned, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            long state = -1;
            sbi_hart_get_status(arch_id, &state);
            LOG(KLOG_WARN, "smp", "hart %u did not enter the kernel in time (hsm state %ld)",
                arch_id, state);
            return E_AGAIN;
        }
        /* It claimed the block meanwhile: claim holds the new value. */
    }
    uint64_t entered = riscv_smp_claim(arch_id, SMP_STATE_ENTERED);
    if (claim == entered) {
        claim = smp_wait_claim_change(entered, SMP_RUNNING_TIMEOUT_NS);
    }
    if (claim == riscv_smp_claim(arch_id, SMP_STATE_RUNNING)) {
        return E_OK;
    }
    smp_block_lost = true;
    LOG(KLOG_ERROR, "smp", "hart %u entered the kernel but never reached C (claim %#llx)", arch_id,
        (unsigned long long)claim);
    return E_AGAIN;
}

static Error smp_start_locked(uint32_t arch_id, uint32_t index, PerCpu *cpu, uintptr_t stack_top)
{
    if (smp_block_lost) {
        return E_BUSY;
    }
    Error err = smp_prepare(arch_id, index, cpu, stack_top);
    if (err != E_OK) {
        return err;
    }
    err = sbi_hart_start(arch_id, smp_image_phys(riscv_smp_secondary_entry),
                         smp_image_phys(&smp_block));
    if (err != E_OK) {
        __atomic_store_n(&smp_block.claim, riscv_smp_claim(arch_id, SMP_STATE_IDLE),
                         __ATOMIC_RELEASE);
        return err;
    }
    return smp_await(arch_id);
}

Error arch_smp_start_cpu(uint32_t arch_id, PerCpu *cpu, uintptr_t stack_top)
{
    if (!sbi_info()->has_hsm) {
        return E_NOSYS;
    }
    /* Before the first start: from here on harts wait for each other. */
    riscv_relax_wfi = cmdline_has("relax=wfi");
    uint32_t index = riscv_irq_hart_index(arch_id);
    if (cpu == NULL || stack_top == 0 || (stack_top & 15) != 0 || index >= RISCV_MAX_HARTS ||
        arch_id == this_cpu()->arch_id) {
        return E_INVAL;
    }
    uint32_t idle = 0;
    if (!__atomic_compare_exchange_n(&smp_busy, &idle, 1, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED)) {
        return E_BUSY;
    }
    Error err = smp_start_locked(arch_id, index, cpu, stack_top);
    __atomic_store_n(&smp_busy, 0, __ATOMIC_RELEASE);
    return err;
}

/*
 * A started hart, from smp_entry.S: kernel tables, its stack, tp = sscratch
 * = cpu, stvec set, interrupts off. Setting RUNNING is its last access to
 * the start block, which the next start may then reuse.
 */
_Noreturn void riscv_smp_ap_main(PerCpu *cpu)
{
    arch_percpu_install(cpu);
    riscv_trap_init();
    arch_user_cpu_init();
    arch_irq_cpu_init();
    arch_timer_cpu_init();
    __atomic_store_n(&smp_block.claim, riscv_smp_claim(cpu->arch_id, SMP_STATE_RUNNING),
                     __ATOMIC_RELEASE);
    smp_ap_entry(cpu);
}
