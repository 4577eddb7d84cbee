/*
 * timer.c - the timer thread (see timer.h). Timers sit in a binary min-heap
 * ordered by deadline; each keeps its heap index so that cancelling one is
 * O(log n). Ids map to timers through an open-addressing table.
 */
#include "sched/timer.h"

#include "sched/msacc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

typedef struct Timer {
    uint64_t id;
    uint64_t deadline; /* ns on CLOCK_MONOTONIC: never early, unlike a truncated ms clock */
    size_t index;      /* position in the heap */
    TimerFn fn;
    void *arg;
} Timer;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed; /* on CLOCK_MONOTONIC: made in timer_init */
static pthread_t thread;
static bool running, stopping;
static Timer **heap;
static size_t heap_len, heap_cap;
static Timer **by_id; /* open addressing on id; NULL empty, &tombstone deleted */
static size_t id_cap, id_used;
static Timer tombstone;
static atomic_uint_fast64_t next_id = 1;

#define NS_PER_MS 1000000ull

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t timer_now_ms(void) { return now_ns() / NS_PER_MS; }

/* Whole milliseconds left until deadline, rounded up (0 if passed). */
static int64_t ms_left(uint64_t deadline)
{
    uint64_t now = now_ns();
    return deadline > now ? (int64_t)((deadline - now + NS_PER_MS - 1) / NS_PER_MS) : 0;
}

/* ---- id table ---- */

static size_t id_slot(uint64_t id) { return (size_t)(id * 0x9E3779B97F4A7C15ull) & (id_cap - 1); }

static void id_insert(Timer *t);

static void id_grow(void)
{
    Timer **old = by_id;
    size_t old_cap = id_cap;
    id_cap = id_cap ? id_cap * 2 : 1024;
    by_id = calloc(id_cap, sizeof *by_id);
    if (!by_id) abort();
    id_used = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] && old[i] != &tombstone) id_insert(old[i]);
    free(old);
}

static void id_insert(Timer *t)
{
    if ((id_used + 1) * 2 > id_cap) id_grow();
    size_t i = id_slot(t->id);
    while (by_id[i] && by_id[i] != &tombstone) i = (i + 1) & (id_cap - 1);
    if (!by_id[i]) id_used++;
    by_id[i] = t;
}

static Timer **id_find(uint64_t id)
{
    if (!id_cap) return NULL;
    for (size_t i = id_slot(id); by_id[i]; i = (i + 1) & (id_cap - 1))
        if (by_id[i] != &tombstone && by_id[i]->id == id) return &by_id[i];
    return NULL;
}

/* ---- heap ---- */

static void heap_set(size_t i, Timer *t)
{
    heap[i] = t;
    t->index = i;
}

static void sift_up(size_t i)
{
    Timer *t = heap[i];
    while (i > 0 && heap[(i - 1) / 2]->deadline > t->deadline) {
        heap_set(i, heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(i, t);
}

static void sift_down(size_t i)
{
    Timer *t = heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= heap_len) break;
        if (c + 1 < heap_len && heap[c + 1]->deadline < heap[c]->deadline) c++;
        if (heap[c]->deadline >= t->deadline) break;
        heap_set(i, heap[c]);
        i = c;
    }
    heap_set(i, t);
}

static void heap_remove(Timer *t)
{
    size_t i = t->index;
    Timer *last = heap[--heap_len];
    if (last == t) return;
    heap_set(i, last);
    sift_up(i);
    sift_down(last->index);
}

/* Removes t from both structures (lock held). */
static void unlink_timer(Timer *t)
{
    heap_remove(t);
    *id_find(t->id) = &tombstone;
}

/* ---- the thread ---- */

/* The timer thread is OTP's aux thread for microstate accounting: firing timers is aux work. */
static void *timer_main(void *unused)
{
    msacc_register(MSACC_T_AUX, 1, MSACC_AUX);
    pthread_mutex_lock(&lock);
    while (!stopping) {
        if (heap_len == 0) {
            msacc_set(MSACC_SLEEP);
            pthread_cond_wait(&changed, &lock);
            msacc_set(MSACC_AUX);
            continue;
        }
        Timer *t = heap[0];
        uint64_t now = now_ns();
        if (t->deadline > now) {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            uint64_t wait = t->deadline - now;
            until.tv_sec += (time_t)(wait / 1000000000ull);
            until.tv_nsec += (long)(wait % 1000000000ull);
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            msacc_set(MSACC_SLEEP);
            pthread_cond_timedwait(&changed, &lock, &until); /* the condition waits on CLOCK_MONOTONIC */
            msacc_set(MSACC_AUX);
            continue;
        }
        unlink_timer(t);
        pthread_mutex_unlock(&lock);
        t->fn(t->arg);
        free(t);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    msacc_unregister();
    return unused;
}

int timer_init(void)
{
    pthread_mutex_lock(&lock);
    int rc = 0;
    if (!running) {
        pthread_condattr_t attr;
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&changed, &attr);
        pthread_condattr_destroy(&attr);
        rc = pthread_create(&thread, NULL, timer_main, NULL);
        running = rc == 0;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

void timer_shutdown(void)
{
    pthread_mutex_lock(&lock);
    bool was_running = running;
    stopping = true;
    running = false;
    pthread_cond_signal(&changed);
    pthread_mutex_unlock(&lock);
    if (was_running) pthread_join(thread, NULL);
}

uint64_t timer_new_id(void) { return atomic_fetch_add(&next_id, 1); }

uint64_t timer_start(uint64_t ms, TimerFn fn, void *arg)
{
    uint64_t id = timer_new_id();
    timer_start_id(id, ms, fn, arg);
    return id;
}

void timer_start_id(uint64_t id, uint64_t ms, TimerFn fn, void *arg)
{
    Timer *t = malloc(sizeof *t);
    if (!t) abort();
    t->fn = fn;
    t->arg = arg;
    t->id = id;
    pthread_mutex_lock(&lock);
    t->deadline = now_ns() + ms * NS_PER_MS;
    if (heap_len == heap_cap) {
        heap_cap = heap_cap ? heap_cap * 2 : 256;
        Timer **grown = realloc(heap, heap_cap * sizeof *heap);
        if (!grown) abort();
        heap = grown;
    }
    heap[heap_len] = t;
    t->index = heap_len++;
    sift_up(t->index);
    id_insert(t);
    if (heap[0] == t) pthread_cond_signal(&changed);
    pthread_mutex_unlock(&lock);
}

int64_t timer_cancel_ex(uint64_t id, void **arg_out)
{
    pthread_mutex_lock(&lock);
    Timer **slot = id_find(id);
    Timer *t = slot ? *slot : NULL;
    int64_t left = -1;
    if (t) {
        left = ms_left(t->deadline);
        unlink_timer(t);
    }
    pthread_mutex_unlock(&lock);
    if (t && arg_out) *arg_out = t->arg;
    free(t);
    return left;
}

int64_t timer_remaining(uint64_t id, void (*peek)(void *arg, void *ctx), void *ctx)
{
    pthread_mutex_lock(&lock);
    Timer **slot = id_find(id);
    int64_t left = -1;
    if (slot) {
        left = ms_left((*slot)->deadline);
        if (peek) peek((*slot)->arg, ctx);
    }
    pthread_mutex_unlock(&lock);
    return left;
}
