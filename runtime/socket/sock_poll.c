/*
 * sock_poll.c - the sockets' poller: one epoll thread of its own, started by
 * the first call that has to wait (a boot that opens no socket starts none).
 * A socket's fd is registered one-shot for what its queues wait for, keyed
 * by the socket's key, so an event for a socket closed meanwhile finds
 * nothing. The event wakes the first waiter of each ready direction, which
 * re-arms the fd for whoever still waits (sock_ready).
 */
#include "runtime/socket/sock.h"

#include "runtime/term/atom.h"
#include "sched/msacc.h"

#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MAX_EVENTS 64

static int epfd = -1;
static pthread_once_t started = PTHREAD_ONCE_INIT;

static void *poller(void *arg)
{
    (void)arg;
    struct epoll_event ev[MAX_EVENTS];
    msacc_register(MSACC_T_POLL, 0, MSACC_CHECK_IO); /* OTP's poll thread, once a socket waits */
    for (;;) {
        msacc_set(MSACC_SLEEP);
        int n = epoll_wait(epfd, ev, MAX_EVENTS, -1);
        msacc_set(MSACC_CHECK_IO);
        for (int i = 0; i < n; i++) {
            Sock *s = sock_get_key(ev[i].data.u64);
            if (!s) continue;
            uint32_t e = ev[i].events;
            bool err = e & (EPOLLERR | EPOLLHUP);
            if (!s->closed) sock_ready(s, (e & (EPOLLIN | EPOLLRDHUP)) || err, (e & EPOLLOUT) || err);
            sock_put(s);
        }
    }
    return NULL;
}

static void start_once(void)
{
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) abort(); /* only fd exhaustion at the first wait */
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, poller, NULL) != 0) abort();
    pthread_attr_destroy(&attr);
}

void sock_poll_arm(Sock *s)
{
    if (s->fd < 0) return;
    uint32_t events = (s->readers ? EPOLLIN | EPOLLRDHUP : 0) | (s->writers ? EPOLLOUT : 0);
    if (!events) return; /* a one-shot registration that fired stays disarmed */
    pthread_once(&started, start_once);
    struct epoll_event ev = {.events = events | EPOLLONESHOT, .data.u64 = s->key};
    if (epoll_ctl(epfd, s->polled ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s->fd, &ev) == 0) s->polled = true;
}

void sock_poll_forget(Sock *s)
{
    if (!s->polled) return;
    epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
    s->polled = false;
}
