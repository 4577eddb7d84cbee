/* mailbox.c - lock-free inbound stack plus private FIFO (see mailbox.h). */
#include "runtime/proc/mailbox.h"

#include "runtime/term/binary.h"
#include "runtime/proc/heap.h"

#include <stdlib.h>

void mbox_reset_owner(Mailbox *mb)
{
    mb->head = NULL;
    mb->tail = &mb->head;
    mb->save = &mb->head;
    mb->len = 0;
    mb->on_heap = 0;
}

/* A process receiving its own messages in a loop needs one block at a time;
   a few spares save a malloc and a free per self-send. */
enum { MBOX_SPARE_MAX = 8 };

static Message *bare_block(Mailbox *mb)
{
    Message *m = mb->spare;
    if (m) {
        mb->spare = m->next;
        mb->n_spare--;
        return m;
    }
    m = malloc(sizeof *m);
    if (!m) abort();
    return m;
}

/* Every message block, a bare one or [HeapFrag][term][Message], has room for
   a Message at its start, so any block without a live fragment can be kept. */
static void keep_or_free_block(Mailbox *mb, void *block)
{
    if (mb->n_spare >= MBOX_SPARE_MAX) {
        free(block);
        return;
    }
    Message *m = block;
    m->next = mb->spare;
    mb->spare = m;
    mb->n_spare++;
}

static void free_spares(Mailbox *mb)
{
    for (Message *m = mb->spare, *next; m; m = next) {
        next = m->next;
        free(m);
    }
    mb->spare = NULL;
    mb->n_spare = 0;
}

/*
 * A message with a boxed term is one allocation laid out as
 * [HeapFrag][term words][Message]: the fragment starts the block, so when
 * the receiver hands it to its heap (mbox_message_to_heap) the GC frees the
 * whole block, Message included, with the fragment.
 */
Message *mbox_message_new(SigKind kind, Term to, Term from, Term term)
{
    size_t words = is_immed(term) ? 0 : term_size(term);
    Message *m;
    HeapFrag *f = NULL;
    if (words) {
        f = malloc(sizeof(HeapFrag) + words * sizeof(Term) + sizeof(Message));
        if (!f) abort();
        f->next = NULL;
        f->size = f->used = words;
        m = (Message *)(f->mem + words);
    } else {
        m = malloc(sizeof *m);
        if (!m) abort();
    }
    *m = (Message){.kind = (uint8_t)kind, .to = to, .from = from, .term = term, .frag = f, .token = NIL,
                   .block = f ? (void *)f : (void *)m};
    if (f) m->term = term_copy_to(term, f->mem);
    return m;
}

Message *mbox_message_new_token(SigKind kind, Term to, Term from, Term term, Term token)
{
    Term both[3] = {make_tuple_header(2), token, term};
    Message *m = mbox_message_new(kind, to, from, make_boxed(both));
    const Term *copied = tuple_elems(m->term);
    m->token = copied[0];
    m->term = copied[1];
    return m;
}

void mbox_message_free(Message *m)
{
    if (m->frag) binary_drop_copy(m->frag->mem, m->frag->used); /* the copy held references */
    free(m->block);
}

HeapFrag *mbox_message_to_heap(Mailbox *mb, Message *m)
{
    HeapFrag *f = m->frag;
    if (!f) keep_or_free_block(mb, m->block); /* else the fragment is the block: the GC frees it */
    return f;
}

size_t mbox_message_words(const Message *m) { return m->frag ? m->frag->used : 0; }

void mbox_message_onto_heap(Message *m, Term *hp)
{
    HeapFrag *f = m->frag;
    m->term = term_copy_to(m->term, hp);
    binary_drop_copy(f->mem, f->used);
    m->frag = NULL;
    m->on_heap = true;
}

bool mbox_push(Mailbox *mb, Message *m)
{
    Message *old = atomic_load_explicit(&mb->inbox, memory_order_relaxed);
    do {
        m->next = old;
    } while (!atomic_compare_exchange_weak_explicit(&mb->inbox, &old, m, memory_order_release,
                                                    memory_order_relaxed));
    return old == NULL;
}

/* Takes the pushed stack and returns it oldest first. */
static Message *take_inbound(Mailbox *mb)
{
    Message *m = atomic_exchange_explicit(&mb->inbox, NULL, memory_order_acquire);
    Message *reversed = NULL;
    while (m) {
        Message *next = m->next;
        m->next = reversed;
        reversed = m;
        m = next;
    }
    return reversed;
}

void mbox_append(Mailbox *mb, Message *m)
{
    m->next = NULL;
    *mb->tail = m;
    mb->tail = &m->next;
    mb->len++;
    mb->on_heap += m->on_heap;
}

void mbox_append_own(Mailbox *mb, Term self, Term term)
{
    Message *m = bare_block(mb);
    *m = (Message){.kind = SIG_MESSAGE, .sent = true, .on_heap = !is_immed(term), .to = self, .from = self,
                   .term = term, .token = NIL, .block = m};
    mbox_append(mb, m);
}

void mbox_each_on_heap(Mailbox *mb, void (*fn)(void *ctx, Term *slot), void *ctx)
{
    /* Stops at the last such message: they are usually few and near the front
       (see queue_message in signal.c), the rest of a long queue is not walked. */
    size_t left = mb->on_heap;
    for (Message *m = mb->head; left > 0; m = m->next)
        if (m->on_heap) {
            fn(ctx, &m->term);
            left--;
        }
}

void mbox_drain(Mailbox *mb, Term self, void (*on_arrival)(void *ctx, Message *m), void *ctx)
{
    for (Message *m = take_inbound(mb), *next; m; m = next) {
        next = m->next;
        m->next = NULL;
        if (m->to != self) mbox_message_free(m);
        else on_arrival(ctx, m);
    }
}

Message *mbox_take_current(Mailbox *mb)
{
    Message *m = *mb->save;
    *mb->save = m->next;
    if (mb->tail == &m->next) mb->tail = mb->save;
    mb->len--;
    mb->on_heap -= m->on_heap;
    m->next = NULL;
    mbox_rewind(mb);
    return m;
}

void mbox_destroy(Mailbox *mb, Term self, void (*on_arrival)(void *ctx, Message *m), void *ctx)
{
    mbox_drain(mb, self, on_arrival, ctx);
    for (Message *m = mb->head, *next; m; m = next) {
        next = m->next;
        mbox_message_free(m);
    }
    free_spares(mb);
    mbox_reset_owner(mb);
}
