/*
 * port_io.c - a port's input and output (see port.h): cutting what was
 * read into stream, line or packet messages for the owner, the output
 * queue, end of input and the child's exit status, in OTP's order.
 */
#include "runtime/port/port.h"

#include "runtime/port/port_errno.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define READ_CHUNK 65536

/* ---- messages to the owner ---- */

static size_t data_words(const Port *p, size_t n)
{
    if (!(p->flags & PORT_BINARY)) return 2 * n;
    return n <= BINARY_HEAP_MAX ? heap_bin_words(n) : REFC_BIN_WORDS;
}

/* The bytes as a binary or a string at hp; a refc binary's Binary goes to *shared. */
static Term data_at(const Port *p, Term *hp, const uint8_t *s, size_t n, Binary **shared)
{
    if (!(p->flags & PORT_BINARY)) {
        Term list = NIL;
        for (size_t i = n; i > 0; i--) {
            Term *cell = hp + 2 * (i - 1);
            cell[0] = make_small(s[i - 1]);
            cell[1] = list;
            list = make_list(cell);
        }
        return list;
    }
    if (n <= BINARY_HEAP_MAX) {
        size_t w = (n + 7) / 8;
        hp[0] = make_header(1 + w, HDR_HEAP_BIN);
        hp[1] = (Term)n;
        if (w) hp[1 + w] = 0;
        memcpy(hp + 2, s, n);
        return make_boxed(hp);
    }
    Binary *b = binary_alloc(n);
    if (!b) abort();
    memcpy(b->data, s, n);
    hp[0] = make_header(3, HDR_REFC_BIN);
    hp[1] = (Term)n;
    hp[2] = (Term)b;
    hp[3] = 0;
    *shared = b;
    return make_boxed(hp);
}

/* {Port, {data, D}}, or {Port, {data, {Tag, D}}} in line mode (tag eol/noeol). */
static void deliver(Port *p, Term tag, const uint8_t *s, size_t n)
{
    Term small[256];
    size_t words = data_words(p, n) + 9;
    Term *w = words <= 256 ? small : malloc(words * sizeof(Term));
    if (!w) abort();
    Binary *shared = NULL;
    Term d = data_at(p, w + 9, s, n, &shared);
    if (is_value(tag)) {
        w[6] = make_tuple_header(2);
        w[7] = tag;
        w[8] = d;
        d = make_boxed(w + 6);
    }
    w[3] = make_tuple_header(2);
    w[4] = AM_data;
    w[5] = d;
    w[0] = make_tuple_header(2);
    w[1] = p->id;
    w[2] = make_boxed(w + 3);
    port_send(p, p->owner, make_boxed(w));
    if (shared) binary_release(shared); /* the message holds its own reference */
    if (w != small) free(w);
}

static void send_eof(Port *p)
{
    Term w[3] = {make_tuple_header(2), p->id, AM_eof};
    port_send(p, p->owner, make_boxed(w));
}

static void send_exit_status(Port *p, int status)
{
    Term inner[3] = {make_tuple_header(2), AM_exit_status, make_small(status)};
    Term w[3] = {make_tuple_header(2), p->id, make_boxed(inner)};
    port_send(p, p->owner, make_boxed(w));
}

/* ---- input framing ---- */

static void ibuf_append(Port *p, const uint8_t *s, size_t n)
{
    if (p->ilen + n > p->icap) {
        size_t cap = p->icap ? p->icap : 256;
        while (cap < p->ilen + n) cap *= 2;
        uint8_t *grown = realloc(p->ibuf, cap);
        if (!grown) abort();
        p->ibuf = grown;
        p->icap = cap;
    }
    memcpy(p->ibuf + p->ilen, s, n);
    p->ilen += n;
}

static void ibuf_consume(Port *p, size_t n)
{
    memmove(p->ibuf, p->ibuf + n, p->ilen - n);
    p->ilen -= n;
}

/* Whole lines as {eol, Line}; a line longer than L comes in pieces of L as {noeol, Piece}
   (a piece of exactly L bytes waits to see whether a newline follows). */
static void frame_lines(Port *p)
{
    size_t start = 0, L = p->line;
    while (start < p->ilen) {
        const uint8_t *s = p->ibuf + start;
        size_t avail = p->ilen - start;
        const uint8_t *nl = memchr(s, '\n', avail < L + 1 ? avail : L + 1);
        if (nl) {
            deliver(p, AM_eol, s, (size_t)(nl - s));
            start += (size_t)(nl - s) + 1;
        } else if (avail > L) {
            deliver(p, AM_noeol, s, L);
            start += L;
        } else {
            break;
        }
    }
    ibuf_consume(p, start);
}

static size_t packet_length(const uint8_t *h, unsigned n)
{
    size_t len = 0;
    for (unsigned i = 0; i < n; i++) len = len << 8 | h[i];
    return len;
}

static void frame_packets(Port *p)
{
    size_t start = 0, N = p->packet;
    while (p->ilen - start >= N) {
        size_t len = packet_length(p->ibuf + start, (unsigned)N);
        if (p->ilen - start - N < len) break;
        deliver(p, THE_NON_VALUE, p->ibuf + start + N, len);
        start += N + len;
    }
    ibuf_consume(p, start);
}

static void frame(Port *p, const uint8_t *s, size_t n)
{
    if (!p->line && !p->packet) {
        deliver(p, THE_NON_VALUE, s, n);
        return;
    }
    ibuf_append(p, s, n);
    if (p->line) frame_lines(p);
    else frame_packets(p);
}

/* ---- end of input and exit status ---- */

static int exit_code(int status)
{
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 0;
}

/* {Port, eof} with the eof option, else the port closes normally. */
static void eof_action(Port *p)
{
    if (p->flags & PORT_EOF) send_eof(p);
    else p->doom = AM_normal;
}

static void close_input(Port *p)
{
    if (p->in_fd != p->out_fd) {
        if (p->in_polled) port_poll_remove(p->in_fd);
        if (p->own_in) close(p->in_fd);
    } else if (p->in_polled) {
        port_poll_input_done(p);
    }
    p->in_fd = -1;
    p->in_polled = false;
}

/* The end of the input: a last line without its newline comes now, after
   the exit status when there is one, as in OTP. */
static void end_input(Port *p)
{
    if (p->line && p->ilen) deliver(p, AM_noeol, p->ibuf, p->ilen);
    p->ilen = 0;
    eof_action(p);
}

static void input_ended(Port *p)
{
    close_input(p);
    if ((p->flags & PORT_EXIT_STATUS) && p->os_pid) {
        p->eof_seen = true;
        if (p->child_running) return; /* the status comes first, as in OTP */
        send_exit_status(p, p->exit_code);
    }
    end_input(p);
}

void port_input_ready(Port *p)
{
    uint8_t buf[READ_CHUNK];
    ssize_t r = read(p->in_fd, buf, sizeof buf);
    if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (r <= 0) {
        input_ended(p);
        return;
    }
    p->input_bytes += (uint64_t)r;
    frame(p, buf, (size_t)r);
}

void port_child_exited(Port *p, int status)
{
    p->child_running = false;
    p->exit_code = exit_code(status);
    if (!(p->flags & PORT_EXIT_STATUS)) return;
    if (p->eof_seen) {
        send_exit_status(p, p->exit_code);
        end_input(p);
    } else if (p->in_fd < 0) {
        send_exit_status(p, p->exit_code); /* an output-only port: no end of input will come */
    }
}

/* ---- output ---- */

static void obuf_append(Port *p, const uint8_t *s, size_t n)
{
    if (p->olen + n > p->ocap) {
        if (p->ooff) { /* reclaim what was written */
            memmove(p->obuf, p->obuf + p->ooff, p->olen - p->ooff);
            p->olen -= p->ooff;
            p->ooff = 0;
        }
        size_t cap = p->ocap ? p->ocap : 1024;
        while (cap < p->olen + n) cap *= 2;
        if (cap != p->ocap) {
            uint8_t *grown = realloc(p->obuf, cap);
            if (!grown) abort();
            p->obuf = grown;
            p->ocap = cap;
        }
    }
    memcpy(p->obuf + p->olen, s, n);
    p->olen += n;
}

/* A write failed: the port dies with the error's reason, as OTP's drivers do (a port
   flushing after its owner closed it ends as that close asked: normal). */
static void output_failed(Port *p, int err)
{
    p->ooff = p->olen = 0;
    port_busy_update(p);
    port_poll_arm_out(p, false);
    p->doom = atomic_load_explicit(&p->flushing, memory_order_relaxed) ? AM_normal : port_errno_atom(err);
}

/* Writes as much of iov as the descriptor takes now; the rest is queued. */
static void write_now(Port *p, struct iovec *iov, int n)
{
    ssize_t w;
    while ((w = writev(p->out_fd, iov, n)) < 0 && errno == EINTR) {
    }
    if (w < 0 && errno != EAGAIN) {
        output_failed(p, errno);
        return;
    }
    size_t done = w < 0 ? 0 : (size_t)w;
    for (int i = 0; i < n; i++) {
        size_t skip = done < iov[i].iov_len ? done : iov[i].iov_len;
        done -= skip;
        if (skip < iov[i].iov_len) obuf_append(p, (const uint8_t *)iov[i].iov_base + skip, iov[i].iov_len - skip);
    }
    if (p->olen > p->ooff) {
        port_poll_arm_out(p, true);
        port_busy_update(p);
    }
}

void port_output(Port *p, const uint8_t *bytes, size_t n)
{
    uint8_t header[4];
    for (unsigned i = 0; i < p->packet; i++) header[i] = (uint8_t)(n >> (8 * (p->packet - 1 - i)));
    p->output_bytes += n;
    if (p->olen > p->ooff) { /* keep the order: behind what waits */
        obuf_append(p, header, p->packet);
        obuf_append(p, bytes, n);
        port_busy_update(p);
        return;
    }
    struct iovec iov[2] = {{header, p->packet}, {(void *)bytes, n}};
    write_now(p, iov, 2);
}

void port_output_ready(Port *p)
{
    while (p->olen > p->ooff) {
        ssize_t w = write(p->out_fd, p->obuf + p->ooff, p->olen - p->ooff);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) output_failed(p, errno);
            else port_busy_update(p);
            return;
        }
        p->ooff += (size_t)w;
    }
    p->ooff = p->olen = 0;
    port_poll_arm_out(p, false);
    port_busy_update(p);
    if (atomic_load_explicit(&p->flushing, memory_order_relaxed)) p->doom = AM_normal; /* flushed */
}

bool port_output_queued(const Port *p) { return !p->drv && p->out_fd >= 0 && p->olen > p->ooff; }

void port_io_stop_input(Port *p)
{
    if (p->in_fd >= 0) close_input(p);
}

void port_io_release(Port *p)
{
    if (p->in_fd >= 0) close_input(p);
    if (p->out_fd >= 0) {
        if (p->out_polled) port_poll_remove(p->out_fd);
        if (p->own_out) close(p->out_fd);
        p->out_fd = -1;
    }
    free(p->ibuf);
    free(p->obuf);
    p->ibuf = p->obuf = NULL;
}
