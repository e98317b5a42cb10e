/*
 * The kernel console: every byte goes to the arch console device
 * (arch_console_putc) and into the kernel log ring, which readers such as
 * kterm's blocking read syscall drain by sequence number.
 */
#ifndef ANOS_KERNEL_CONSOLE_H
#define ANOS_KERNEL_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

/* Size of the kernel log ring in bytes; older bytes are overwritten. */
#define KLOG_RING_SIZE (64 * 1024)

/*
 * Serialises writers so that one kprintf line is never interleaved with
 * another: an interrupt-saving ticket spinlock. Not recursive: never call
 * console_write/console_putc while holding it; use the _locked variants.
 */
void console_lock(void);
void console_unlock(void);

/* For the panic path, after the other CPUs were told to stop: the console
 * is used without its lock from now on (a stopped CPU may hold it). */
void console_enter_panic(void);

/* Write to the device and the ring. Take the console lock themselves. */
void console_putc(char c);
void console_write(const char *s, size_t n);

/* The same with the console lock already held by the caller. */
void console_write_locked(const char *s, size_t n);

/*
 * Sequence number of the next byte to be logged: the total number of bytes
 * ever written to the ring. Byte number seq sits in the ring while
 * seq >= klog_ring_head() - KLOG_RING_SIZE.
 */
uint64_t klog_ring_head(void);

/*
 * Copies up to n logged bytes starting at sequence number *pos into buf and
 * advances *pos past them; returns how many were copied (0 when the reader has
 * caught up). If the bytes at *pos were already overwritten, reading restarts
 * at the oldest byte still held and *lost (when not NULL) gets how many bytes
 * were skipped; otherwise *lost is 0. A *pos beyond the head is treated as the
 * head. Start a fresh reader at 0 to get everything still in the ring.
 */
size_t klog_ring_read(uint64_t *pos, char *buf, size_t n, uint64_t *lost);

#endif
