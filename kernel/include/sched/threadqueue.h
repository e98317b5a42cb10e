/*
 * A FIFO of threads linked through Thread.queue_next: the building block of
 * run-queue levels, wait queues and mutex waiter lists. No locking of its
 * own; the structure that embeds it says which lock protects it.
 */
#ifndef ANOS_KERNEL_SCHED_THREADQUEUE_H
#define ANOS_KERNEL_SCHED_THREADQUEUE_H

#include <sched/thread.h>
#include <stdbool.h>

typedef struct ThreadQueue {
    Thread *head;
    Thread *tail;
} ThreadQueue;

#define THREADQUEUE_INIT {NULL, NULL}

static inline bool threadq_empty(const ThreadQueue *q)
{
    return q->head == NULL;
}

void threadq_init(ThreadQueue *q);

/* Appends t (which must not be on any queue) at the tail. */
void threadq_push(ThreadQueue *q, Thread *t);

/* Removes and returns the head, NULL when empty. */
Thread *threadq_pop(ThreadQueue *q);

/* Removes t if it is on q; true when it was. O(n). */
bool threadq_remove(ThreadQueue *q, Thread *t);

#endif
