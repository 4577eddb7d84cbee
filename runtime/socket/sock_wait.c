/* sock_wait.c - the queues of processes waiting for a socket (see sock.h). */
#include "runtime/socket/sock.h"

#include "runtime/term/atom.h"

#include <stdlib.h>
#include <string.h>

static SockWaiter **queue(Sock *s, bool reader) { return reader ? &s->readers : &s->writers; }

static bool same_ref(const Term *box, Term ref)
{
    return is_ref(ref) && header_arity(boxed_val(ref)[0]) == REF_WORDS &&
           !memcmp(box, boxed_val(ref), (1 + REF_WORDS) * sizeof(Term));
}

void sock_wait(Sock *s, bool reader, Term pid, Term ref)
{
    SockWaiter **pp = queue(s, reader);
    while (*pp && (*pp)->pid != pid) pp = &(*pp)->next;
    SockWaiter *w = *pp;
    if (!w) {
        w = calloc(1, sizeof *w);
        if (!w) abort();
        w->pid = pid;
        *pp = w;
    }
    /* A process waits once per direction; a new call replaces its reference. */
    memcpy(w->ref, boxed_val(ref), sizeof w->ref);
    sock_poll_arm(s);
}

bool sock_unwait(Sock *s, bool reader, Term pid)
{
    for (SockWaiter **pp = queue(s, reader); *pp; pp = &(*pp)->next)
        if ((*pp)->pid == pid) {
            SockWaiter *w = *pp;
            *pp = w->next;
            free(w);
            return true;
        }
    return false;
}

Term sock_cancel_ref(Sock *s, bool reader, Term ref)
{
    for (SockWaiter **pp = queue(s, reader); *pp; pp = &(*pp)->next)
        if (same_ref((*pp)->ref, ref)) {
            SockWaiter *w = *pp;
            *pp = w->next;
            free(w);
            sock_poll_arm(s);
            return AM_ok;
        }
    Term *sent = s->sent[reader ? 0 : 1];
    if (same_ref(sent, ref)) {
        sent[0] = 0;
        return AM_select_sent;
    }
    return AM_not_found;
}

/* Sends the first waiter of a queue its select message and drops it from the queue. */
static void wake_first(Sock *s, bool reader)
{
    SockWaiter **pp = queue(s, reader), *w = *pp;
    if (!w) return;
    *pp = w->next;
    memcpy(s->sent[reader ? 0 : 1], w->ref, sizeof w->ref);
    sock_send_msg(s, w->pid, AM_select, make_boxed(w->ref));
    free(w);
}

void sock_ready(Sock *s, bool readable, bool writable)
{
    if (readable) wake_first(s, true);
    if (writable) wake_first(s, false);
    sock_poll_arm(s);
}

void sock_abort_all(Sock *s, Term reason)
{
    for (int q = 0; q < 2; q++) {
        SockWaiter **pp = queue(s, q == 0);
        while (*pp) {
            SockWaiter *w = *pp;
            *pp = w->next;
            Term info[3] = {make_tuple_header(2), make_boxed(w->ref), reason};
            sock_send_msg(s, w->pid, AM_abort, make_boxed(info));
            free(w);
        }
    }
}
