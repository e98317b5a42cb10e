/*
 * Process and thread syscalls. Creating a process copies everything the
 * spec points to into the kernel first, checks every right, and only then
 * builds the process, so a bad spec changes nothing.
 */
#include <mm/direct_map.h>
#include <mm/mm.h>
#include <proc/process.h>
#include <proc/uaccess.h>
#include <sched/sched.h>

#include "sys.h"

#define PROCESS_HANDLE_RIGHTS (RIGHT_READ | RIGHT_KILL | RIGHT_TRANSFER | RIGHT_DUPLICATE)

int64_t sys_process_exit(SYSCALL_ARGS)
{
    process_kill(process_current(), (int64_t)(a0 & 0xFF));
    process_thread_exit();
}

int64_t sys_thread_exit(SYSCALL_ARGS)
{
    process_thread_exit();
}

int64_t sys_thread_create(SYSCALL_ARGS)
{
    uint64_t entry = a0, stack_top = a1, arg = a2;
    Error err = user_range_check(entry, 1, 1);
    if (err == E_OK) {
        err = user_range_check((stack_top & ~15ull) - 16, 16, 16);
    }
    if (err != E_OK) {
        return err;
    }
    uint32_t tid;
    err = process_thread_create(process_current(), entry, stack_top, arg, &tid);
    return err != E_OK ? err : (int64_t)tid;
}

/* The kernel's copy of a spec's strings and pointer arrays. */
typedef struct SpecCopy {
    const char *ptrs[ANOS_SPEC_MAX_ARGS];
    char *strings; /* a page: ANOS_SPEC_MAX_STRINGS bytes */
    size_t used;
    char name[PROCESS_NAME_MAX];
    HandleInFlight handles[ANOS_SPEC_MAX_HANDLES];
    uint64_t tags[ANOS_SPEC_MAX_HANDLES];
    AnosGiveHandle give[ANOS_SPEC_MAX_HANDLES];
    uint64_t handles_taken;
} SpecCopy;

/* Copies n user string pointers from arr into c->ptrs[first..]. */
static Error spec_copy_strings(SpecCopy *c, uint64_t arr, uint64_t n, size_t first)
{
    if (n == 0) {
        return E_OK;
    }
    uint64_t uptrs[ANOS_SPEC_MAX_ARGS];
    Error err = copy_from_user(uptrs, arr, n * sizeof(uint64_t), 8);
    if (err != E_OK) {
        return err;
    }
    for (uint64_t i = 0; i < n; i++) {
        size_t len;
        err = copy_str_from_user(c->strings + c->used, uptrs[i], ANOS_SPEC_MAX_STRINGS - c->used,
                                 &len);
        if (err != E_OK) {
            return err;
        }
        c->ptrs[first + i] = c->strings + c->used;
        c->used += len + 1;
    }
    return E_OK;
}

/* Takes a reference for each handle to give, checking its rights; the
 * creator's table is not changed yet. */
static Error spec_take_handles(SpecCopy *c, Process *self, uint64_t arr, uint64_t n)
{
    if (n == 0) {
        return E_OK;
    }
    Error err = copy_from_user(c->give, arr, n * sizeof(AnosGiveHandle), 8);
    if (err != E_OK) {
        return err;
    }
    for (uint64_t i = 0; i < n; i++) {
        const AnosGiveHandle *g = &c->give[i];
        Rights need = g->rights | RIGHT_TRANSFER | (g->move ? 0 : RIGHT_DUPLICATE);
        if ((err = handle_get(&self->handles, g->handle, KOBJ_ANY, need, &c->handles[i].obj)) !=
            E_OK) {
            return err;
        }
        c->handles[i].rights = g->rights;
        c->tags[i] = g->tag;
        c->handles_taken++;
    }
    return E_OK;
}

static void spec_release(SpecCopy *c)
{
    for (uint64_t i = 0; i < c->handles_taken; i++) {
        kobject_unref(c->handles[i].obj);
    }
    c->handles_taken = 0;
}

static Error spec_check(const AnosProcessSpec *s)
{
    if (s->elf_size == 0 || s->argc + s->envc > ANOS_SPEC_MAX_ARGS ||
        s->argc > ANOS_SPEC_MAX_ARGS || s->envc > ANOS_SPEC_MAX_ARGS ||
        s->handle_count > ANOS_SPEC_MAX_HANDLES) {
        return E_INVAL;
    }
    if (s->elf_size > ANOS_SPEC_MAX_ELF) {
        return E_RANGE;
    }
    if (s->cpu != ANOS_CPU_ANY && s->cpu >= sched_cpu_count()) {
        return E_INVAL;
    }
    return E_OK;
}

/* Everything after the spec is in the kernel: the ELF copy and creation. */
static int64_t spawn(Process *self, const AnosProcessSpec *s, SpecCopy *c,
                     const SyscallRights *rights)
{
    uint64_t pages = (s->elf_size + MM_PAGE_SIZE - 1) / MM_PAGE_SIZE, elf_pa;
    Error err = pmm_alloc_pages(&mm_pmm, pages, &elf_pa);
    if (err != E_OK) {
        return err;
    }
    void *elf = phys_to_virt(elf_pa);
    if ((err = copy_from_user(elf, (uint64_t)(uintptr_t)s->elf, s->elf_size, 1)) == E_OK) {
        ProcessCreateArgs args = {
            .name = c->name,
            .elf = elf,
            .elf_size = s->elf_size,
            .rights = rights,
            .cpu = s->cpu == ANOS_CPU_ANY ? UINT32_MAX : (uint32_t)s->cpu,
            .argv = c->ptrs,
            .argc = s->argc,
            .envp = c->ptrs + s->argc,
            .envc = s->envc,
            .handles = c->handles,
            .handle_tags = c->tags,
            .handle_count = s->handle_count,
        };
        Process *child;
        if ((err = process_create(&args, &child)) == E_OK) {
            c->handles_taken = 0; /* consumed */
            for (uint64_t i = 0; i < s->handle_count; i++) {
                if (c->give[i].move) {
                    handle_close(&self->handles, c->give[i].handle);
                }
            }
            Handle h;
            err = handle_alloc(&self->handles, &child->obj, PROCESS_HANDLE_RIGHTS, &h);
            if (err != E_OK) {
                process_kill(child, ANOS_EXIT_KILLED); /* nobody could ever wait for it */
            }
            kobject_unref(&child->obj);
            pmm_free_pages(&mm_pmm, elf_pa, pages);
            return err != E_OK ? err : (int64_t)h;
        }
    }
    pmm_free_pages(&mm_pmm, elf_pa, pages);
    return err;
}

int64_t sys_process_create(SYSCALL_ARGS)
{
    AnosProcessSpec s;
    Error err = copy_from_user(&s, a0, sizeof(s), 8);
    if (err != E_OK || (err = spec_check(&s)) != E_OK) {
        return err;
    }
    Process *self = process_current();
    SyscallRights requested = {{s.syscall_rights[0], s.syscall_rights[1]}}, rights;
    if ((err = syscall_rights_derive(&self->rights, &requested, &rights)) != E_OK) {
        return err;
    }
    uint64_t strings_pa;
    if ((err = pmm_alloc_page(&mm_pmm, &strings_pa)) != E_OK) {
        return err;
    }
    SpecCopy *c = NULL;
    uint64_t copy_pa;
    if ((err = pmm_alloc_pages(&mm_pmm, (sizeof(SpecCopy) + MM_PAGE_SIZE - 1) / MM_PAGE_SIZE,
                               &copy_pa)) != E_OK) {
        pmm_free_page(&mm_pmm, strings_pa);
        return err;
    }
    c = phys_to_virt(copy_pa);
    c->strings = phys_to_virt(strings_pa);
    c->used = 0;
    c->handles_taken = 0;
    c->name[0] = '\0';
    if (s.name != NULL) {
        size_t len;
        err = copy_str_from_user(c->name, (uint64_t)(uintptr_t)s.name, sizeof(c->name), &len);
        if (err == E_RANGE) {
            c->name[sizeof(c->name) - 1] = '\0'; /* a long name is only shortened */
            err = E_OK;
        }
    }
    if (err == E_OK) {
        err = spec_copy_strings(c, (uint64_t)(uintptr_t)s.argv, s.argc, 0);
    }
    if (err == E_OK) {
        err = spec_copy_strings(c, (uint64_t)(uintptr_t)s.envp, s.envc, s.argc);
    }
    if (err == E_OK) {
        err = spec_take_handles(c, self, (uint64_t)(uintptr_t)s.handles, s.handle_count);
    }
    int64_t result = err;
    if (err == E_OK) {
        result = spawn(self, &s, c, &rights);
    }
    spec_release(c);
    pmm_free_pages(&mm_pmm, copy_pa, (sizeof(SpecCopy) + MM_PAGE_SIZE - 1) / MM_PAGE_SIZE);
    pmm_free_page(&mm_pmm, strings_pa);
    return result;
}

int64_t sys_process_wait(SYSCALL_ARGS)
{
    KObject *obj;
    Error err = handle_get(&process_current()->handles, a0, KOBJ_PROCESS, RIGHT_READ, &obj);
    if (err != E_OK) {
        return err;
    }
    int64_t status;
    err = process_wait((Process *)obj, &status);
    kobject_unref(obj);
    return err != E_OK ? err : status;
}

int64_t sys_process_kill(SYSCALL_ARGS)
{
    KObject *obj;
    Error err = handle_get(&process_current()->handles, a0, KOBJ_PROCESS, RIGHT_KILL, &obj);
    if (err != E_OK) {
        return err;
    }
    process_kill((Process *)obj, ANOS_EXIT_KILLED);
    kobject_unref(obj);
    return 0;
}
