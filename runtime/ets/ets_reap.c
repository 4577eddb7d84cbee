/*
 * ets_reap.c - freeing deleted tables and emptied objects on a thread of
 * its own, after thread progress (see ets.h): freeing a million objects
 * takes tens of milliseconds, which must not stall a scheduler.
 */
#include "runtime/ets/ets.h"

#include "sched/tp.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct Job {
    struct Job *next;
    void (*fn)(void *);
    void *arg;
} Job;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static Job *head, **tail = &head;
static pthread_once_t started = PTHREAD_ONCE_INIT;

static void *reaper_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!head) pthread_cond_wait(&wake, &lock);
        Job *j = head;
        head = j->next;
        if (!head) tail = &head;
        pthread_mutex_unlock(&lock);
        j->fn(j->arg);
        free(j);
        pthread_mutex_lock(&lock);
    }
    return NULL;
}

static void start(void)
{
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, reaper_main, NULL) != 0) {
        fputs("erbium: cannot start the ETS reaper thread\n", stderr);
        abort();
    }
    pthread_attr_destroy(&attr);
}

/* Runs on a scheduler once every scheduler has progressed: hand the job over. */
static void enqueue(void *arg)
{
    Job *j = arg;
    pthread_once(&started, start);
    pthread_mutex_lock(&lock);
    *tail = j;
    tail = &j->next;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}

void ets_reap(void (*fn)(void *), void *arg)
{
    Job *j = malloc(sizeof *j);
    if (!j) abort();
    j->next = NULL;
    j->fn = fn;
    j->arg = arg;
    tp_defer(enqueue, j);
}
