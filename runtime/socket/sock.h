/*
 * sock.h - the natives of OTP 25's prim_socket and prim_net (the `socket`
 * module's back end), shared by the files of runtime/socket/.
 *
 * A socket is a Sock in one VM-wide table, named to Erlang by a reference
 * (the SockRef inside {'$socket', SockRef}) whose id carries SOCK_TAG, as
 * file handles are (runtime/file/file_res.h). Every descriptor is
 * non-blocking: a call that would block queues the caller as a reader
 * (recv, recvfrom, recvmsg, accept) or a writer (send, sendto, sendmsg,
 * connect) with the reference it passed, the poller (sock_poll.c) waits for
 * the descriptor, and the head of the queue gets
 * {'$socket', Socket, select, Ref}; socket.erl then calls again. close
 * sends {'$socket', Socket, abort, {Ref, closed}} to everyone queued. A
 * socket belongs to its controlling process and is closed when that exits.
 */
#ifndef ERBIUM_SOCK_H
#define ERBIUM_SOCK_H

#include "runtime/proc/process.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define SOCK_TAG ((uint64_t)1 << 61)
#define SOCK_RCVBUF_DEFAULT 8192

/* One process waiting for the descriptor, with the reference it gave. */
typedef struct SockWaiter {
    Term pid;
    Term ref[1 + REF_WORDS]; /* a copy of the reference's box */
    struct SockWaiter *next;
} SockWaiter;

typedef struct SockCounters {
    uint64_t read_byte, read_fails, read_pkg, read_pkg_max, read_tries, read_waits;
    uint64_t write_byte, write_fails, write_pkg, write_pkg_max, write_tries, write_waits;
    uint64_t acc_fails, acc_success, acc_tries, acc_waits;
} SockCounters;

typedef struct Sock {
    uint64_t key;
    _Atomic Term owner;    /* controlling process (read without the lock by owner exits) */
    uint64_t ref_word;     /* the SockRef's second word (its creator's pid number) */
    atomic_int refs;       /* the table's one, plus one per sock_get */
    struct Sock *next;     /* chain in the table by key */
    pthread_mutex_t lock;  /* held by every operation */
    int fd;                /* -1 once closed */
    int domain, type, protocol; /* native numbers */
    bool closed;           /* close/1 was called */
    bool listening, connected, connecting;
    bool use_registry;
    bool polled;           /* fd is in the poller's set */
    size_t rcvbuf;         /* {otp, rcvbuf}: bytes a recv of length 0 asks for */
    size_t rcvctrlbuf, sndctrlbuf; /* {otp, rcvctrlbuf | sndctrlbuf} */
    bool debug, iow;       /* {otp, debug | iow}: kept, not acted on */
    uint8_t *meta;         /* {otp, meta}: the term in external format (NULL: undefined) */
    size_t meta_len;
    SockWaiter *readers, *writers;
    Term sent[2][1 + REF_WORDS]; /* the last reader's/writer's reference given a select message */
    SockCounters cnt;
} Sock;

/* ---- the table (sock_table.c) ---- */
/* Registers s (made by p, which owns it) and returns its SockRef on p's heap. */
Term sock_new(Process *p, Sock *s);
/* The socket a SockRef names, locked and counted, or NULL: *closed is then set when t is a
   socket reference whose socket was closed (the call answers {error, closed}), else badarg. */
Sock *sock_get(Term sockref, bool *closed);
/* The same for a native's argument: NULL with the native's result in *ret ({error, closed}
   or badarg). */
Sock *sock_get_for(Process *p, Term sockref, Term *ret);
/* The socket with this key (the poller's), locked and counted, or NULL. */
Sock *sock_get_key(uint64_t key);
/* Unlocks and uncounts. */
void sock_put(Sock *s);
/* Closes s (locked): aborts its waiters, tells the registry; the entry leaves the table. */
void sock_close_locked(Sock *s);
/* Closes the sockets p controls (p is exiting). */
void sock_owner_exit(Process *p);
/* Counts of open sockets, for nif_info/0. */
void sock_counts(size_t *total, size_t *inet, size_t *inet6, size_t *local, size_t *stream, size_t *dgram,
                 size_t *seqpacket, size_t *tcp, size_t *udp);
/* load_nif("prim_socket", #{registry := Pid, use_registry => Bool}): the registry process
   (prim_socket:on_load's) that new sockets report to, and the default of use_registry. */
void sock_load(Term extra);
void sock_set_registry_default(bool use);
bool sock_registry_default(void);

/* ---- waiting (sock_wait.c) ---- */
/* Queues (pid, ref) as a reader or writer of s (locked) and arms the poller. */
void sock_wait(Sock *s, bool reader, Term pid, Term ref);
/* Takes pid's entry out of a queue (it is being served); true if it was there. */
bool sock_unwait(Sock *s, bool reader, Term pid);
/* cancel/3: removes the entry with ref (ok), or tells that its select message was sent
   (select_sent) or that it is unknown (not_found). */
Term sock_cancel_ref(Sock *s, bool reader, Term ref);
/* The descriptor is ready: the first reader and/or writer gets its select message. */
void sock_ready(Sock *s, bool readable, bool writable);
/* Sends {'$socket', Socket, abort, {Ref, Reason}} to every waiter and empties the queues. */
void sock_abort_all(Sock *s, Term reason);
/* {'$socket', {'$socket', SockRef}, Tag, Info} to pid (any thread). */
void sock_send_msg(Sock *s, Term pid, Term tag, Term info);

/* ---- the poller (sock_poll.c) ---- */
/* Watches s's fd for what its queues wait for (one shot); removes it when nothing waits. */
void sock_poll_arm(Sock *s);
void sock_poll_forget(Sock *s);

/* ---- addresses (sock_addr.c) ---- */
/* Decodes a sockaddr map (prim_socket:enc_sockaddr's output); false if it is invalid. */
bool sock_addr_decode(Term map, struct sockaddr_storage *sa, socklen_t *len);
/* The map for a native address, on p's heap. */
Term sock_addr_encode(Process *p, const struct sockaddr *sa, socklen_t len);
/* IPv4/IPv6 address tuples. */
Term sock_ip4_tuple(Process *p, const void *in_addr);
Term sock_ip6_tuple(Process *p, const void *in6_addr);

/* ---- names (sock_names.c) ---- */
Term sock_errno_atom(int err);
Term sock_domain_atom(int domain);
Term sock_type_atom(int type);
bool sock_domain_from(Term a, int *domain);
bool sock_type_from(Term a, int *type);
/* {error, Reason} with the atom for err. */
Term sock_error(Process *p, int err);
Term sock_error_atom(Process *p, Term reason);
/* Sockaddr key names, once. */
Term sock_atom(const char *name);

/* ---- options (sock_opt.c) ---- */
/* nif_supports(options): [{socket | LevelNum, [{Opt, Num} | Opt]}] (a bare Opt: not supported). */
Term sock_options_list(Process *p);

#endif
