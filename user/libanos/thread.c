/*
 * anos_thread_start: threads that run a C function. SYS_THREAD_CREATE
 * starts a thread with its stack pointer 16-byte aligned, pointing at the
 * word the creator passed, and that address in the first argument register;
 * the trampoline turns that into fn(arg) and ends the thread when fn
 * returns.
 */
#include <libanos.h>

typedef struct AnosThreadStart {
    void (*fn)(void *arg);
    void *arg;
} AnosThreadStart;

/* Entered, not called: on x86_64 the stack is aligned as at a call site's
 * start, not as after a call, so the compiler must realign it. */
#if defined(__x86_64__)
__attribute__((force_align_arg_pointer))
#endif
static _Noreturn void
anos_thread_trampoline(const uint64_t *sp)
{
    const AnosThreadStart *start = (const AnosThreadStart *)(uintptr_t)sp[0];
    start->fn(start->arg);
    anos_thread_exit();
}

int64_t anos_thread_start(void (*fn)(void *arg), void *arg, void *stack, size_t size)
{
    if (fn == NULL || stack == NULL || size < 256) {
        return E_INVAL;
    }
    /* The start record lives at the top of the new thread's own stack; the
     * kernel then stores its address just below, where sp will point. */
    uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
    AnosThreadStart *start = (AnosThreadStart *)(top - sizeof(AnosThreadStart));
    start->fn = fn;
    start->arg = arg;
    return anos_thread_create((uintptr_t)anos_thread_trampoline, (uintptr_t)start,
                              (uint64_t)(uintptr_t)start);
}
