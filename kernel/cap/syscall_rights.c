/*
 * Syscall-rights sets (cap/syscall_rights.h).
 */
#include <cap/syscall_rights.h>

SyscallRights syscall_rights_none(void)
{
    SyscallRights set = {{0}};
    return set;
}

SyscallRights syscall_rights_all(void)
{
    SyscallRights set;
    for (int i = 0; i < SYSCALL_RIGHTS_WORDS; i++) {
        set.words[i] = ~0ull;
    }
    return set;
}

Error syscall_rights_add(SyscallRights *set, uint32_t nr)
{
    if (nr >= SYSCALL_RIGHTS_BITS) {
        return E_RANGE;
    }
    set->words[nr / 64] |= 1ull << (nr % 64);
    return E_OK;
}

Error syscall_rights_remove(SyscallRights *set, uint32_t nr)
{
    if (nr >= SYSCALL_RIGHTS_BITS) {
        return E_RANGE;
    }
    set->words[nr / 64] &= ~(1ull << (nr % 64));
    return E_OK;
}

bool syscall_rights_subset(const SyscallRights *child, const SyscallRights *parent)
{
    for (int i = 0; i < SYSCALL_RIGHTS_WORDS; i++) {
        if ((child->words[i] & ~parent->words[i]) != 0) {
            return false;
        }
    }
    return true;
}

SyscallRights syscall_rights_intersect(const SyscallRights *a, const SyscallRights *b)
{
    SyscallRights set;
    for (int i = 0; i < SYSCALL_RIGHTS_WORDS; i++) {
        set.words[i] = a->words[i] & b->words[i];
    }
    return set;
}

bool syscall_rights_equal(const SyscallRights *a, const SyscallRights *b)
{
    for (int i = 0; i < SYSCALL_RIGHTS_WORDS; i++) {
        if (a->words[i] != b->words[i]) {
            return false;
        }
    }
    return true;
}

Error syscall_rights_derive(const SyscallRights *creator, const SyscallRights *requested,
                            SyscallRights *out)
{
    if (!syscall_rights_subset(requested, creator)) {
        return E_PERM;
    }
    *out = *requested;
    return E_OK;
}
