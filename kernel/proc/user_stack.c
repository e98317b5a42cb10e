/*
 * The initial stack image: strings at the top, then the word array that
 * <anos/startup.h> describes, aligned so the stack pointer is 16-byte
 * aligned at argc.
 */
#include <kstring.h>
#include <proc/user_stack.h>

static Error user_stack_strings(const char *const *strs, uint64_t n, size_t *bytes)
{
    if (n > 0 && strs == NULL) {
        return E_INVAL;
    }
    for (uint64_t i = 0; i < n; i++) {
        if (strs[i] == NULL) {
            return E_INVAL;
        }
        *bytes += strlen(strs[i]) + 1;
    }
    return E_OK;
}

/* Copies strs to the string area growing up from *cursor (user address
 * *user, kernel pointer *kptr) and stores each user address in words. */
static void user_stack_put(const char *const *strs, uint64_t n, uint8_t **kptr, uint64_t *user,
                           uint64_t *words)
{
    for (uint64_t i = 0; i < n; i++) {
        size_t len = strlen(strs[i]) + 1;
        memcpy(*kptr, strs[i], len);
        words[i] = *user;
        *kptr += len;
        *user += len;
    }
}

Error user_stack_build(const UserStackArgs *a, uint64_t top, uint8_t *buf, size_t cap,
                       uint64_t *sp_out)
{
    if (a == NULL || buf == NULL || sp_out == NULL || (top & 15) != 0 ||
        (a->handle_count > 0 && a->handles == NULL)) {
        return E_INVAL;
    }
    size_t str_bytes = 0;
    Error err = user_stack_strings(a->argv, a->argc, &str_bytes);
    if (err == E_OK) {
        err = user_stack_strings(a->envp, a->envc, &str_bytes);
    }
    if (err != E_OK) {
        return err;
    }
    /* Counts come from the caller, already bounded; the sum cannot wrap. */
    uint64_t words = 1 + (a->argc + 1) + (a->envc + 1) + 1 + 2 * a->handle_count;
    uint64_t str_area = (str_bytes + 15) & ~15ull;
    uint64_t total = ((words * 8 + 15) & ~15ull) + str_area;
    if (total > cap || total > top) {
        return E_RANGE;
    }
    uint64_t sp = top - total;
    uint8_t *base = buf + (cap - total); /* kernel view of user address sp */
    uint64_t *w = (uint64_t *)(void *)base;
    uint64_t str_user = top - str_area;
    uint8_t *str_k = base + (str_user - sp);

    size_t i = 0;
    w[i++] = a->argc;
    user_stack_put(a->argv, a->argc, &str_k, &str_user, &w[i]);
    i += a->argc;
    w[i++] = 0;
    user_stack_put(a->envp, a->envc, &str_k, &str_user, &w[i]);
    i += a->envc;
    w[i++] = 0;
    w[i++] = a->handle_count;
    for (uint64_t h = 0; h < a->handle_count; h++) {
        w[i++] = a->handles[h].handle;
        w[i++] = a->handles[h].tag;
    }
    *sp_out = sp;
    return E_OK;
}
