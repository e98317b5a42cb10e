/*
 * The checked user copies: range check here, fault recovery in the arch's
 * copy routines.
 */
#include <proc/uaccess.h>
#include <proc/user_arch.h>

Error copy_from_user(void *dst, uint64_t user_src, size_t n, size_t align)
{
    Error err = user_range_check(user_src, n, align);
    if (err != E_OK || n == 0) {
        return err;
    }
    return arch_copy_from_user(dst, (uintptr_t)user_src, n);
}

Error copy_to_user(uint64_t user_dst, const void *src, size_t n, size_t align)
{
    Error err = user_range_check(user_dst, n, align);
    if (err != E_OK || n == 0) {
        return err;
    }
    return arch_copy_to_user((uintptr_t)user_dst, src, n);
}

Error copy_str_from_user(char *dst, uint64_t user_src, size_t max, size_t *len_out)
{
    if (max == 0) {
        return E_RANGE;
    }
    if (user_src < ANOS_USER_MIN || user_src >= ANOS_USER_TOP) {
        return E_FAULT;
    }
    /* The string may end before the top even if max bytes would not fit. */
    size_t room = ANOS_USER_TOP - user_src;
    Error err = arch_copy_str_from_user(dst, (uintptr_t)user_src, max < room ? max : room, len_out);
    if (err == E_RANGE && room < max) {
        return E_FAULT; /* ran into the top of the user half */
    }
    return err;
}
