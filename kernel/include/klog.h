/*
 * The kernel's one logging call (STYLE.md habit 9):
 *   LOG(KLOG_INFO, "pmm", "%zu pages free", n);   prints "[pmm] 123 pages free\n"
 */
#ifndef ANOS_KERNEL_KLOG_H
#define ANOS_KERNEL_KLOG_H

#include <kprintf.h>

#define KLOG_DEBUG 0
#define KLOG_INFO  1
#define KLOG_WARN  2
#define KLOG_ERROR 3

/*
 * The one build-time switch: messages below this level compile to nothing
 * (their arguments are still type-checked). Override with -DKLOG_MIN_LEVEL=n.
 */
#ifndef KLOG_MIN_LEVEL
#define KLOG_MIN_LEVEL KLOG_INFO
#endif

/*
 * Writes "[subsys] " (plus "WARN: " or "ERROR: " for those levels), the
 * formatted message and a newline to the console as one unit. Use LOG.
 */
void klog_write(int level, const char *subsys, const char *fmt, ...) KPRINTF_FORMAT(3, 4);

/* subsys is a short lower-case string naming the caller's subsystem. */
#define LOG(level, subsys, ...)                                                                    \
    do {                                                                                           \
        if ((level) >= KLOG_MIN_LEVEL) {                                                           \
            klog_write((level), (subsys), __VA_ARGS__);                                            \
        }                                                                                          \
    } while (0)

#endif
