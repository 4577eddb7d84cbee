/*
 * inet_int.h - the inet drivers' shared internals (see inet.h): a socket's
 * state, the wire constants of prim_inet's protocol (kernel's inet_int.hrl),
 * and the functions the driver files offer each other.
 */
#ifndef ERBIUM_INET_INT_H
#define ERBIUM_INET_INT_H

#include "runtime/inet/inet.h"
#include "runtime/term/binary.h"

#include <netinet/in.h>
#include <sys/socket.h>

/* prim_inet adds this to every operation number (a guard against other drivers' ops). */
#define INET_CTL_BASE 66167552u

enum { INET_REP_ERROR = 0, INET_REP_OK = 1 };

enum { INET_AF_INET = 1, INET_AF_INET6 = 2, INET_AF_ANY = 3, INET_AF_LOOPBACK = 4 };
enum { INET_TYPE_STREAM = 1, INET_TYPE_DGRAM = 2 };
enum { INET_PASSIVE = 0, INET_ACTIVE = 1, INET_ONCE = 2, INET_MULTI = 3 };

enum {
    INET_REQ_OPEN = 1, INET_REQ_CLOSE = 2, INET_REQ_CONNECT = 3, INET_REQ_PEER = 4, INET_REQ_NAME = 5,
    INET_REQ_BIND = 6, INET_REQ_SETOPTS = 7, INET_REQ_GETOPTS = 8, INET_REQ_GETSTAT = 11,
    INET_REQ_GETHOSTNAME = 12, INET_REQ_GETFD = 14, INET_REQ_GETTYPE = 15, INET_REQ_GETSTATUS = 16,
    INET_REQ_GETSERVBYNAME = 17, INET_REQ_GETSERVBYPORT = 18,
    INET_REQ_GETIFLIST = 21, INET_REQ_SUBSCRIBE = 24, INET_REQ_GETIFADDRS = 25, INET_REQ_ACCEPT = 26,
    INET_REQ_LISTEN = 27, TCP_REQ_RECV = 42, TCP_REQ_UNRECV = 43, TCP_REQ_SHUTDOWN = 44,
    PACKET_REQ_RECV = 60,
};

/* Packet modes (INET_LOPT_PACKET values). */
enum { TCP_PB_RAW = 0, TCP_PB_1 = 1, TCP_PB_2 = 2, TCP_PB_4 = 3, TCP_PB_LINE_LF = 8 };

/* Status flags (INET_REQ_GETSTATUS). */
enum {
    INET_F_OPEN = 0x1, INET_F_BOUND = 0x2, INET_F_ACTIVE = 0x4, INET_F_LISTEN = 0x8, INET_F_CON = 0x10,
    INET_F_ACC = 0x20,
};

/* A caller waiting for an asynchronous result: recv, accept or connect. */
typedef struct InetWait {
    Term caller;
    uint16_t ref;
    int64_t deadline;  /* monotonic milliseconds, or -1 */
    uint32_t length;   /* recv: the bytes asked for (0: a packet, or what there is) */
} InetWait;

/* The driver's own options (the socket's are the kernel's). */
typedef struct InetOpts {
    int active;             /* INET_PASSIVE, _ACTIVE, _ONCE, _MULTI */
    int active_n;           /* INET_MULTI: messages left */
    bool binary;
    int packet;             /* TCP_PB_* */
    uint32_t packet_size;   /* 0: no limit */
    uint32_t header;
    uint32_t buffer;
    int line_delim;
    bool exit_on_close;
    bool delay_send;
    bool show_econnreset;
    bool send_timeout_close;
    int32_t send_timeout;   /* -1: infinity */
    int32_t high_watermark, low_watermark, high_msgq, low_msgq;
    uint32_t read_packets;
    int32_t deliver;
} InetOpts;

typedef struct InetSock {
    bool tcp;
    int fd;                 /* -1 before open and after close */
    int family;             /* AF_INET or AF_INET6 once open */
    bool fd_polled;
    uint32_t fd_events;     /* what the poller watches */
    int tfd;                /* timerfd for deadlines, -1 until one is needed */
    bool tfd_polled;
    bool bound, listening, connecting, connected;
    bool peer_closed;       /* end of input seen */
    bool closed;            /* the socket is gone (peer closed with exit_on_close) */
    bool close_send_note;   /* the next send learns {error, closed} (then enotconn) */
    bool close_recv_note;   /* the next recv learns {error, closed} */
    bool shutdown_write;    /* shutdown(write) once the output queue drains */
    InetOpts o;
    uint16_t next_ref;
    InetWait *w;            /* recv or accept waiters, oldest first */
    size_t nw, capw;
    InetWait conn;          /* the connect in progress */
    uint8_t *ibuf;          /* input read, not yet delivered */
    size_t ilen, icap;
    uint8_t *obuf;          /* output not yet written: [ooff, olen) */
    size_t ooff, olen, ocap;
    Term subscriber;        /* {empty_out_q, S} goes to it, or NIL */
    uint64_t recv_cnt, recv_max, recv_oct, send_cnt, send_max, send_oct;
} InetSock;

static inline InetSock *inet_sock(Port *p) { return (InetSock *)p->drv_data; }

/* ---- replies to port_control (inet_drv.c) ---- */

bool inet_reply(uint8_t **out, size_t *outlen, const uint8_t *data, size_t n);
bool inet_reply_error(uint8_t **out, size_t *outlen, int err);
bool inet_reply_error_name(uint8_t **out, size_t *outlen, const char *name);
/* [1, Ref:16]: the answer to an operation whose result comes as {inet_async, ...}. */
bool inet_reply_ref(uint8_t **out, size_t *outlen, uint16_t ref);

/* ---- the socket's plumbing (inet_drv.c) ---- */

/* Re-registers the fd with the poller for what the socket now waits for, and the timer. */
void inet_repoll(Port *p);
/* Queues a waiter; returns its ref. */
uint16_t inet_wait_push(InetSock *s, Term caller, int32_t timeout_ms, uint32_t length);
void inet_wait_pop(InetSock *s);
/* Answers every waiter {error, Reason} and empties the queue. */
void inet_wait_fail_all(Port *p, Term reason);
/* Timeouts: answers the waiters whose deadline passed with {error, timeout}. */
void inet_expire(Port *p);
/* Addresses: bytes [F, P1, P0, IP...] to a sockaddr (and back); false if malformed. */
bool inet_addr_decode(InetSock *s, const uint8_t *d, size_t n, struct sockaddr_storage *sa, socklen_t *len,
                      size_t *used);
size_t inet_addr_encode(const struct sockaddr_storage *sa, uint8_t *out);
/* Closes the socket's descriptor (the port lives on). */
void inet_close_fd(Port *p);

/* ---- options (inet_opts.c) ---- */

void inet_opts_default(InetOpts *o, bool tcp);
/* INET_REQ_SETOPTS / GETOPTS: 0 or an errno value. */
int inet_setopts(Port *p, const uint8_t *d, size_t n);
int inet_getopts(Port *p, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen);

/* ---- host and interfaces (inet_if.c) ---- */

bool inet_gethostname(uint8_t **out, size_t *outlen);
bool inet_getifaddrs(uint8_t **out, size_t *outlen);
bool inet_getiflist(uint8_t **out, size_t *outlen);
/* Services (/etc/services): [NameLen, Name..., ProtoLen, Proto...] to the port, and
   [Port:16, ProtoLen, Proto...] to the name. */
bool inet_getservbyname(const uint8_t *d, size_t n, uint8_t **out, size_t *outlen);
bool inet_getservbyport(const uint8_t *d, size_t n, uint8_t **out, size_t *outlen);

/* ---- messages (inet_msg.c) ---- */

/* {inet_async, S, Ref, Result}, {inet_reply, S, Result} to pid; Result an immediate. */
void inet_send_async(Port *p, Term to, uint16_t ref, Term result);
void inet_send_async_error(Port *p, Term to, uint16_t ref, Term reason);
void inet_send_reply(Port *p, Term to, Term result);
void inet_send_reply_error(Port *p, Term to, Term reason);
/* {Tag, S} (tcp_closed, tcp_passive, empty_out_q, ...) and {Tag, S, Reason}. */
void inet_send_tag(Port *p, Term to, Term tag);
void inet_send_tag_reason(Port *p, Term to, Term tag, Term reason);
/* Data to its reader: {tcp, S, Data} to the owner (to_waiter false) or
   {inet_async, S, Ref, {ok, Data}} to the oldest waiter. */
void inet_send_tcp_data(Port *p, const InetWait *w, const uint8_t *d, size_t n);
/* A datagram from sa: {udp, S, IP, Port, Data} or {inet_async, S, Ref, {ok, [F, P1, P0, IP... | Data]}}. */
void inet_send_udp_data(Port *p, const InetWait *w, const struct sockaddr_storage *sa, const uint8_t *d,
                       size_t n);
/* {inet_async, L, Ref, {ok, S}} from the listening socket L to to. */
void inet_send_accepted(Term listener, Term to, uint16_t ref, Term sock);

/* ---- TCP (inet_tcp.c) and UDP (inet_udp.c) ---- */

bool inet_tcp_control(Port *p, Term caller, unsigned op, const uint8_t *d, size_t n, uint8_t **out,
                      size_t *outlen);
void inet_tcp_command(Port *p, Term caller, const uint8_t *d, size_t n);
void inet_tcp_event(Port *p, uint32_t events);
/* Delivers what the buffer and the socket have to whoever waits for it. */
void inet_tcp_input(Port *p);
/* Runs the accepts done under a listening socket's lock: creating their ports must wait
   until no port is locked. */
void inet_tcp_flush_accepts(void);

bool inet_udp_control(Port *p, Term caller, unsigned op, const uint8_t *d, size_t n, uint8_t **out,
                      size_t *outlen);
void inet_udp_command(Port *p, Term caller, const uint8_t *d, size_t n);
void inet_udp_input(Port *p);

/* Active mode bookkeeping after one message to the owner: once → passive; N → N - 1, and at
   0 passive with {Tag, S} (tcp_passive / udp_passive). */
void inet_after_active_message(Port *p, Term passive_tag);

#endif
