/* port_trace_file.c - the trace_file_drv port driver (see port_trace_file.h). */
#define _GNU_SOURCE
#include "runtime/port/port_trace_file.h"

#include "runtime/port/port_errno.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TF_BUFFER (64 * 1024)

typedef struct TraceFile {
    struct TraceFile *next;
    Term port;
    int fd;
    Term doom;        /* a write failed: the posix error closing the port, else THE_NON_VALUE */
    uint8_t *buf;     /* frames not yet written */
    size_t len;
    /* wrapping ("w"): files head ++ N ++ tail, N cycling through 0..count */
    bool wrap;
    char *head, *tail;
    unsigned long size, count, keep; /* keep: wraps left before the oldest file goes */
    unsigned long cur, oldest;       /* counters of the file written and the oldest kept */
    unsigned long written;           /* bytes in the current file */
    /* wrapping by time (Time > 0, Size then unused): a thread of the file's own switches
       files every `period` ms, as OTP's driver timer does, until `stopping` */
    unsigned long period;
    bool timed, stopping;
    pthread_t timer;
    pthread_cond_t wake;
} TraceFile;

/* Every open trace file, under one mutex that nothing else is taken under. */
static pthread_mutex_t tf_lock = PTHREAD_MUTEX_INITIALIZER;
static TraceFile *tf_list;

static TraceFile *find(Term port)
{
    for (TraceFile *t = tf_list; t; t = t->next)
        if (t->port == port) return t;
    return NULL;
}

/* ---- files ---- */

static bool write_all(int fd, const uint8_t *b, size_t n)
{
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = ENOSPC;
            return false;
        }
        b += w;
        n -= (size_t)w;
    }
    return true;
}

static void fail(TraceFile *t)
{
    if (!is_value(t->doom)) t->doom = port_errno_atom(errno);
}

static bool flush(TraceFile *t)
{
    if (t->len && t->fd >= 0 && !write_all(t->fd, t->buf, t->len)) {
        fail(t);
        t->len = 0;
        return false;
    }
    t->len = 0;
    return true;
}

static char *wrap_name(const TraceFile *t, unsigned long n)
{
    char *name;
    if (asprintf(&name, "%s%lu%s", t->head, n, t->tail) < 0) abort();
    return name;
}

static int open_file(const char *name) { return open(name, O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0777); }

/* The current file is full: on to the next name, removing the oldest once `keep` files exist. */
static bool wrap_file(TraceFile *t)
{
    bool ok = flush(t);
    close(t->fd);
    t->fd = -1;
    if (!ok) return false;
    t->written = 0;
    if (t->keep > 0) t->keep--;
    if (t->keep == 0) {
        char *old = wrap_name(t, t->oldest);
        unlink(old);
        free(old);
        t->oldest = t->oldest >= t->count ? 0 : t->oldest + 1;
    }
    t->cur = t->cur >= t->count ? 0 : t->cur + 1;
    char *name = wrap_name(t, t->cur);
    t->fd = open_file(name);
    free(name);
    if (t->fd < 0) fail(t);
    return t->fd >= 0;
}

static void put(TraceFile *t, const uint8_t *b, size_t n)
{
    if (t->len + n > TF_BUFFER && !flush(t)) return;
    if (n >= TF_BUFFER) {
        if (!write_all(t->fd, b, n)) fail(t);
        return;
    }
    memcpy(t->buf + t->len, b, n);
    t->len += n;
}

static void frame(TraceFile *t, const uint8_t *bytes, size_t n)
{
    if (t->fd < 0 || is_value(t->doom)) return;
    uint8_t head[5] = {0, (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
    put(t, head, sizeof head);
    put(t, bytes, n);
    if (t->wrap && (t->written += sizeof head + n) >= t->size && !t->period) wrap_file(t);
}

/* ---- the command line: "trace_file_drv [w Size Count Time Tail ]n Name" ---- */

static bool parse(TraceFile *t, const char *cmd, const char **name)
{
    static const char drv[] = "trace_file_drv ";
    if (strncmp(cmd, drv, sizeof drv - 1)) return false;
    const char *s = cmd + sizeof drv - 1;
    unsigned long time = 0, at = 0;
    int used = 0;
    if (*s == 'w') {
        if (sscanf(s, "w %lu %lu %lu %lu %n", &t->size, &t->count, &time, &at, &used) != 4 || !used) return false;
        t->wrap = true;
        s += used;
    }
    while (*s == ' ') s++;
    if (s[0] != 'n' || s[1] != ' ') return false;
    *name = s + 2;
    if (!t->wrap) return true;
    size_t len = strlen(*name);
    if (at >= len) return false;
    t->period = time;
    t->head = strndup(*name, at);
    t->tail = strdup(*name + at);
    if (!t->head || !t->tail) abort();
    t->keep = t->count;
    return true;
}

static void tf_free(TraceFile *t)
{
    free(t->head);
    free(t->tail);
    free(t->buf);
    free(t);
}

static void release(Port *p);

/* ---- wrapping by time ---- */

static void deadline_after(struct timespec *ts, unsigned long ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += (time_t)(ms / 1000);
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Switches files every period ms, whether anything was written or not (OTP's timeout). A
   failed switch dooms the port at its next command, as the driver's failure would. */
static void *timer_main(void *arg)
{
    TraceFile *t = arg;
    pthread_mutex_lock(&tf_lock);
    while (!t->stopping) {
        struct timespec at;
        deadline_after(&at, t->period);
        int rc = 0;
        while (!t->stopping && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&t->wake, &tf_lock, &at);
        if (!t->stopping && !is_value(t->doom)) wrap_file(t);
    }
    pthread_mutex_unlock(&tf_lock);
    return NULL;
}

static bool timer_start(TraceFile *t)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->wake, &ca);
    pthread_condattr_destroy(&ca);
    t->timed = pthread_create(&t->timer, NULL, timer_main, t) == 0;
    if (!t->timed) pthread_cond_destroy(&t->wake);
    return t->timed;
}

static void timer_stop(TraceFile *t)
{
    if (!t->timed) return;
    pthread_mutex_lock(&tf_lock);
    t->stopping = true;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&tf_lock);
    pthread_join(t->timer, NULL);
    pthread_cond_destroy(&t->wake);
}

static bool start(Port *p)
{
    TraceFile *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->doom = THE_NON_VALUE;
    const char *name;
    if (!parse(t, p->name, &name)) {
        tf_free(t);
        return false;
    }
    char *first = t->wrap ? wrap_name(t, 0) : strdup(name);
    if (!first) abort();
    t->fd = open_file(first);
    free(first);
    t->buf = malloc(TF_BUFFER);
    if (t->fd < 0 || !t->buf) {
        if (t->fd >= 0) close(t->fd);
        tf_free(t);
        return false;
    }
    t->port = p->id;
    p->drv_data = t;
    pthread_mutex_lock(&tf_lock);
    t->next = tf_list;
    tf_list = t;
    pthread_mutex_unlock(&tf_lock);
    if (t->period && !timer_start(t)) {
        release(p);
        return false;
    }
    return true;
}

/* A failed write closes the port with the posix error, as OTP's driver_failure_posix. */
static void take_doom(Port *p, TraceFile *t)
{
    if (is_value(t->doom) && !is_value(p->doom)) p->doom = t->doom;
}

static void command(Port *p, Term caller, const uint8_t *data, size_t n)
{
    (void)caller;
    TraceFile *t = p->drv_data;
    pthread_mutex_lock(&tf_lock);
    frame(t, data, n);
    take_doom(p, t);
    pthread_mutex_unlock(&tf_lock);
}

static bool control(Port *p, Term caller, uint64_t op, const uint8_t *data, size_t n, uint8_t **out, size_t *outlen)
{
    (void)caller, (void)data, (void)n;
    if (op != 'f') return false;
    TraceFile *t = p->drv_data;
    pthread_mutex_lock(&tf_lock);
    flush(t);
    take_doom(p, t);
    pthread_mutex_unlock(&tf_lock);
    *out = calloc(1, 1);
    if (!*out) abort();
    *outlen = 1;
    return true;
}

static void event(Port *p, unsigned slot, uint32_t events) { (void)p, (void)slot, (void)events; }

static void release(Port *p)
{
    TraceFile *t = p->drv_data;
    timer_stop(t);
    pthread_mutex_lock(&tf_lock);
    for (TraceFile **pp = &tf_list; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    pthread_mutex_unlock(&tf_lock);
    flush(t);
    if (t->fd >= 0) close(t->fd);
    tf_free(t);
    p->drv_data = NULL;
}

static void no_deferred(void) {}

static const PortDriver trace_file_driver = {"trace_file_drv", start, command, control, event, release, no_deferred, NULL, false};

const PortDriver *port_trace_driver(const char *command)
{
    size_t n = strlen(trace_file_driver.name);
    if (!strncmp(command, trace_file_driver.name, n) && (command[n] == ' ' || !command[n])) return &trace_file_driver;
    return NULL;
}

bool port_trace_write(Term port, const uint8_t *bytes, size_t n)
{
    pthread_mutex_lock(&tf_lock);
    TraceFile *t = find(port);
    if (t) frame(t, bytes, n);
    pthread_mutex_unlock(&tf_lock);
    return t != NULL;
}

bool port_trace_open(Term port)
{
    pthread_mutex_lock(&tf_lock);
    bool open = find(port) != NULL;
    pthread_mutex_unlock(&tf_lock);
    return open;
}
