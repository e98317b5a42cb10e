/*
 * Calls into the SBI firmware (OpenSBI): the base extension with probing,
 * console output, timer, IPIs, system reset (RISC-V SBI specification v2.0).
 */
#ifndef ANOS_ARCH_SBI_H
#define ANOS_ARCH_SBI_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stdint.h>

#define SBI_EXT_LEGACY_TIMER    0x00
#define SBI_EXT_LEGACY_PUTCHAR  0x01
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE            0x10
#define SBI_EXT_TIME            0x54494D45 /* "TIME" */
#define SBI_EXT_IPI             0x00735049 /* "sPI" */
#define SBI_EXT_RFENCE          0x52464E43 /* "RFNC" */
#define SBI_EXT_HSM             0x0048534D /* "HSM" */
#define SBI_EXT_SRST            0x53525354 /* "SRST" */
#define SBI_EXT_DBCN            0x4442434E /* "DBCN" */

#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID      1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXTENSION  3

#define SBI_DBCN_WRITE_BYTE 2
#define SBI_TIME_SET_TIMER  0
#define SBI_IPI_SEND_IPI    0

#define SBI_HSM_HART_START      0
#define SBI_HSM_HART_STOP       1
#define SBI_HSM_HART_GET_STATUS 2

/* HSM hart states (sbi_hart_get_status). */
#define SBI_HSM_STARTED       0
#define SBI_HSM_STOPPED       1
#define SBI_HSM_START_PENDING 2
#define SBI_HSM_STOP_PENDING  3

#define SBI_SRST_RESET          0
#define SBI_SRST_SHUTDOWN       0x00000000
#define SBI_SRST_COLD_REBOOT    0x00000001
#define SBI_SRST_REASON_NONE    0x00000000
#define SBI_SRST_REASON_FAILURE 0x00000001

#define SBI_SUCCESS           0
#define SBI_ERR_FAILED        -1
#define SBI_ERR_NOT_SUPPORTED -2
#define SBI_ERR_INVALID_PARAM -3
#define SBI_ERR_DENIED        -4
#define SBI_ERR_INVALID_ADDR  -5
#define SBI_ERR_ALREADY_AVAIL -6
#define SBI_ERR_ALREADY_START -7
#define SBI_ERR_ALREADY_STOP  -8
#define SBI_ERR_NO_SHMEM      -9

typedef struct SbiRet {
    long error; /* SBI_SUCCESS or SBI_ERR_* */
    long value;
} SbiRet;

/* What sbi_init found; all false/0 before it runs. */
typedef struct SbiInfo {
    bool probed;
    uint32_t spec_major, spec_minor;
    long impl_id, impl_version;
    bool has_time, has_ipi, has_rfence, has_hsm, has_srst, has_dbcn;
    bool has_legacy_putchar, has_legacy_shutdown, has_legacy_timer;
} SbiInfo;

/* One ecall: a7 = ext, a6 = fid, a0..a5 = args. May be used any time. */
SbiRet sbi_call(long ext, long fid, long a0, long a1, long a2, long a3, long a4, long a5);

/* Probes the base extension and the extensions above once; idempotent. */
void sbi_init(void);
const SbiInfo *sbi_info(void);
bool sbi_probe_extension(long ext);

/* SBI error to Anos error (SBI_SUCCESS -> E_OK, NOT_SUPPORTED -> E_NOSYS...). */
Error sbi_error(long sbi_err);

/* One byte to the firmware console: DBCN when present, else legacy putchar
 * (which every SBI before v2.0 without DBCN provides in practice). */
void sbi_console_putc(char c);

/* Only returns on failure (E_NOSYS when SRST is absent). */
Error sbi_system_reset(uint32_t type, uint32_t reason);
/* The legacy (v0.1) shutdown; returns only when unsupported. */
void sbi_legacy_shutdown(void);

/* Programs this hart's timer comparator to time-CSR value `ticks` and clears
 * the pending S-timer interrupt (TIME, else the legacy call). E_NOSYS
 * without either. */
Error sbi_set_timer(uint64_t ticks);

/* Raises the S-software interrupt on the harts whose bits are set in mask,
 * bit i meaning hart mask_base + i (IPI extension). E_NOSYS without it. */
Error sbi_send_ipi(unsigned long mask, unsigned long mask_base);

/*
 * HSM: starts the stopped hart hart_id at physical start_addr in S-mode with
 * satp = 0, sstatus.SIE = 0, a0 = hart_id and a1 = opaque. Returns once the
 * firmware accepted the request, not when the hart runs. E_NOSYS without
 * HSM, E_BUSY when the hart is not stopped, E_INVAL for an unknown hart,
 * E_FAULT for a start address the hart may not execute.
 */
Error sbi_hart_start(unsigned long hart_id, unsigned long start_addr, unsigned long opaque);

/* HSM: the state (SBI_HSM_*) of hart_id. E_NOSYS without HSM, E_INVAL for
 * an unknown hart. */
Error sbi_hart_get_status(unsigned long hart_id, long *state_out);

#endif
