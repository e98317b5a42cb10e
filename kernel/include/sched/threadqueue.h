/*
 * A FIFO of threads linked through Thread.queue_next: the building block of
 * run-queue levels, wait queues and mutex waiter lists. No locking of its
 * own; the structure that embeds it says which lock protects it.
 */
#ifndef ANOS_KERNEL_SCHED_THREADQUEUE_H
#define ANOS_KERNEL_SCHED_THREADQUEUE_H

#include <sched/thread.h>
#include <stdbool.h>
#include <stddef.h>

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

/* Appends t (which must not be on any queue) at the tail. Inline: it is on
 * the context-switch path. */
static inline void threadq_push(ThreadQueue *q, Thread *t)
{
    t->queue_next = NULL;
    if (q->tail != NULL) {
        q->tail->queue_next = t;
    } else {
        q->head = t;
    }
    q->tail = t;
}

/* Removes and returns the head, NULL when empty. */
static inline Thread *threadq_pop(ThreadQueue *q)
{
    Thread *t = q->head;
    if (t == NULL) {
        return NULL;
    }
    q->head = t->queue_next;
    if (q->head == NULL) {
        q->tail = NULL;
    }
    t->queue_next = NULL;
    return t;
}

/* Removes t if it is on q; true when it was. O(n). */
bool threadq_remove(ThreadQueue *q, Thread *t);

#endif
