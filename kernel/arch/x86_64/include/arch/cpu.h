/*
 * Thin wrappers over x86_64 instructions the kernel needs from C: interrupt
 * flag, halt, port I/O, MSRs, control registers and CPUID.
 */
#ifndef ANOS_ARCH_CPU_H
#define ANOS_ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

/* Stops this CPU for good: interrupts off, so only NMI/SMI can wake it and
 * the loop puts it straight back to sleep. */
_Noreturn static inline void arch_halt_forever(void)
{
    for (;;) {
        __asm__ volatile("cli; hlt" ::: "memory");
    }
}

static inline void arch_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline void arch_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

#define RFLAGS_IF (1UL << 9)

static inline bool arch_irq_enabled(void)
{
    unsigned long flags;
    __asm__ volatile("pushfq; pop %0" : "=r"(flags));
    return (flags & RFLAGS_IF) != 0;
}

/* Disables interrupts and returns the previous state for arch_irq_restore. */
static inline unsigned long arch_irq_save(void)
{
    unsigned long flags;
    __asm__ volatile("pushfq; pop %0; cli" : "=r"(flags)::"memory");
    return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
    if (flags & RFLAGS_IF) {
        __asm__ volatile("sti" ::: "memory");
    }
}

/* Enables interrupts and sleeps until one arrives. `sti` takes effect after
 * the next instruction, so an interrupt pending at `sti` wakes the `hlt`
 * instead of slipping in between and being missed. Returns with interrupts
 * on, after the handler has run. */
static inline void arch_wait_for_interrupt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

/* For spin loops: tells the CPU (and a hyperthread sibling) we are waiting. */
static inline void arch_cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/* The caller's frame pointer (the kernel is built with frame pointers). */
static inline uintptr_t arch_frame_pointer(void)
{
    return (uintptr_t)__builtin_frame_address(0);
}

static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" ::"a"(value), "Nd"(port) : "memory");
}

static inline void outw(uint16_t port, uint16_t value)
{
    __asm__ volatile("outw %0, %1" ::"a"(value), "Nd"(port) : "memory");
}

static inline void outl(uint16_t port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" ::"a"(value), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t value;
    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t value;
    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
                     : "memory");
}

static inline uint64_t read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline void write_cr0(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory");
}

static inline uint64_t read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

/* Also flushes every non-global TLB entry. */
static inline void write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline void write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

typedef struct CpuidResult {
    uint32_t eax, ebx, ecx, edx;
} CpuidResult;

static inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf)
{
    CpuidResult r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

/* Control-register and MSR bits the kernel sets. */
#define CR0_MP         (1ULL << 1)  /* wait/fwait honour TS */
#define CR0_EM         (1ULL << 2)  /* x87 emulation: must be clear for SSE */
#define CR0_TS         (1ULL << 3)  /* task switched: FPU use traps (#NM) */
#define CR0_NE         (1ULL << 5)  /* x87 errors as #MF, not the FERR# pin */
#define CR0_WP         (1ULL << 16) /* supervisor writes honour read-only pages */
#define CR4_PGE        (1ULL << 7)  /* global pages survive CR3 reloads */
#define CR4_OSFXSR     (1ULL << 9)  /* fxsave/fxrstor and SSE enabled */
#define CR4_OSXMMEXCPT (1ULL << 10) /* SIMD exceptions as #XM, not #UD */
#define CR4_SMEP       (1ULL << 20) /* no supervisor execution of user pages */
#define CR4_SMAP       (1ULL << 21) /* no supervisor access to user pages */
#define MSR_EFER       0xC0000080U
#define EFER_SCE       (1ULL << 0)  /* SYSCALL/SYSRET enabled */
#define EFER_NXE       (1ULL << 11) /* the NX bit in page tables is honoured */
#define MSR_STAR       0xC0000081U  /* SYSCALL/SYSRET selector bases */
#define MSR_LSTAR      0xC0000082U  /* 64-bit SYSCALL entry point */
#define MSR_FMASK      0xC0000084U  /* RFLAGS bits SYSCALL clears */
#define MSR_FS_BASE    0xC0000100U
#define MSR_GS_BASE    0xC0000101U
#define MSR_KGS_BASE   0xC0000102U

#endif
