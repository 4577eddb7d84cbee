/*
 * inet_msg.c - the messages the inet drivers send (see inet_int.h), built in
 * a buffer of their own and posted like any port message (the post copies
 * them into the receiver's mailbox). Data over 64 bytes in binary mode is a
 * refc binary made once and shared with the message.
 */
#include "runtime/inet/inet_int.h"

#include "runtime/proc/signal.h"
#include "runtime/term/atom.h"

#include <stdlib.h>
#include <string.h>

/* A term under construction: words never move, so boxed pointers into them stay valid. */
typedef struct Build {
    Term *w;
    size_t used, cap;
    Binary *shared;
    Term small[64];
} Build;

static void build_init(Build *b, size_t words)
{
    b->used = 0;
    b->shared = NULL;
    b->cap = words;
    b->w = words <= 64 ? b->small : malloc(words * sizeof(Term));
    if (!b->w) abort();
}

static Term *take(Build *b, size_t n)
{
    if (b->used + n > b->cap) abort(); /* a size estimate below is wrong */
    Term *hp = b->w + b->used;
    b->used += n;
    return hp;
}

static void build_post(Build *b, Term to, Term from, Term msg)
{
    signal_post(SIG_MESSAGE, to, from, msg, false);
    if (b->shared) binary_release(b->shared); /* the message holds its own reference */
    if (b->w != b->small) free(b->w);
}

static Term tuple(Build *b, unsigned n, const Term *e)
{
    Term *hp = take(b, n + 1);
    hp[0] = make_tuple_header(n);
    memcpy(hp + 1, e, n * sizeof(Term));
    return make_boxed(hp);
}

static Term tuple2(Build *b, Term x, Term y) { return tuple(b, 2, (Term[]){x, y}); }
static Term tuple3(Build *b, Term x, Term y, Term z) { return tuple(b, 3, (Term[]){x, y, z}); }
static Term tuple4(Build *b, Term w, Term x, Term y, Term z) { return tuple(b, 4, (Term[]){w, x, y, z}); }

static Term byte_list(Build *b, const uint8_t *d, size_t n, Term tail)
{
    Term *hp = take(b, 2 * n);
    for (size_t i = n; i > 0; i--) {
        Term *cell = hp + 2 * (i - 1);
        cell[0] = make_small(d[i - 1]);
        cell[1] = tail;
        tail = make_list(cell);
    }
    return tail;
}

static size_t data_words(const InetOpts *o, size_t n)
{
    if (!o->binary || n < o->header) return 2 * n;
    return 2 * o->header + (n - o->header <= BINARY_HEAP_MAX ? heap_bin_words(n - o->header) : REFC_BIN_WORDS);
}

static Term binary_term(Build *b, const uint8_t *d, size_t n)
{
    if (n <= BINARY_HEAP_MAX) {
        size_t w = (n + 7) / 8;
        Term *hp = take(b, heap_bin_words(n));
        hp[0] = make_header(1 + w, HDR_HEAP_BIN);
        hp[1] = (Term)n;
        if (w) hp[1 + w] = 0;
        memcpy(hp + 2, d, n);
        return make_boxed(hp);
    }
    Binary *bin = binary_alloc(n);
    if (!bin) abort();
    memcpy(bin->data, d, n);
    Term *hp = take(b, REFC_BIN_WORDS);
    hp[0] = make_header(3, HDR_REFC_BIN);
    hp[1] = (Term)n;
    hp[2] = (Term)bin;
    hp[3] = 0;
    b->shared = bin;
    return make_boxed(hp);
}

/* The data as the owner asked: a list, a binary, or with {header, H} in binary mode its first
   H bytes as list elements in front of a binary of the rest (all a list when shorter than H). */
static Term data_term(Build *b, const InetOpts *o, const uint8_t *d, size_t n)
{
    if (!o->binary || n < o->header) return byte_list(b, d, n, NIL);
    return byte_list(b, d, o->header, binary_term(b, d + o->header, n - o->header));
}

/* ---- results and notes ---- */

void inet_send_async(Port *p, Term to, uint16_t ref, Term result)
{
    Build b;
    build_init(&b, 5);
    build_post(&b, to, p->id, tuple4(&b, AM_inet_async, p->id, make_small(ref), result));
}

void inet_send_async_error(Port *p, Term to, uint16_t ref, Term reason)
{
    Build b;
    build_init(&b, 8);
    Term err = tuple2(&b, AM_error, reason);
    build_post(&b, to, p->id, tuple4(&b, AM_inet_async, p->id, make_small(ref), err));
}

void inet_send_reply(Port *p, Term to, Term result)
{
    Build b;
    build_init(&b, 4);
    build_post(&b, to, p->id, tuple3(&b, AM_inet_reply, p->id, result));
}

void inet_send_reply_error(Port *p, Term to, Term reason)
{
    Build b;
    build_init(&b, 7);
    Term err = tuple2(&b, AM_error, reason);
    build_post(&b, to, p->id, tuple3(&b, AM_inet_reply, p->id, err));
}

void inet_send_tag(Port *p, Term to, Term tag)
{
    Build b;
    build_init(&b, 3);
    build_post(&b, to, p->id, tuple2(&b, tag, p->id));
}

void inet_send_tag_reason(Port *p, Term to, Term tag, Term reason)
{
    Build b;
    build_init(&b, 4);
    build_post(&b, to, p->id, tuple3(&b, tag, p->id, reason));
}

/* ---- data ---- */

void inet_send_tcp_data(Port *p, const InetWait *w, const uint8_t *d, size_t n)
{
    InetSock *s = inet_sock(p);
    Build b;
    build_init(&b, data_words(&s->o, n) + 12);
    Term data = data_term(&b, &s->o, d, n);
    Term msg = w ? tuple4(&b, AM_inet_async, p->id, make_small(w->ref), tuple2(&b, AM_ok, data))
                 : tuple3(&b, AM_tcp, p->id, data);
    build_post(&b, w ? w->caller : p->owner, p->id, msg);
}

static Term ip_tuple(Build *b, const struct sockaddr_storage *sa)
{
    Term e[8];
    if (sa->ss_family == AF_INET6) {
        const uint8_t *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        for (int i = 0; i < 8; i++) e[i] = make_small(a[2 * i] << 8 | a[2 * i + 1]);
        return tuple(b, 8, e);
    }
    const uint8_t *a = (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr;
    for (int i = 0; i < 4; i++) e[i] = make_small(a[i]);
    return tuple(b, 4, e);
}

void inet_send_udp_data(Port *p, const InetWait *w, const struct sockaddr_storage *sa, const uint8_t *d,
                        size_t n)
{
    InetSock *s = inet_sock(p);
    uint8_t enc[19];
    size_t elen = inet_addr_encode(sa, enc);
    Build b;
    build_init(&b, data_words(&s->o, n) + 2 * elen + 24);
    Term data = data_term(&b, &s->o, d, n);
    Term msg;
    if (w) {
        /* [F, P1, P0, IP... | Data]: in list mode Data's bytes simply continue the list */
        Term list = byte_list(&b, enc, elen, data);
        msg = tuple4(&b, AM_inet_async, p->id, make_small(w->ref), tuple2(&b, AM_ok, list));
    } else {
        Term port = make_small(enc[1] << 8 | enc[2]);
        msg = tuple(&b, 5, (Term[]){AM_udp, p->id, ip_tuple(&b, sa), port, data});
    }
    build_post(&b, w ? w->caller : p->owner, p->id, msg);
}

void inet_send_accepted(Term listener, Term to, uint16_t ref, Term sock)
{
    Build b;
    build_init(&b, 8);
    Term ok = tuple2(&b, AM_ok, sock);
    build_post(&b, to, listener, tuple4(&b, AM_inet_async, listener, make_small(ref), ok));
}
