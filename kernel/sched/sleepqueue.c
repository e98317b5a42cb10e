/*
 * Deadline-ordered sleep queue (sched/sleepqueue.h). Pure list code.
 */
#include <sched/sleepqueue.h>
#include <stddef.h>

void sleepq_init(SleepQueue *q)
{
    q->head = NULL;
    q->count = 0;
}

void sleepq_insert(SleepQueue *q, Thread *t)
{
    Thread **link = &q->head;
    while (*link != NULL && (*link)->wake_ns <= t->wake_ns) {
        link = &(*link)->sleep_next;
    }
    t->sleep_next = *link;
    *link = t;
    q->count++;
}

Thread *sleepq_pop_expired(SleepQueue *q, uint64_t now)
{
    Thread *t = q->head;
    if (t == NULL || t->wake_ns > now) {
        return NULL;
    }
    q->head = t->sleep_next;
    t->sleep_next = NULL;
    q->count--;
    return t;
}

uint64_t sleepq_next_deadline(const SleepQueue *q)
{
    return q->head != NULL ? q->head->wake_ns : 0;
}

bool sleepq_remove(SleepQueue *q, Thread *t)
{
    for (Thread **link = &q->head; *link != NULL; link = &(*link)->sleep_next) {
        if (*link == t) {
            *link = t->sleep_next;
            t->sleep_next = NULL;
            q->count--;
            return true;
        }
    }
    return false;
}
