/*
 * What proc_switch (proc/switch.h, inline for the IPC hand-over) needs out
 * of line. Kernel threads run on the kernel's root so that a process's
 * tables are never live once its last thread has left the CPU.
 */
#include <proc/switch.h>

const uint64_t kernel_thread_rights[SYSCALL_RIGHTS_WORDS];
