/*
 * mailbox.h - a process's message queue.
 *
 * Senders push onto `inbox`, a lock-free LIFO (one atomic exchange per
 * push: no lock, no contention beyond the cache line). Only the owner takes
 * from it: mbox_drain() grabs the whole stack with one exchange, reverses
 * it, and hands each message and signal to the owner's callback, which
 * appends messages to the private FIFO `head..tail`; so the order of
 * messages from any one sender is kept.
 *
 * A message is one allocation holding its term in a heap fragment (copied
 * by the sender). The owner may move a small term onto its heap when it
 * drains the message (mbox_message_onto_heap), so that receiving leaves no
 * fragment behind; otherwise, when the receiver removes the message, the
 * fragment joins the receiver's heap fragments and the next GC folds it
 * in. A message a process sends itself is not copied at all
 * (mbox_append_own). Terms of queued messages that live on the owner's
 * heap are garbage-collection roots (mbox_each_on_heap).
 *
 * Besides messages the queue carries signals (link, exit, monitor ...),
 * which the callback handles in arrival order instead of queueing them,
 * so a process's own state is only ever changed by itself.
 */
#ifndef ERBIUM_MAILBOX_H
#define ERBIUM_MAILBOX_H

#include "runtime/term/term.h"

#include <stdatomic.h>
#include <stdbool.h>

struct HeapFrag;

typedef enum SigKind {
    SIG_MESSAGE,
    SIG_LINK,      /* from `from`: add a link */
    SIG_UNLINK,
    SIG_EXIT,      /* exit signal from `from` with `term` as reason (a link's or exit/2's) */
    SIG_MONITOR,   /* from `from`: monitor me; `term` is {Ref, WhatToReportInDown} */
    SIG_DEMONITOR, /* `term`: the reference */
    SIG_DOWN,      /* a monitored process exited: `term` is the 'DOWN' message */
    SIG_GROUP_LEADER, /* group_leader/2 from another process: `term` is the new leader */
    SIG_ALIAS_MSG, /* a message sent to an alias: `from` is the reference's first word (alias.h) */
    SIG_RESUME,    /* `from` gives back `term` (a small) suspends of this process: it exited
                      holding them, or is a port no longer busy (suspend.h) */
    SIG_SYSTASK,   /* a system task from `from`: `term` is {Kind, ReqId, Arg} (code_systask.c) */
} SigKind;

typedef struct Message {
    struct Message *next;
    uint8_t kind;       /* SigKind */
    bool from_link;     /* SIG_EXIT: sent because of a link (else exit/2) */
    bool sent;          /* a message a process sent (a send, or an exit signal it trapped): with
                           no token it clears the receiver's seq_trace token, as OTP's NIL token;
                           the VM's own messages ('DOWN', timers, ports) leave it alone */
    bool on_heap;       /* term lives on the owner's heap: a GC root while queued */
    uint8_t heap_words; /* with on_heap, when moved there on arrival: its words, which call_memory
                           counts only when the message is taken (see Process.alloc_base) */
    Term to;            /* the addressee: a message for an older process in a reused slot is dropped */
    Term from;
    Term term;          /* the message, reason or reference: immediate, in frag, or on_heap */
    struct HeapFrag *frag; /* holds term (the sender's copy); NULL when immediate or on_heap */
    Term token;         /* a seq_trace token (profiler/seq_trace.h) in frag, else NIL; such a
                           message stays in its fragment until received */
    void *block;        /* the allocation this Message lives in (with frag, if any) */
} Message;

typedef struct Mailbox {
    _Atomic(Message *) inbox; /* pushed by senders, newest first */
    Message *head;            /* received, oldest first */
    Message **tail;           /* &last->next, or &head */
    Message **save;           /* the link to the message loop_rec looks at next */
    size_t len;               /* messages in head..tail */
    size_t on_heap;           /* of those, how many have on_heap set */
    Message *spare;           /* owner only: blocks of received messages, kept for self-sends */
    unsigned n_spare;
} Mailbox;

/* A zeroed Mailbox is empty. Resets the owner's side for a new owner, keeping
   what senders pushed (the new owner drops stale messages when it drains). */
void mbox_reset_owner(Mailbox *mb);

/* A message or signal for `to` holding a copy of `term` (which may live anywhere). */
Message *mbox_message_new(SigKind kind, Term to, Term from, Term term);
/* The same carrying a seq_trace token, copied into the same fragment. */
Message *mbox_message_new_token(SigKind kind, Term to, Term from, Term term, Term token);
void mbox_message_free(Message *m);
/* Owner of mb only: ends m, giving its term's memory (a fragment, or NULL
   for a term that needs none) to the receiver's heap; a bare block is kept
   for the owner's next self-send. m must not be used afterwards. */
struct HeapFrag *mbox_message_to_heap(Mailbox *mb, Message *m);
/* Words m's fragment holds (0 without one). */
size_t mbox_message_words(const Message *m);
/* Owner only: copies m's term (in a fragment) to the mbox_message_words(m)
   words at hp on the owner's heap, whose binaries the caller must adopt
   (binary_adopt_copy), and drops the fragment's copy. */
void mbox_message_onto_heap(Message *m, Term *hp);

/* Pushes m; returns true if the inbox was empty (the owner may need waking). Any thread. */
bool mbox_push(Mailbox *mb, Message *m);
/* True if something was pushed and not yet drained. Any thread. */
static inline bool mbox_has_inbound(Mailbox *mb)
{
    return atomic_load_explicit(&mb->inbox, memory_order_acquire) != NULL;
}

/*
 * Owner only: takes what was pushed and hands each message and signal for
 * self to on_arrival(ctx, m), oldest first; on_arrival takes ownership (a
 * message it wants queued it passes to mbox_append). Messages for another
 * pid are freed.
 */
void mbox_drain(Mailbox *mb, Term self, void (*on_arrival)(void *ctx, Message *m), void *ctx);

/* Appends a message to the private queue (owner only; e.g. from a signal). */
void mbox_append(Mailbox *mb, Message *m);

/*
 * A message from the owner to itself, when nothing is pushed and not yet
 * drained (so it cannot overtake anything): term, already on the owner's
 * heap, is not copied but shared, and is appended to the private queue.
 * Such messages are garbage-collection roots (mbox_each_on_heap).
 */
void mbox_append_own(Mailbox *mb, Term self, Term term);
/* Calls fn(ctx, &m->term) for every queued message whose term is on the heap. */
void mbox_each_on_heap(Mailbox *mb, void (*fn)(void *ctx, Term *slot), void *ctx);

/* The message at the save pointer, or NULL (owner only). */
static inline Message *mbox_current(Mailbox *mb) { return *mb->save; }
/* Moves the save pointer past the current message. */
static inline void mbox_skip(Mailbox *mb) { mb->save = &(*mb->save)->next; }
/* Restarts matching at the oldest message. */
static inline void mbox_rewind(Mailbox *mb) { mb->save = &mb->head; }
/* Unlinks the current message, rewinds, and returns it. */
Message *mbox_take_current(Mailbox *mb);

/* Frees everything queued and the spare blocks; what was pushed goes to on_arrival as in mbox_drain
   (the owner is exiting). */
void mbox_destroy(Mailbox *mb, Term self, void (*on_arrival)(void *ctx, Message *m), void *ctx);

#endif
