/* sock_table.c - the table of sockets, their owners and the registry (see sock.h). */
#include "runtime/socket/sock.h"

#include "runtime/bif/bif.h"

#include "runtime/proc/heap.h"
#include "runtime/proc/signal.h"
#include "runtime/term/atom.h"
#include "runtime/term/map.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>

#define NBUCKETS 1024u

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static Sock *by_key[NBUCKETS];
static atomic_size_t live; /* sockets in the table: exits skip the lock when 0 */
static atomic_uint_fast64_t next_id;
static _Atomic Term registry = 0; /* socket_registry's pid once prim_socket:on_load ran */
static atomic_bool registry_default = true;

static unsigned bucket(uint64_t v) { return (unsigned)((v * 0x9E3779B97F4A7C15u) >> 54) % NBUCKETS; }

void sock_load(Term extra)
{
    if (!is_map(extra)) return;
    Term pid = map_get(extra, atom_from_cstr("registry"));
    Term use = map_get(extra, atom_from_cstr("use_registry"));
    if (is_value(pid) && is_pid(pid)) atomic_store(&registry, pid);
    if (is_value(use)) atomic_store(&registry_default, use == AM_true);
}

void sock_set_registry_default(bool use) { atomic_store(&registry_default, use); }

bool sock_registry_default(void) { return atomic_load(&registry_default); }

/* {'$socket', SockRef} built in buf (3 + 1 + REF_WORDS words). */
static Term socket_term(Term *buf, const Sock *s)
{
    Term *ref = buf + 3;
    ref[0] = make_header(REF_WORDS, HDR_REF);
    ref[1] = (Term)s->key;
    ref[2] = (Term)s->ref_word;
    buf[0] = make_tuple_header(2);
    buf[1] = AM_sock_dollar_socket;
    buf[2] = make_boxed(ref);
    return make_boxed(buf);
}

/* {'$socket', add | del, Socket} to the registry when the socket uses it. */
static void tell_registry(const Sock *s, Term what)
{
    Term reg = atomic_load(&registry);
    if (!reg || !s->use_registry) return;
    Term sbuf[3 + 1 + REF_WORDS], msg[4];
    msg[0] = make_tuple_header(3);
    msg[1] = AM_sock_dollar_socket;
    msg[2] = what;
    msg[3] = socket_term(sbuf, s);
    signal_post(SIG_MESSAGE, reg, reg, make_boxed(msg), false);
}

void sock_send_msg(Sock *s, Term pid, Term tag, Term info)
{
    Term sbuf[3 + 1 + REF_WORDS], msg[5];
    msg[0] = make_tuple_header(4);
    msg[1] = AM_sock_dollar_socket;
    msg[2] = socket_term(sbuf, s);
    msg[3] = tag;
    msg[4] = info;
    signal_post(SIG_MESSAGE, pid, pid, make_boxed(msg), false);
}

Term sock_new(Process *p, Sock *s)
{
    s->key = SOCK_TAG | (atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed) + 1);
    s->owner = p->pid;
    s->ref_word = pid_number(p->pid);
    s->use_registry = sock_registry_default();
    if (!s->rcvbuf) s->rcvbuf = SOCK_RCVBUF_DEFAULT;
    s->rcvctrlbuf = s->sndctrlbuf = 1024;
    atomic_init(&s->refs, 1);
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_lock(&table_lock);
    unsigned k = bucket(s->key);
    s->next = by_key[k], by_key[k] = s;
    atomic_fetch_add(&live, 1);
    pthread_mutex_unlock(&table_lock);
    tell_registry(s, AM_add);
    Term *hp = heap_alloc(p, 1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = (Term)s->key;
    hp[2] = (Term)s->ref_word;
    return make_boxed(hp);
}

static void destroy(Sock *s)
{
    if (s->fd >= 0) close(s->fd);
    free(s->meta);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static Sock *lookup(uint64_t key)
{
    pthread_mutex_lock(&table_lock);
    Sock *s = by_key[bucket(key)];
    while (s && s->key != key) s = s->next;
    if (s) atomic_fetch_add(&s->refs, 1);
    pthread_mutex_unlock(&table_lock);
    if (s) pthread_mutex_lock(&s->lock);
    return s;
}

Sock *sock_get(Term t, bool *closed)
{
    *closed = false;
    if (!is_ref(t) || header_arity(boxed_val(t)[0]) != REF_WORDS) return NULL;
    uint64_t key = boxed_val(t)[1];
    if (!(key & SOCK_TAG) || (key & ~SOCK_TAG) > atomic_load(&next_id)) return NULL;
    Sock *s = lookup(key);
    if (s && s->closed) {
        sock_put(s);
        s = NULL;
    }
    *closed = s == NULL;
    return s;
}

Sock *sock_get_for(Process *p, Term sockref, Term *ret)
{
    bool closed;
    Sock *s = sock_get(sockref, &closed);
    if (!s) *ret = closed ? sock_error_atom(p, AM_closed) : bif_error(p, AM_badarg);
    return s;
}

Sock *sock_get_key(uint64_t key) { return lookup(key); }

void sock_put(Sock *s)
{
    pthread_mutex_unlock(&s->lock);
    if (atomic_fetch_sub(&s->refs, 1) == 1) destroy(s);
}

void sock_close_locked(Sock *s)
{
    if (s->closed) return;
    s->closed = true;
    sock_abort_all(s, AM_closed);
    sock_poll_forget(s);
    tell_registry(s, AM_del);
    close(s->fd);
    s->fd = -1;
    pthread_mutex_lock(&table_lock);
    Sock **pp = &by_key[bucket(s->key)];
    while (*pp && *pp != s) pp = &(*pp)->next;
    if (*pp) {
        *pp = s->next;
        atomic_fetch_sub(&live, 1);
        atomic_fetch_sub(&s->refs, 1); /* the table's: the caller still holds its own */
    }
    pthread_mutex_unlock(&table_lock);
}

void sock_owner_exit(Process *p)
{
    if (atomic_load_explicit(&live, memory_order_relaxed) == 0) return;
    for (;;) {
        Sock *found = NULL;
        pthread_mutex_lock(&table_lock);
        for (unsigned b = 0; b < NBUCKETS && !found; b++)
            for (Sock *s = by_key[b]; s; s = s->next)
                if (s->owner == p->pid) {
                    found = s;
                    atomic_fetch_add(&found->refs, 1);
                    break;
                }
        pthread_mutex_unlock(&table_lock);
        if (!found) return;
        pthread_mutex_lock(&found->lock);
        if (found->owner == p->pid) sock_close_locked(found);
        sock_put(found);
    }
}

void sock_counts(size_t *total, size_t *inet, size_t *inet6, size_t *local, size_t *stream, size_t *dgram,
                 size_t *seqpacket, size_t *tcp, size_t *udp)
{
    *total = *inet = *inet6 = *local = *stream = *dgram = *seqpacket = *tcp = *udp = 0;
    pthread_mutex_lock(&table_lock);
    for (unsigned b = 0; b < NBUCKETS; b++)
        for (Sock *s = by_key[b]; s; s = s->next) {
            ++*total;
            *inet += s->domain == AF_INET;
            *inet6 += s->domain == AF_INET6;
            *local += s->domain == AF_UNIX;
            *stream += s->type == SOCK_STREAM;
            *dgram += s->type == SOCK_DGRAM;
            *seqpacket += s->type == SOCK_SEQPACKET;
            *tcp += s->protocol == IPPROTO_TCP;
            *udp += s->protocol == IPPROTO_UDP;
        }
    pthread_mutex_unlock(&table_lock);
}
