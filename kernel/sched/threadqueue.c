/*
 * FIFO thread queues (sched/threadqueue.h). Pure list code: host-tested.
 */
#include <sched/threadqueue.h>
#include <stddef.h>

void threadq_init(ThreadQueue *q)
{
    q->head = NULL;
    q->tail = NULL;
}

void threadq_push(ThreadQueue *q, Thread *t)
{
    t->queue_next = NULL;
    if (q->tail != NULL) {
        q->tail->queue_next = t;
    } else {
        q->head = t;
    }
    q->tail = t;
}

Thread *threadq_pop(ThreadQueue *q)
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

bool threadq_remove(ThreadQueue *q, Thread *t)
{
    Thread *prev = NULL;
    for (Thread *cur = q->head; cur != NULL; prev = cur, cur = cur->queue_next) {
        if (cur != t) {
            continue;
        }
        if (prev != NULL) {
            prev->queue_next = cur->queue_next;
        } else {
            q->head = cur->queue_next;
        }
        if (q->tail == cur) {
            q->tail = prev;
        }
        cur->queue_next = NULL;
        return true;
    }
    return false;
}
