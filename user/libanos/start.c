/*
 * Process start-up in C: reads the initial stack the kernel built
 * (include/anos/startup.h), keeps the start handles, sets up newlib
 * (environ, constructors, destructors at exit) and runs main.
 */
#include <libanos.h>
#include <stdlib.h>

extern char **environ;
int main(int argc, char **argv, char **envp);
void __libc_init_array(void);
void __libc_fini_array(void);
_Noreturn void anos_start_c(uint64_t *sp);

/* Point into the initial stack, which stays mapped and untouched above
 * main's frame for the whole life of the process. */
static const AnosStartHandle *start_handles;
static size_t start_handle_count;

_Noreturn void anos_start_c(uint64_t *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    char **end = envp;
    while (*end != NULL) {
        end++;
    }
    const uint64_t *handles = (const uint64_t *)(end + 1);
    start_handle_count = (size_t)handles[0];
    start_handles = (const AnosStartHandle *)(handles + 1);

    environ = envp;
    atexit(__libc_fini_array);
    __libc_init_array();
    exit(main(argc, argv, envp));
}

const AnosStartHandle *anos_start_handles(size_t *count)
{
    if (count != NULL) {
        *count = start_handle_count;
    }
    return start_handles;
}

Handle anos_start_handle(uint64_t tag)
{
    for (size_t i = 0; i < start_handle_count; i++) {
        if (start_handles[i].tag == tag) {
            return start_handles[i].handle;
        }
    }
    return HANDLE_NONE;
}

/* x86_64 newlib's __libc_init_array calls _init (and exit paths _fini)
 * around the init/fini arrays; every constructor we have is in the arrays. */
void _init(void)
{
}

void _fini(void)
{
}
