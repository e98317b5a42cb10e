/*
 * Handle syscalls: duplicating with equal or fewer rights, and closing.
 */
#include <proc/process.h>

#include "sys.h"

int64_t sys_handle_dup(SYSCALL_ARGS)
{
    if (a1 > RIGHTS_ALL) {
        return E_INVAL;
    }
    Handle out;
    Error err = handle_duplicate(&process_current()->handles, a0, (Rights)a1, &out);
    return err != E_OK ? err : (int64_t)out;
}

int64_t sys_handle_close(SYSCALL_ARGS)
{
    return handle_close(&process_current()->handles, a0);
}
