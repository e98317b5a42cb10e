/*
 * Supervisor CSR access and the bit names the riscv64 layer uses
 * (RISC-V privileged specification, chapter "Supervisor-Level ISA").
 */
#ifndef ANOS_ARCH_CSR_H
#define ANOS_ARCH_CSR_H

#include <stdint.h>

#define SSTATUS_SIE  (1ULL << 1)
#define SSTATUS_SPIE (1ULL << 5)
#define SSTATUS_SPP  (1ULL << 8)
#define SSTATUS_FS   (3ULL << 13)
#define SSTATUS_SUM  (1ULL << 18)

#define SCAUSE_INTERRUPT (1ULL << 63)

/* Interrupt numbers (scause code, bit in sie/sip) for S-mode. */
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9

#define SIE_SSIE (1ULL << IRQ_S_SOFT)
#define SIE_STIE (1ULL << IRQ_S_TIMER)
#define SIE_SEIE (1ULL << IRQ_S_EXT)
#define SIP_SSIP SIE_SSIE

#define csr_read(csr)                                                                              \
    ({                                                                                             \
        uint64_t csr_value_;                                                                       \
        __asm__ volatile("csrr %0, " #csr : "=r"(csr_value_)::"memory");                           \
        csr_value_;                                                                                \
    })

#define csr_write(csr, value) __asm__ volatile("csrw " #csr ", %0" ::"rK"(value) : "memory")
#define csr_set(csr, bits)    __asm__ volatile("csrs " #csr ", %0" ::"rK"(bits) : "memory")
#define csr_clear(csr, bits)  __asm__ volatile("csrc " #csr ", %0" ::"rK"(bits) : "memory")

#endif
