/*
 * newlib's operating-system layer (its "libgloss"): the few system calls
 * newlib's libc is built to call, over Anos syscalls. x86_64 newlib calls
 * the plain names (write, sbrk, ...), riscv64 newlib the underscored ones
 * (_write, _sbrk, ...), so each is defined once and aliased.
 *
 * There are no files yet: fds 0-2 are the kernel console (output only,
 * through SYS_DEBUG_WRITE), everything else is EBADF, open is ENOENT.
 *
 * stderr is unbuffered in newlib, and its fprintf writes each piece of the
 * format separately; on a console that several processes share, the pieces
 * would land inside other programs' lines (and break their TAP). So fd 2
 * collects up to a line here and writes whole lines, flushing what is left
 * before any write to fd 1 and at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <libanos.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

/* Defines _name as another name for name, with the same type. */
#define GLOSS_ALIAS(name) __typeof__(name) _##name __attribute__((alias(#name)))

/* The heap: one lazily allocated reservation (pages are allocated and
 * zeroed by the kernel on first touch, so reserving costs nothing), with
 * the break moving inside it. Smaller reservations are tried if the
 * kernel refuses a large one. */
#define GLOSS_HEAP_MAX (1ull << 30)
#define GLOSS_HEAP_MIN (16ull << 20)

/* Bytes per SYS_DEBUG_WRITE, so one call never asks the kernel to copy an
 * unbounded buffer. */
#define GLOSS_WRITE_CHUNK 1024

/* Every process sees itself as this pid (there is no pid syscall). */
#define GLOSS_SELF_PID 1

/* The longest stderr line written in one piece. */
#define GLOSS_ERR_LINE 256

static uintptr_t heap_base;
static uintptr_t heap_limit;
static uintptr_t heap_brk;

static char err_line[GLOSS_ERR_LINE];
static size_t err_len;

int anos_errno(int64_t err)
{
    switch (err) {
    case E_NOMEM: return ENOMEM;
    case E_INVAL: return EINVAL;
    case E_FAULT: return EFAULT;
    case E_PERM: return EPERM;
    case E_NOENT: return ENOENT;
    case E_EXIST: return EEXIST;
    case E_BUSY: return EBUSY;
    case E_RANGE: return ERANGE;
    case E_CORRUPT: return ENOEXEC;
    case E_NOSYS: return ENOSYS;
    case E_AGAIN: return EAGAIN;
    case E_ALIGN: return EINVAL;
    default: return EIO;
    }
}

/* Writes n bytes to the console; returns the count written or -errno. */
static int64_t gloss_console_write(const char *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t chunk = n - done < GLOSS_WRITE_CHUNK ? n - done : GLOSS_WRITE_CHUNK;
        int64_t r = anos_debug_write(p + done, chunk);
        if (r <= 0) {
            return done > 0 ? (int64_t)done : r < 0 ? -anos_errno(r) : -EIO;
        }
        done += (size_t)r;
    }
    return (int64_t)done;
}

static void gloss_err_flush(void)
{
    if (err_len > 0) {
        gloss_console_write(err_line, err_len);
        err_len = 0;
    }
}

/* fd 2: whole lines out, the rest kept for later (see the top). */
static int64_t gloss_err_write(const char *p, size_t n)
{
    size_t left = n;
    while (left > 0) {
        const char *nl = memchr(p, '\n', left);
        size_t take = nl != NULL ? (size_t)(nl - p) + 1 : left;
        if (take > sizeof(err_line) - err_len) {
            gloss_err_flush();
        }
        if (take > sizeof(err_line)) {
            int64_t r = gloss_console_write(p, take);
            if (r < 0) {
                return r;
            }
        } else {
            memcpy(err_line + err_len, p, take);
            err_len += take;
            if (nl != NULL) {
                gloss_err_flush();
            }
        }
        p += take;
        left -= take;
    }
    return (int64_t)n;
}

/* Without the process_exit right the call fails: end the thread instead,
 * and if even that is refused, fault so that the kernel ends the process. */
_Noreturn void anos_exit(int status)
{
    gloss_err_flush();
    anos_syscall1(SYS_PROCESS_EXIT, (uint64_t)(int64_t)status);
    anos_syscall0(SYS_THREAD_EXIT);
    __builtin_trap();
}

_Noreturn void anos_thread_exit(void)
{
    anos_syscall0(SYS_THREAD_EXIT);
    __builtin_trap();
}

void _exit(int status)
{
    anos_exit(status);
}

static int gloss_is_console(int fd)
{
    return fd >= 0 && fd <= 2;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
    int64_t r;
    if (fd == STDOUT_FILENO) {
        gloss_err_flush(); /* keep stderr and stdout in order */
        r = gloss_console_write(buf, n);
    } else if (fd == STDERR_FILENO) {
        r = gloss_err_write(buf, n);
    } else {
        r = -EBADF;
    }
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return (_READ_WRITE_RETURN_TYPE)r;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
    errno = EBADF;
    return -1;
}

static int gloss_heap_reserve(void)
{
    for (uint64_t size = GLOSS_HEAP_MAX; size >= GLOSS_HEAP_MIN; size /= 2) {
        int64_t addr = anos_map_anon(0, size, ANOS_PROT_READ | ANOS_PROT_WRITE);
        if (addr > 0) {
            heap_base = heap_brk = (uintptr_t)addr;
            heap_limit = heap_base + size;
            return 0;
        }
    }
    return -1;
}

void *sbrk(ptrdiff_t incr)
{
    if (heap_base == 0 && gloss_heap_reserve() != 0) {
        errno = ENOMEM;
        return (void *)-1;
    }
    uintptr_t old = heap_brk;
    if (incr > 0 && (uintptr_t)incr > heap_limit - old) {
        errno = ENOMEM;
        return (void *)-1;
    }
    if (incr < 0 && (uintptr_t)0 - (uintptr_t)incr > old - heap_base) {
        errno = EINVAL;
        return (void *)-1;
    }
    heap_brk = old + (uintptr_t)incr;
    return (void *)old;
}

int close(int fd)
{
    if (gloss_is_console(fd)) {
        return 0;
    }
    errno = EBADF;
    return -1;
}

int fstat(int fd, struct stat *st)
{
    if (!gloss_is_console(fd)) {
        errno = EBADF;
        return -1;
    }
    *st = (struct stat){0};
    st->st_mode = S_IFCHR | 0600;
    return 0;
}

/* 1 for the console, so that stdout is line buffered. */
int isatty(int fd)
{
    if (gloss_is_console(fd)) {
        return 1;
    }
    errno = EBADF;
    return 0;
}

off_t lseek(int fd, off_t offset, int whence)
{
    errno = gloss_is_console(fd) ? ESPIPE : EBADF;
    return -1;
}

int open(const char *path, int flags, ...)
{
    errno = ENOENT;
    return -1;
}

pid_t getpid(void)
{
    return GLOSS_SELF_PID;
}

/* newlib's raise and abort end here: a signal to ourselves ends the
 * process with the shell's convention, 128 + signal. */
int kill(pid_t pid, int sig)
{
    if (pid == GLOSS_SELF_PID) {
        anos_exit(128 + sig);
    }
    errno = ESRCH;
    return -1;
}

/* There is no wall clock yet: all clocks count from boot. */
int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    int64_t ns = anos_clock_ns();
    if (ns < 0) {
        errno = anos_errno(ns);
        return -1;
    }
    if (tv != NULL) {
        tv->tv_sec = (time_t)(ns / 1000000000);
        tv->tv_usec = (suseconds_t)(ns % 1000000000 / 1000);
    }
    return 0;
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
    int64_t ns = anos_clock_ns();
    if (ns < 0) {
        errno = anos_errno(ns);
        return -1;
    }
    ts->tv_sec = (time_t)(ns / 1000000000);
    ts->tv_nsec = (long)(ns % 1000000000);
    return 0;
}

/* In CLOCKS_PER_SEC units, which is what newlib's clock() divides by. All
 * time since boot counts as the process's user time. */
clock_t times(struct tms *buf)
{
    int64_t ns = anos_clock_ns();
    if (ns < 0) {
        errno = anos_errno(ns);
        return (clock_t)-1;
    }
    clock_t ticks = (clock_t)(ns / (1000000000 / CLOCKS_PER_SEC));
    if (buf != NULL) {
        *buf = (struct tms){.tms_utime = ticks};
    }
    return ticks;
}

/* Calls newlib may reference that Anos does not offer (yet). */

int stat(const char *restrict path, struct stat *restrict st)
{
    errno = ENOENT;
    return -1;
}

int link(const char *old, const char *new)
{
    errno = ENOSYS;
    return -1;
}

int unlink(const char *path)
{
    errno = ENOENT;
    return -1;
}

int mkdir(const char *path, mode_t mode)
{
    errno = ENOSYS;
    return -1;
}

int fcntl(int fd, int cmd, ...)
{
    errno = ENOSYS;
    return -1;
}

pid_t fork(void)
{
    errno = ENOSYS;
    return -1;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    errno = ENOSYS;
    return -1;
}

pid_t wait(int *status)
{
    errno = ECHILD;
    return -1;
}

GLOSS_ALIAS(write);
GLOSS_ALIAS(read);
GLOSS_ALIAS(sbrk);
GLOSS_ALIAS(close);
GLOSS_ALIAS(fstat);
GLOSS_ALIAS(isatty);
GLOSS_ALIAS(lseek);
GLOSS_ALIAS(open);
GLOSS_ALIAS(getpid);
GLOSS_ALIAS(kill);
GLOSS_ALIAS(gettimeofday);
GLOSS_ALIAS(times);
GLOSS_ALIAS(stat);
GLOSS_ALIAS(link);
GLOSS_ALIAS(unlink);
GLOSS_ALIAS(mkdir);
GLOSS_ALIAS(fcntl);
GLOSS_ALIAS(fork);
GLOSS_ALIAS(execve);
GLOSS_ALIAS(wait);
