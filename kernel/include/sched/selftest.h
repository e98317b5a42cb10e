/* In-kernel self-tests of threads, sleep, mutexes/spinlocks and the timer,
 * run from the "kmain" thread after sched_init; each prints its figures and
 * a short reason when it fails. */
#ifndef ANOS_KERNEL_SCHED_SELFTEST_H
#define ANOS_KERNEL_SCHED_SELFTEST_H

#include <stdbool.h>

bool thread_selftest(void);
bool sleep_selftest(void);
bool mutex_selftest(void);
bool timer_selftest(void);

#endif
