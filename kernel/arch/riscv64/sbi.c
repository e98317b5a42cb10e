/*
 * SBI calls (RISC-V SBI specification v2.0): ecall wrappers, base-extension
 * probing, firmware console, timer, IPIs, hart state management and system reset.
 */
#include <arch/sbi.h>

static SbiInfo sbi;

SbiRet sbi_call(long ext, long fid, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a4 __asm__("a4") = a4;
    register long r_a5 __asm__("a5") = a5;
    register long r_a6 __asm__("a6") = fid;
    register long r_a7 __asm__("a7") = ext;
    __asm__ volatile("ecall"
                     : "+r"(r_a0), "+r"(r_a1)
                     : "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a6), "r"(r_a7)
                     : "memory");
    return (SbiRet){.error = r_a0, .value = r_a1};
}

static SbiRet sbi_call0(long ext, long fid)
{
    return sbi_call(ext, fid, 0, 0, 0, 0, 0, 0);
}

bool sbi_probe_extension(long ext)
{
    SbiRet r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext, 0, 0, 0, 0, 0);
    return r.error == SBI_SUCCESS && r.value != 0;
}

void sbi_init(void)
{
    if (sbi.probed) {
        return;
    }
    /* The base extension exists in every SBI since v0.2; a v0.1 firmware
     * fails the call, and then only the legacy calls are left. */
    SbiRet v = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
    if (v.error == SBI_SUCCESS) {
        sbi.spec_major = (uint32_t)((unsigned long)v.value >> 24) & 0x7f;
        sbi.spec_minor = (uint32_t)v.value & 0xffffff;
        sbi.impl_id = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID).value;
        sbi.impl_version = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION).value;
        sbi.has_time = sbi_probe_extension(SBI_EXT_TIME);
        sbi.has_ipi = sbi_probe_extension(SBI_EXT_IPI);
        sbi.has_rfence = sbi_probe_extension(SBI_EXT_RFENCE);
        sbi.has_hsm = sbi_probe_extension(SBI_EXT_HSM);
        sbi.has_srst = sbi_probe_extension(SBI_EXT_SRST);
        sbi.has_dbcn = sbi_probe_extension(SBI_EXT_DBCN);
        sbi.has_legacy_putchar = sbi_probe_extension(SBI_EXT_LEGACY_PUTCHAR);
        sbi.has_legacy_shutdown = sbi_probe_extension(SBI_EXT_LEGACY_SHUTDOWN);
        sbi.has_legacy_timer = sbi_probe_extension(SBI_EXT_LEGACY_TIMER);
    } else {
        sbi.has_legacy_putchar = true;
        sbi.has_legacy_shutdown = true;
        sbi.has_legacy_timer = true;
    }
    sbi.probed = true;
}

const SbiInfo *sbi_info(void)
{
    return &sbi;
}

Error sbi_error(long sbi_err)
{
    switch (sbi_err) {
    case SBI_SUCCESS: return E_OK;
    case SBI_ERR_NOT_SUPPORTED: return E_NOSYS;
    case SBI_ERR_INVALID_PARAM: return E_INVAL;
    case SBI_ERR_DENIED: return E_PERM;
    case SBI_ERR_INVALID_ADDR: return E_FAULT;
    case SBI_ERR_ALREADY_AVAIL:
    case SBI_ERR_ALREADY_START:
    case SBI_ERR_ALREADY_STOP: return E_BUSY;
    case SBI_ERR_NO_SHMEM: return E_NOMEM;
    default: return E_INVAL;
    }
}

void sbi_console_putc(char c)
{
    if (sbi.has_dbcn) {
        sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (unsigned char)c, 0, 0, 0, 0, 0);
    } else {
        /* Before sbi_init, or without DBCN: the legacy call, which OpenSBI
         * keeps; on firmware without it the ecall just fails. */
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0, 0, 0, 0);
    }
}

Error sbi_system_reset(uint32_t type, uint32_t reason)
{
    if (!sbi.has_srst) {
        return E_NOSYS;
    }
    SbiRet r = sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, type, reason, 0, 0, 0, 0);
    return sbi_error(r.error);
}

void sbi_legacy_shutdown(void)
{
    sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0, 0, 0);
}

Error sbi_set_timer(uint64_t ticks)
{
    if (sbi.has_time) {
        return sbi_error(
            sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, (long)ticks, 0, 0, 0, 0, 0).error);
    }
    if (sbi.has_legacy_timer) {
        /* The legacy call returns nothing useful in a0. */
        sbi_call(SBI_EXT_LEGACY_TIMER, 0, (long)ticks, 0, 0, 0, 0, 0);
        return E_OK;
    }
    return E_NOSYS;
}

Error sbi_send_ipi(unsigned long mask, unsigned long mask_base)
{
    if (!sbi.has_ipi) {
        return E_NOSYS;
    }
    SbiRet r = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, (long)mask, (long)mask_base, 0, 0, 0, 0);
    return sbi_error(r.error);
}

Error sbi_hart_start(unsigned long hart_id, unsigned long start_addr, unsigned long opaque)
{
    if (!sbi.has_hsm) {
        return E_NOSYS;
    }
    SbiRet r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, (long)hart_id, (long)start_addr,
                        (long)opaque, 0, 0, 0);
    return sbi_error(r.error);
}

Error sbi_hart_get_status(unsigned long hart_id, long *state_out)
{
    if (!sbi.has_hsm) {
        return E_NOSYS;
    }
    SbiRet r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, (long)hart_id, 0, 0, 0, 0, 0);
    if (r.error == SBI_SUCCESS) {
        *state_out = r.value;
    }
    return sbi_error(r.error);
}
