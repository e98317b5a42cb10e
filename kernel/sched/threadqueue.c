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
