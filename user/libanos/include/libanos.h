/*
 * libanos: the user-space runtime. One typed wrapper per syscall (inline, so
 * a call costs only the instruction and its argument moves), the start-up
 * handles, and helpers shared by programs. The syscalls, their rights and
 * errors are described in include/anos/syscall.h and docs/Syscalls.md.
 *
 * Every wrapper returns what the kernel returned: a negative value is an
 * Error (anos/errors.h), anything else the call's result.
 */
#ifndef LIBANOS_H
#define LIBANOS_H

#include <anos/errors.h>
#include <anos/handle.h>
#include <anos/startup.h>
#include <anos/syscall.h>
#include <libanos_arch.h>
#include <stddef.h>
#include <stdint.h>

/* Any syscall by number, with all six argument registers. */
static inline int64_t anos_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                                   uint64_t a4, uint64_t a5)
{
    return anos_syscall6(nr, a0, a1, a2, a3, a4, a5);
}

static inline int64_t anos_nop(void)
{
    return anos_syscall0(SYS_NOP);
}

/* Writes len bytes to the kernel console; returns len. */
static inline int64_t anos_debug_write(const char *buf, size_t len)
{
    return anos_syscall2(SYS_DEBUG_WRITE, (uintptr_t)buf, len);
}

/* Ends the whole process with status & 255. Use exit() in programs that use
 * newlib, so that stdio is flushed; libanos's _exit calls this. */
_Noreturn void anos_exit(int status);

/* Ends the calling thread (the process ends with its last thread). */
_Noreturn void anos_thread_exit(void);

/* Starts a thread of this process at entry(arg) with stack pointer
 * stack_top (16-byte aligned); returns its thread id. */
static inline int64_t anos_thread_create(uintptr_t entry, uintptr_t stack_top, uint64_t arg)
{
    return anos_syscall3(SYS_THREAD_CREATE, entry, stack_top, arg);
}

/* Runs fn(arg) in a new thread of this process on stack [stack, stack +
 * size) (at least 256 bytes); the thread ends when fn returns. Returns its
 * thread id, E_INVAL for bad arguments, or SYS_THREAD_CREATE's error. */
int64_t anos_thread_start(void (*fn)(void *arg), void *arg, void *stack, size_t size);

/* Sets the calling thread's priority: 0 (most urgent) .. 254; the
 * default is 128. */
static inline int64_t anos_thread_priority(uint64_t level)
{
    return anos_syscall1(SYS_THREAD_PRIORITY, level);
}

static inline int64_t anos_yield(void)
{
    return anos_syscall0(SYS_YIELD);
}

/* Sleeps at least ns nanoseconds. */
static inline int64_t anos_sleep_ns(uint64_t ns)
{
    return anos_syscall1(SYS_SLEEP, ns);
}

/* Nanoseconds since boot (monotonic), or an Error. */
static inline int64_t anos_clock_ns(void)
{
    return anos_syscall0(SYS_CLOCK);
}

static inline int64_t anos_meminfo(AnosMemInfo *out)
{
    return anos_syscall1(SYS_MEMINFO, (uintptr_t)out);
}

/* Reserves [addr, addr + size) (addr 0: the kernel chooses, from
 * ANOS_MAP_BASE up), allocated page by page on first touch, zeroed.
 * prot: ANOS_PROT_*. Returns the address. */
static inline int64_t anos_map_anon(uintptr_t addr, uint64_t size, uint64_t prot)
{
    return anos_syscall3(SYS_MAP_ANON, addr, size, prot);
}

static inline int64_t anos_unmap(uintptr_t addr, uint64_t size)
{
    return anos_syscall2(SYS_UNMAP, addr, size);
}

/* Maps size bytes (0: all of it) from offset of the physical range behind
 * handle at addr (0: the kernel chooses). Returns the address. */
static inline int64_t anos_map_phys(Handle range, uintptr_t addr, uint64_t offset, uint64_t size,
                                    uint64_t prot)
{
    return anos_syscall6(SYS_MAP_PHYS, range, addr, offset, size, prot, 0);
}

/* Allocates pages contiguous physical pages; returns a handle to the
 * range and its physical address in *pa_out (which may be NULL). */
static inline int64_t anos_alloc_phys(uint64_t pages, uint64_t *pa_out)
{
    return anos_syscall2(SYS_ALLOC_PHYS, pages, (uintptr_t)pa_out);
}

/* Starts a program; returns a handle to the new process. */
static inline int64_t anos_process_create(const AnosProcessSpec *spec)
{
    return anos_syscall1(SYS_PROCESS_CREATE, (uintptr_t)spec);
}

/* Waits until the process has ended; returns its exit status (0..255, or
 * ANOS_EXIT_FAULT / ANOS_EXIT_KILLED). */
static inline int64_t anos_process_wait(Handle process)
{
    return anos_syscall1(SYS_PROCESS_WAIT, process);
}

static inline int64_t anos_process_kill(Handle process)
{
    return anos_syscall1(SYS_PROCESS_KILL, process);
}

static inline int64_t anos_handle_dup(Handle h, Rights rights)
{
    return anos_syscall2(SYS_HANDLE_DUP, h, rights);
}

static inline int64_t anos_handle_close(Handle h)
{
    return anos_syscall1(SYS_HANDLE_CLOSE, h);
}

/* Reads kernel log bytes from *seq on; blocks until there are some. */
static inline int64_t anos_klog_read(char *buf, uint64_t len, uint64_t *seq)
{
    return anos_syscall3(SYS_KLOG_READ, (uintptr_t)buf, len, (uintptr_t)seq);
}

/* Maps size bytes of firmware tables at physical address phys read-only
 * and returns the address of phys in the mapping. phys 0 maps the root:
 * the ACPI RSDP (x86_64) or the devicetree blob (riscv64). */
static inline int64_t anos_firmware_map(uint64_t phys, uint64_t size)
{
    return anos_syscall2(SYS_FIRMWARE_MAP, phys, size);
}

/* Allocates an interrupt for a driver: on x86_64 an MSI vector (source is
 * ignored; program the device with info->msi_address / msi_data), on
 * riscv64 the PLIC source `source`. Returns a handle with RIGHT_WAIT. */
static inline int64_t anos_irq_alloc(uint64_t source, AnosIrqInfo *info)
{
    return anos_syscall2(SYS_IRQ_ALLOC, source, (uintptr_t)info);
}

/* Waits for the interrupt: returns how many arrived since the last wait
 * (at least 1), or E_AGAIN after timeout_ns (0: no timeout). */
static inline int64_t anos_irq_wait(Handle irq, uint64_t timeout_ns)
{
    return anos_syscall2(SYS_IRQ_WAIT, irq, timeout_ns);
}

/* ---- IPC over channels (docs/IPC.md) ---------------------------------- */

static inline int64_t anos_channel_create(void)
{
    return anos_syscall0(SYS_CHANNEL_CREATE);
}

static inline int64_t anos_channel_destroy(Handle ch)
{
    return anos_syscall1(SYS_CHANNEL_DESTROY, ch);
}

/* Sends *msg and waits; the reply replaces *msg. The message travels in
 * registers (include/anos/syscall.h); with ANOS_IPC_TAG_* bits set in the
 * tag, the buffer and handles come from the thread's AnosIpcArea. */
static inline int64_t anos_call(Handle ch, AnosIpcMsg *msg)
{
    return anos_syscall_msg(SYS_CALL, ch, msg);
}

/* Waits for a message, into *out; the receiver then serves that call
 * until it replies. */
static inline int64_t anos_recv(Handle ch, AnosIpcMsg *out)
{
    return anos_syscall_msg(SYS_RECV, ch, out);
}

/* Replies to the call this thread serves (received on ch). */
static inline int64_t anos_reply(Handle ch, const AnosIpcMsg *reply)
{
    return anos_syscall6(SYS_REPLY, ch, reply->tag, reply->words[0], reply->words[1],
                         reply->words[2], reply->words[3]);
}

/* A server's loop step: replies with *msg, then receives the next message
 * into *msg. */
static inline int64_t anos_reply_recv(Handle ch, AnosIpcMsg *msg)
{
    return anos_syscall_msg(SYS_REPLY_RECV, ch, msg);
}

/* Registers this thread's IPC area (NULL: none), where buffers and handles
 * of its messages are described. */
static inline int64_t anos_ipc_area(AnosIpcArea *area)
{
    return anos_syscall1(SYS_IPC_AREA, (uintptr_t)area);
}

/* A server's handler (anos_serve): fills *reply (zeroed beforehand) for
 * *request. Handles the request brought are in the server's IPC area and
 * are the handler's to keep or close; a reply carrying handles
 * (ANOS_IPC_TAG_HANDLES) describes them in that area. */
typedef void (*AnosServeFn)(void *ctx, const AnosIpcMsg *request, AnosIpcMsg *reply);

/*
 * Serves channel ch (a handle with RIGHT_RECEIVE) with fn until the
 * channel is destroyed: receive, fn, reply-and-receive. area, when not
 * NULL, is registered as the calling thread's IPC area first (needed to
 * receive or send handles). A reply the kernel refuses (its handles
 * could not be sent) is replaced by one with tag -Error, the error's
 * magnitude (the convention of anos/directory.h), so no caller is left
 * waiting. Returns 0 once the channel is gone (E_NOENT, also for a handle
 * that is not live), otherwise the error that ended the loop (E_PERM
 * without RIGHT_RECEIVE, E_AGAIN when the process is being killed, ...).
 */
int64_t anos_serve(Handle ch, AnosIpcArea *area, AnosServeFn fn, void *ctx);

/* ---- The service directory (service.c, anos/directory.h) --------------- */

/*
 * Asks SYSTEM for a channel to service `name`; returns a handle with
 * RIGHT_SEND alone, or an Error: E_PERM the program's allow= list does not
 * name it, E_NOENT no such service (or no directory handle: a program
 * SYSTEM did not start), E_INVAL a malformed name, NULL arguments, or an
 * area that is not the calling thread's registered IPC area (the kernel
 * delivers the handle there, so register it with anos_ipc_area first);
 * E_NOMEM no room for the handle; the call's errors. Needs the call right.
 */
int64_t anos_service_lookup(const char *name, AnosIpcArea *area);

/* ---- Start-up (start.c) ------------------------------------------------ */

/* The handles this process was given at creation, in the creator's order. */
const AnosStartHandle *anos_start_handles(size_t *count);

/* The first start handle with this tag (ANOS_START_*), or HANDLE_NONE. */
Handle anos_start_handle(uint64_t tag);

/* ---- Helpers ------------------------------------------------------------- */

/* The errno value (errno.h) closest to an Error; EIO for unknown ones. */
int anos_errno(int64_t err);

/* Syscall-rights bit sets (AnosProcessSpec.syscall_rights). */
static inline void anos_rights_add(uint64_t rights[2], unsigned nr)
{
    if (nr < 128) {
        rights[nr / 64] |= 1ull << (nr % 64);
    }
}

#endif
