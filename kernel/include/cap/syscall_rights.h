/*
 * Syscall rights: which syscall numbers a process may make. Fixed when the
 * process is created, always a subset of its creator's; SYSTEM gets all.
 */
#ifndef ANOS_KERNEL_CAP_SYSCALL_RIGHTS_H
#define ANOS_KERNEL_CAP_SYSCALL_RIGHTS_H

#include <anos/errors.h>
#include <stdbool.h>
#include <stdint.h>

/* Syscall numbers 0..SYSCALL_RIGHTS_BITS-1; bit nr of the set lives in
 * words[nr / 64] at bit nr % 64 (the same layout process create takes from
 * user space). */
#define SYSCALL_RIGHTS_BITS  128
#define SYSCALL_RIGHTS_WORDS (SYSCALL_RIGHTS_BITS / 64)

typedef struct SyscallRights {
    uint64_t words[SYSCALL_RIGHTS_WORDS];
} SyscallRights;

/* Read on every syscall entry, so inline: a number outside the set's range
 * is simply not allowed. */
static inline bool syscall_rights_allows(const SyscallRights *set, uint32_t nr)
{
    return nr < SYSCALL_RIGHTS_BITS && (set->words[nr / 64] >> (nr % 64) & 1) != 0;
}

SyscallRights syscall_rights_none(void);

/* Every syscall: SYSTEM's set. */
SyscallRights syscall_rights_all(void);

/* E_RANGE: nr >= SYSCALL_RIGHTS_BITS (the set is unchanged). */
Error syscall_rights_add(SyscallRights *set, uint32_t nr);
Error syscall_rights_remove(SyscallRights *set, uint32_t nr);

/* True if every syscall in child is also in parent. */
bool syscall_rights_subset(const SyscallRights *child, const SyscallRights *parent);

SyscallRights syscall_rights_intersect(const SyscallRights *a, const SyscallRights *b);

bool syscall_rights_equal(const SyscallRights *a, const SyscallRights *b);

/* The set for a new process: exactly `requested` if the creator holds all of
 * it, else E_PERM (no silent clamping; *out unchanged). */
Error syscall_rights_derive(const SyscallRights *creator, const SyscallRights *requested,
                            SyscallRights *out);

#endif
