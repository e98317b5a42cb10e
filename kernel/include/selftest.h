/*
 * In-kernel self-tests: exercise subsystems on the real machine (real memory
 * map, real page tables) and report in TAP on the console, which the boot-test
 * harness reads. Run when the command line contains "selftest".
 */
#ifndef ANOS_KERNEL_SELFTEST_H
#define ANOS_KERNEL_SELFTEST_H

/* Runs every registered self-test; returns the number that failed. */
int selftest_run_all(void);

#endif
