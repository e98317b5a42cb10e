/*
 * Console output: the arch device plus the kernel log ring (a fixed 64 KiB
 * static array addressed by a 64-bit byte sequence number that never wraps).
 */
#include <arch/cpu.h>
#include <arch/init.h>
#include <console.h>
#include <spinlock.h>

/*
 * klog_ring[seq % KLOG_RING_SIZE] holds byte number seq for the last
 * KLOG_RING_SIZE values of seq below klog_head. Both are written only with the
 * console lock held.
 */
static char klog_ring[KLOG_RING_SIZE];
static uint64_t klog_head;

/* Serialises writers across CPUs; taken with interrupts off so that an
 * interrupt handler that logs cannot deadlock against its own CPU. */
static Spinlock console_spin = SPINLOCK_INIT;
/* Interrupt state to restore, written only by the lock holder. */
static unsigned long console_saved_flags;
/* Set once by a panicking CPU after it has stopped the others: from then on
 * the lock is not taken, since a stopped CPU may hold it for ever. */
static volatile int console_bypass;

void console_lock(void)
{
    unsigned long flags = arch_irq_save();
    if (!console_bypass) {
        spin_lock(&console_spin);
    }
    console_saved_flags = flags;
}

void console_unlock(void)
{
    unsigned long flags = console_saved_flags;
    if (!console_bypass) {
        spin_unlock(&console_spin);
    }
    arch_irq_restore(flags);
}

void console_enter_panic(void)
{
    console_bypass = 1;
}

static void console_emit_locked(char c)
{
    arch_console_putc(c);
    klog_ring[klog_head % KLOG_RING_SIZE] = c;
    klog_head++;
}

void console_write_locked(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        console_emit_locked(s[i]);
    }
}

void console_putc(char c)
{
    console_lock();
    console_emit_locked(c);
    console_unlock();
}

void console_write(const char *s, size_t n)
{
    console_lock();
    console_write_locked(s, n);
    console_unlock();
}

uint64_t klog_ring_head(void)
{
    console_lock();
    uint64_t head = klog_head;
    console_unlock();
    return head;
}

size_t klog_ring_read(uint64_t *pos, char *buf, size_t n, uint64_t *lost)
{
    console_lock();
    uint64_t head = klog_head;
    uint64_t oldest = head > KLOG_RING_SIZE ? head - KLOG_RING_SIZE : 0;
    uint64_t skipped = 0;
    uint64_t at = *pos;

    if (at < oldest) {
        skipped = oldest - at;
        at = oldest;
    } else if (at > head) {
        at = head;
    }

    uint64_t avail = head - at;
    size_t count = avail < n ? (size_t)avail : n;
    for (size_t i = 0; i < count; i++) {
        buf[i] = klog_ring[(at + i) % KLOG_RING_SIZE];
    }
    console_unlock();

    *pos = at + count;
    if (lost != NULL) {
        *lost = skipped;
    }
    return count;
}
