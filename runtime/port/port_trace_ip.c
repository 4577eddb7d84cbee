/* port_trace_ip.c - the trace_ip_drv port driver (see port_trace_ip.h). */
#define _GNU_SOURCE
#include "runtime/port/port_trace_ip.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { FILL_ALWAYS = 2 };
enum { OP_BINARY = 0, OP_DROP = 1 };
enum { SLOT_LISTEN = 1, SLOT_CLIENT = 2 };

typedef struct Frame {
    struct Frame *next;
    size_t len, written; /* bytes[0..len): the 5-byte header, then the message */
    uint8_t bytes[];
} Frame;

typedef struct TraceIp {
    int listen_fd, client_fd;
    bool listen_polled, client_polled;
    unsigned listen_port;
    int flags;
    Frame *head, *tail;
    size_t queued, limit; /* limit: QueSize messages and one drop frame */
} TraceIp;

static void put_be32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24), b[1] = (uint8_t)(v >> 16), b[2] = (uint8_t)(v >> 8), b[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static Frame *frame_new(uint8_t op, uint32_t number, const uint8_t *data, size_t n)
{
    Frame *f = malloc(sizeof *f + 5 + n);
    if (!f) abort();
    f->next = NULL;
    f->len = 5 + n;
    f->written = 0;
    f->bytes[0] = op;
    put_be32(f->bytes + 1, number);
    if (n) memcpy(f->bytes + 5, data, n);
    return f;
}

static void append(TraceIp *t, Frame *f)
{
    if (t->tail) t->tail->next = f;
    else t->head = f;
    t->tail = f;
    t->queued++;
}

/* Queues a message (`written` bytes of its frame already sent): when the queue holds
   QueSize messages, a drop frame takes the last place and counts what comes after. */
static void enqueue(TraceIp *t, const uint8_t *data, size_t n, size_t written)
{
    if (t->queued >= t->limit && t->tail && t->tail->bytes[0] == OP_DROP) {
        put_be32(t->tail->bytes + 1, get_be32(t->tail->bytes + 1) + 1);
    } else if (t->queued + 1 >= t->limit) {
        append(t, frame_new(OP_DROP, 1, NULL, 0));
    } else {
        Frame *f = frame_new(OP_BINARY, (uint32_t)n, data, n);
        f->written = written;
        append(t, f);
    }
}

static void clear_queue(TraceIp *t)
{
    while (t->head) {
        Frame *next = t->head->next;
        free(t->head);
        t->head = next;
    }
    t->tail = NULL;
    t->queued = 0;
}

static void poll_client(Port *p, TraceIp *t)
{
    port_poll_driver_fd(p, t->client_fd, SLOT_CLIENT, EPOLLIN | (t->head ? EPOLLOUT : 0), &t->client_polled);
}

static void close_client(Port *p, TraceIp *t)
{
    port_poll_driver_fd(p, t->client_fd, SLOT_CLIENT, 0, &t->client_polled);
    close(t->client_fd);
    t->client_fd = -1;
    if (!(t->flags & FILL_ALWAYS)) clear_queue(t);
}

/* Writes what the nonblocking socket takes: the count, or -1 when it failed. */
static ssize_t send_some(int fd, const uint8_t *b, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = send(fd, b + done, n - done, MSG_NOSIGNAL);
        if (w > 0) {
            done += (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            return -1;
        }
    }
    return (ssize_t)done;
}

/* Sends queued frames until the socket is full; false when the client failed (closed). */
static bool drain(Port *p, TraceIp *t)
{
    while (t->head) {
        Frame *f = t->head;
        ssize_t w = send_some(t->client_fd, f->bytes + f->written, f->len - f->written);
        if (w < 0) {
            close_client(p, t);
            return false;
        }
        f->written += (size_t)w;
        if (f->written < f->len) break;
        t->head = f->next;
        if (!t->head) t->tail = NULL;
        t->queued--;
        free(f);
    }
    poll_client(p, t);
    return true;
}

/* OTP's driver fails every start the same way: open_port raises einval. */
static bool start_failed(int fd)
{
    if (fd >= 0) close(fd);
    errno = EINVAL;
    return false;
}

static bool start(Port *p)
{
    int port_no, que_size, flags;
    char extra;
    if (sscanf(p->name, "trace_ip_drv %d %d %d %c", &port_no, &que_size, &flags, &extra) != 3) return start_failed(-1);
    if (flags < 0 || flags > 3 || port_no < 0 || port_no > 65535 || que_size < 0) return start_failed(-1);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return start_failed(-1);
    int one = 1;
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port_no), .sin_addr.s_addr = INADDR_ANY};
    socklen_t len = sizeof sin;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 ||
        getsockname(fd, (struct sockaddr *)&sin, &len) < 0 || listen(fd, 1) < 0)
        return start_failed(fd);
    TraceIp *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->listen_fd = fd;
    t->client_fd = -1;
    t->listen_port = ntohs(sin.sin_port);
    t->flags = flags;
    t->limit = (size_t)que_size + 1;
    p->drv_data = t;
    return true;
}

static void opened(Port *p)
{
    TraceIp *t = p->drv_data;
    port_poll_driver_fd(p, t->listen_fd, SLOT_LISTEN, EPOLLIN, &t->listen_polled);
}

static void command(Port *p, Term caller, const uint8_t *data, size_t n)
{
    (void)caller;
    TraceIp *t = p->drv_data;
    if (t->client_fd < 0) {
        if (t->flags & FILL_ALWAYS) enqueue(t, data, n, 0);
        return;
    }
    if (t->head && !drain(p, t)) return;
    if (t->head) {
        enqueue(t, data, n, 0);
        return;
    }
    uint8_t header[5] = {OP_BINARY};
    put_be32(header + 1, (uint32_t)n);
    ssize_t w = send_some(t->client_fd, header, 5);
    if (w == 5) {
        ssize_t d = send_some(t->client_fd, data, n);
        w = d < 0 ? -1 : 5 + d;
    }
    if (w < 0) {
        close_client(p, t);
        return;
    }
    if ((size_t)w < 5 + n) {
        enqueue(t, data, n, (size_t)w);
        poll_client(p, t);
    }
}

static bool control(Port *p, Term caller, uint64_t op, const uint8_t *data, size_t n, uint8_t **out, size_t *outlen)
{
    (void)caller, (void)data, (void)n;
    if (op != 'p') return false;
    TraceIp *t = p->drv_data;
    uint8_t *r = malloc(3);
    if (!r) abort();
    r[0] = 0;
    r[1] = (uint8_t)(t->listen_port >> 8);
    r[2] = (uint8_t)t->listen_port;
    *out = r;
    *outlen = 3;
    return true;
}

static void accept_client(Port *p, TraceIp *t)
{
    int fd = accept4(t->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (t->client_fd >= 0) { /* one client at a time */
        close(fd);
        return;
    }
    t->client_fd = fd;
    poll_client(p, t);
}

static void event(Port *p, unsigned slot, uint32_t events)
{
    TraceIp *t = p->drv_data;
    if (slot == SLOT_LISTEN) {
        accept_client(p, t);
        return;
    }
    if (t->client_fd < 0) return;
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) { /* the client says nothing: end of file or failure */
        uint8_t buf[128];
        ssize_t r = recv(t->client_fd, buf, sizeof buf, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            close_client(p, t);
            return;
        }
    }
    if (events & EPOLLOUT) drain(p, t);
}

static void release(Port *p)
{
    TraceIp *t = p->drv_data;
    if (t->client_fd >= 0) close_client(p, t);
    port_poll_driver_fd(p, t->listen_fd, SLOT_LISTEN, 0, &t->listen_polled);
    close(t->listen_fd);
    clear_queue(t);
    free(t);
    p->drv_data = NULL;
}

static void no_deferred(void) {}

static const PortDriver trace_ip_driver = {"trace_ip_drv", start, command, control, event, release, no_deferred, opened, true};

const PortDriver *port_trace_ip_driver(const char *command)
{
    size_t n = strlen(trace_ip_driver.name);
    if (!strncmp(command, trace_ip_driver.name, n) && (command[n] == ' ' || !command[n])) return &trace_ip_driver;
    return NULL;
}
