/*
 * port_poll.c - the poller (see port.h): one epoll set, polled by the
 * schedulers themselves.
 *
 * Whoever holds the poll turn (a mutex, taken with trylock so no scheduler
 * ever waits for it) may wait in epoll_wait and handle what it returns. An
 * idle scheduler takes the turn and waits there instead of on its condition
 * variable, so an answer from a child wakes the very thread that will run
 * its receiver: a port round trip costs the child's wake-up and the
 * scheduler's, as in OTP, and no hand-over between threads. Busy schedulers
 * look (timeout 0) every so many reductions, so input is not held back
 * while every scheduler runs. port_poll_interrupt (the eventfd) wakes the
 * one that waits when work is queued for it.
 *
 * One epoll set holds every port descriptor that can be polled, an eventfd
 * to wake the thread, and a pidfd per child. An fd's key is its port's
 * number shifted left by two, with bit 0 set when it is the port's input
 * and bit 1 when it is its output (one fd can be both); a child's key is a
 * pointer to its ChildWatch (16-byte aligned: low bits 00); the eventfd's
 * key is 0. Events find their port by number, so a port that closed
 * meanwhile is simply not found. Regular files cannot be polled (epoll says
 * EPERM): such inputs are always ready, and the poller reads one chunk of
 * each per round, so they neither starve nor flood the others.
 */
#define _GNU_SOURCE
#include "runtime/port/port.h"
#include "profiler/trace_ports.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEY_IN 1u
#define KEY_OUT 2u
#define MAX_EVENTS 64

/* Children still running, listed so that they are reachable (not only from the epoll set). */
typedef struct ChildWatch {
    struct ChildWatch *prev, *next;
    pid_t pid;
    int pidfd;
    Term port;
} ChildWatch;

static pthread_mutex_t children_lock = PTHREAD_MUTEX_INITIALIZER;
static ChildWatch *children;

static int epfd = -1, wakefd = -1;
static pthread_once_t started = PTHREAD_ONCE_INIT;
static int start_error;
static atomic_bool ready;                /* epfd and wakefd exist (set once, after them) */

/* Held by whoever polls (the poll turn), and the events it waits for. */
static pthread_mutex_t poll_holder = PTHREAD_MUTEX_INITIALIZER;
static struct epoll_event events[MAX_EVENTS];

/* Regular-file inputs read in turn: their ports' ids. */
static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static Term *turns;
static size_t nturns, capturns;

static uint64_t fd_key(const Port *p, int fd)
{
    uint64_t k = (uint64_t)port_number(p->id) << 2;
    if (fd == p->in_fd && p->in_polled) k |= KEY_IN;
    if (fd == p->out_fd) k |= KEY_OUT;
    return k;
}

static void ctl(int op, int fd, uint32_t events, uint64_t key)
{
    struct epoll_event ev = {.events = events, .data.u64 = key};
    epoll_ctl(epfd, op, fd, &ev);
}

bool port_poll_add(Port *p, int fd, bool out)
{
    if (out && fd == p->in_fd && p->in_polled) {
        p->out_polled = true;
        ctl(EPOLL_CTL_MOD, fd, EPOLLIN, fd_key(p, fd));
        return true;
    }
    if (!out) p->in_polled = true;
    struct epoll_event ev = {.events = out ? 0 : EPOLLIN, .data.u64 = fd_key(p, fd)};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0) {
        if (out) p->out_polled = true;
        return true;
    }
    if (!out) p->in_polled = false;
    return false;
}

void port_poll_arm_out(Port *p, bool on)
{
    if (!p->out_polled || p->out_armed == on) return;
    p->out_armed = on;
    uint32_t events = (on ? EPOLLOUT : 0) | (p->in_fd == p->out_fd && p->in_polled ? EPOLLIN : 0);
    ctl(EPOLL_CTL_MOD, p->out_fd, events, fd_key(p, p->out_fd));
}

void port_poll_remove(int fd) { epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL); }

/* A driver port's fds carry its number and their slot (1 or 2) in the key, as the input
   and output bits of other ports do: fd_event hands them to the driver. */
void port_poll_driver_fd(Port *p, int fd, unsigned slot, uint32_t events, bool *polled)
{
    if (!events) {
        if (*polled) epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
        *polled = false;
        return;
    }
    ctl(*polled ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, events, (uint64_t)port_number(p->id) << 2 | slot);
    *polled = true;
}

static void wake(void)
{
    uint64_t one = 1;
    (void)!write(wakefd, &one, sizeof one);
}

void port_poll_interrupt(void)
{
    if (atomic_load_explicit(&ready, memory_order_acquire)) wake();
}

void port_poll_read_in_turn(Port *p)
{
    pthread_mutex_lock(&turn_lock);
    if (nturns == capturns) {
        capturns = capturns ? capturns * 2 : 8;
        turns = realloc(turns, capturns * sizeof *turns);
        if (!turns) abort();
    }
    turns[nturns++] = p->id;
    pthread_mutex_unlock(&turn_lock);
    wake();
}

void port_poll_watch_child(Port *p, pid_t pid)
{
    ChildWatch *w = aligned_alloc(16, (sizeof(ChildWatch) + 15) / 16 * 16);
    if (!w) abort();
    w->pid = pid;
    w->port = p->id;
    w->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (w->pidfd < 0) abort(); /* our own fresh child: only fd exhaustion can fail here */
    pthread_mutex_lock(&children_lock);
    w->prev = NULL;
    w->next = children;
    if (children) children->prev = w;
    children = w;
    pthread_mutex_unlock(&children_lock);
    ctl(EPOLL_CTL_ADD, w->pidfd, EPOLLIN, (uint64_t)(uintptr_t)w);
}

static Port *port_by_number(uint64_t n) { return port_lookup_io(make_port(n)); }

static void child_done(ChildWatch *w)
{
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR) {
    }
    epoll_ctl(epfd, EPOLL_CTL_DEL, w->pidfd, NULL);
    close(w->pidfd);
    Port *p = port_lookup(w->port);
    if (p) { /* I/O task 0 for running_ports: OTP's child exit comes as input from its forker */
        trace_port_task(w->port, make_small(0), true);
        port_child_exited(p, status);
        port_unlock(p);
        trace_port_task(w->port, make_small(0), false);
    }
    pthread_mutex_lock(&children_lock);
    if (w->prev) w->prev->next = w->next;
    else children = w->next;
    if (w->next) w->next->prev = w->prev;
    pthread_mutex_unlock(&children_lock);
    free(w);
}

/* The reader of an output-only fd went away (the child closed its stdin or exited): what
   waits fails now; later writes fail at once. Its level-triggered error would otherwise
   wake the poller for ever, so the fd leaves the set. */
static void output_hung_up(Port *p)
{
    if (p->olen > p->ooff) port_output_ready(p);
    if (!p->out_polled) return;
    epoll_ctl(epfd, EPOLL_CTL_DEL, p->out_fd, NULL);
    p->out_polled = p->out_armed = false;
}

void port_poll_input_done(Port *p)
{
    p->in_polled = false;
    if (p->out_polled) ctl(EPOLL_CTL_MOD, p->out_fd, p->out_armed ? EPOLLOUT : 0, fd_key(p, p->out_fd));
}

static void fd_event(uint64_t key, uint32_t events)
{
    Port *p = port_by_number(key >> 2);
    if (!p) return;
    Term id = p->id;
    trace_port_task(id, make_small(0), true); /* running_ports names I/O 0 */
    if (p->drv) {
        const PortDriver *drv = p->drv;
        if (!is_value(p->doom)) drv->event(p, (unsigned)(key & 3), events);
        port_unlock(p);
        drv->after_unlock();
        trace_port_task(id, make_small(0), false);
        return;
    }
    port_defer_wakes();
    bool hangup = events & (EPOLLERR | EPOLLHUP);
    if ((key & KEY_OUT) && !(key & KEY_IN) && hangup && p->out_fd >= 0) output_hung_up(p);
    else if ((key & KEY_OUT) && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) && p->out_fd >= 0) port_output_ready(p);
    if ((key & KEY_IN) && (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && p->in_fd >= 0 && !p->closed &&
        !is_value(p->doom))
        port_input_ready(p);
    bool doomed = is_value(p->doom);
    if (!doomed) trace_port_task(id, make_small(0), false);
    port_unlock(p);
    port_wake_deferred();
    if (doomed) trace_port_task(id, make_small(0), false);
}

/* One chunk from each regular-file input; those that ended or closed leave the list. */
static void read_turns(void)
{
    pthread_mutex_lock(&turn_lock);
    size_t n = nturns;
    Term *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids) abort();
    memcpy(ids, turns, n * sizeof *ids);
    pthread_mutex_unlock(&turn_lock);
    for (size_t i = 0; i < n; i++) {
        Port *p = port_lookup(ids[i]);
        if (!p) continue;
        trace_port_task(ids[i], make_small(0), true);
        if (p->in_fd >= 0 && !p->in_polled) port_input_ready(p);
        bool keep = p->in_fd >= 0 && !p->in_polled && !is_value(p->doom);
        port_unlock(p);
        trace_port_task(ids[i], make_small(0), false);
        if (keep) ids[i] = NIL;
    }
    pthread_mutex_lock(&turn_lock);
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == NIL) continue;
        for (size_t j = 0; j < nturns; j++)
            if (turns[j] == ids[i]) {
                turns[j] = turns[--nturns];
                break;
            }
    }
    pthread_mutex_unlock(&turn_lock);
    free(ids);
}

bool port_poll_try_begin(void)
{
    if (!atomic_load_explicit(&ready, memory_order_acquire)) return false;
    return pthread_mutex_trylock(&poll_holder) == 0;
}

static bool reading_in_turn(void)
{
    pthread_mutex_lock(&turn_lock);
    bool any = nturns > 0;
    pthread_mutex_unlock(&turn_lock);
    return any;
}

int port_poll_wait(bool block)
{
    /* regular-file inputs are always ready: while there are some, nobody waits */
    int n = epoll_wait(epfd, events, MAX_EVENTS, block && !reading_in_turn() ? -1 : 0);
    return n < 0 ? 0 : n;
}

void port_poll_handle(int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t key = events[i].data.u64;
        if (key == 0) {
            uint64_t v;
            (void)!read(wakefd, &v, sizeof v);
        } else if ((key & 3) == 0) {
            child_done((ChildWatch *)(uintptr_t)key);
        } else {
            fd_event(key, events[i].events);
        }
    }
    if (reading_in_turn()) read_turns();
}

void port_poll_end(void) { pthread_mutex_unlock(&poll_holder); }

static void start_once(void)
{
    epfd = epoll_create1(EPOLL_CLOEXEC);
    wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epfd < 0 || wakefd < 0) {
        start_error = -1;
        return;
    }
    ctl(EPOLL_CTL_ADD, wakefd, EPOLLIN, 0);
    atomic_store_explicit(&ready, true, memory_order_release);
}

int port_poll_start(void)
{
    pthread_once(&started, start_once);
    return start_error;
}
