/*
 * What the riscv64 layer needs to know about the machine from the devicetree:
 * harts, timebase, PLIC, CLINT and PCIe ECAM. Pure queries over an Fdt (no
 * hardware access), so the host tests run them against QEMU's blobs.
 */
#ifndef ANOS_RISCV_DT_PLATFORM_H
#define ANOS_RISCV_DT_PLATFORM_H

#include <fdt.h>
#include <stdbool.h>
#include <stdint.h>

/* As many harts as the kernel supports CPUs (percpu.h MAX_CPUS). */
#define RISCV_MAX_HARTS 64

/* A PLIC context number that does not exist (hart without S-mode context). */
#define RISCV_PLIC_NO_CONTEXT 0xFFFFFFFFu

/* The largest PLIC the specification allows: sources 1..1023, 15872 contexts. */
#define RISCV_PLIC_MAX_SOURCES  1023u
#define RISCV_PLIC_MAX_CONTEXTS 15872u

/* The S-mode external interrupt's number on a hart's local controller. */
#define RISCV_IRQ_S_EXTERNAL 9u

/* One usable hart: a /cpus child with device_type "cpu", compatible "riscv",
 * status okay (or absent) and an MMU that can run Sv48. */
typedef struct RiscvHart {
    uint32_t hart_id;      /* the cpu node's reg */
    uint32_t intc_phandle; /* its "riscv,cpu-intc" child; 0 when none */
    uint32_t plic_context; /* S-mode PLIC context; RISCV_PLIC_NO_CONTEXT */
    bool sstc;             /* riscv,isa lists the Sstc extension */
} RiscvHart;

typedef struct RiscvHartList {
    uint32_t count;   /* usable harts in harts[] (document order) */
    uint32_t skipped; /* cpu nodes left out: disabled, no Sv48, or past the table */
    RiscvHart harts[RISCV_MAX_HARTS];
} RiscvHartList;

typedef struct RiscvPlicInfo {
    uint64_t base, size;
    uint32_t ndev; /* riscv,ndev: sources are 1..ndev */
} RiscvPlicInfo;

typedef struct RiscvMmioInfo {
    uint64_t base, size;
} RiscvMmioInfo;

typedef struct RiscvEcamInfo {
    uint64_t base, size;
    uint32_t bus_start, bus_end; /* bus-range, default 0..255 */
} RiscvEcamInfo;

/*
 * The usable harts under /cpus. E_NOENT when /cpus is missing or no hart is
 * usable; E_CORRUPT for a cpu node whose reg is missing or malformed, or a
 * hart id that appears twice.
 */
Error riscv_dt_harts(const Fdt *fdt, RiscvHartList *out);

/* /cpus timebase-frequency (one or two cells), in Hz. E_NOENT when absent,
 * E_CORRUPT when malformed or 0. */
Error riscv_dt_timebase(const Fdt *fdt, uint64_t *hz);

/*
 * The first enabled PLIC ("sifive,plic-1.0.0" or "riscv,plic0"): its first
 * reg and riscv,ndev; and, for each hart in harts, the index in
 * interrupts-extended of the entry naming that hart's local controller with
 * interrupt 9 (S-mode external) - that index is the PLIC context number.
 * Harts it does not name keep RISCV_PLIC_NO_CONTEXT. E_NOENT without a PLIC,
 * E_CORRUPT when reg, riscv,ndev (0 or > 1023) or interrupts-extended
 * (dangling phandle, wrong length, controller without #interrupt-cells) is
 * malformed.
 */
Error riscv_dt_plic(const Fdt *fdt, RiscvHartList *harts, RiscvPlicInfo *out);

/* The first enabled CLINT ("sifive,clint0" / "riscv,clint0"): its reg.
 * E_NOENT when there is none, else as fdt_reg. */
Error riscv_dt_clint(const Fdt *fdt, RiscvMmioInfo *out);

/* The first enabled "pci-host-ecam-generic": reg and bus-range. E_NOENT when
 * there is none; E_CORRUPT for a bad bus-range. */
Error riscv_dt_ecam(const Fdt *fdt, RiscvEcamInfo *out);

/* Whether the riscv,isa string names extension ext ("sstc") as one of its
 * '_'-separated multi-letter extensions. */
bool riscv_isa_has_extension(const char *isa, const char *ext);

#endif
