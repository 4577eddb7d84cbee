/*
 * port.h - ports: the VM's connections to the outside world (child
 * processes and file descriptors), with OTP 25's semantics.
 *
 * A port is an entity like a process: an immediate term (#Port<0.N>), an
 * owner (the connected process), links and monitors. It has no code and no
 * thread. Its state lives in a Port struct under the port's mutex, found
 * through the port table by number (port_lookup returns it locked).
 *
 * All reading is done through one epoll set (port_poll.c), which the
 * schedulers poll themselves: an idle scheduler waits in it, busy ones look
 * now and then. Whoever polls reads what a child or descriptor wrote, cuts
 * it into messages (stream, line or packet mode) and posts {Port, {data, D}}
 * to the owner. Writing is done by whoever calls port_command, without
 * blocking: what the descriptor does not take at once waits in the port's
 * output queue, drained when the poll set says the descriptor is writable.
 * Children are reaped through a pidfd each in the same set, so no SIGCHLD
 * handler is involved and the exit status reaches {Port, {exit_status, N}}.
 * A scheduler never blocks on port I/O (only on the poll set, when idle).
 *
 * Signals to a port (links, exits, monitors, messages sent with `!`) are
 * routed here by signal.c (port_signal) and handled at once, under the
 * port's lock, by the sending thread.
 */
#ifndef ERBIUM_PORT_H
#define ERBIUM_PORT_H

#include "runtime/proc/process.h"

#include <pthread.h>
#include <sys/types.h>

enum {
    PORT_BINARY = 1u << 0,
    PORT_EOF = 1u << 1,          /* {Port, eof} at end of input instead of closing */
    PORT_EXIT_STATUS = 1u << 2,
    PORT_IN = 1u << 3,
    PORT_OUT = 1u << 4,
    PORT_STDERR_TO_STDOUT = 1u << 5,
    PORT_NOUSE_STDIO = 1u << 6,  /* the child uses fds 3 and 4 */
};

struct Port;

/*
 * A port kind implemented inside the VM (open_port({spawn_driver, Name}, _)),
 * like OTP's linked-in drivers: runtime/inet/'s tcp_inet and udp_inet. Every
 * callback runs with the port locked; a failure that must close the port is
 * recorded in its doom.
 */
typedef struct PortDriver {
    const char *name;
    /* Creates the driver's state for a new port (p->drv_data); false: out of resources. */
    bool (*start)(struct Port *p);
    /* port_command/2,3 or {Pid, {command, D}}: caller is the sending process. */
    void (*command)(struct Port *p, Term caller, const uint8_t *data, size_t n);
    /* port_control/3: the reply bytes in a malloc'ed *out, or false for badarg. */
    bool (*control)(struct Port *p, Term caller, uint64_t op, const uint8_t *data, size_t n, uint8_t **out,
                    size_t *outlen);
    /* The poller saw events on the fd the driver registered in slot (1 or 2). */
    void (*event)(struct Port *p, unsigned slot, uint32_t events);
    /* Termination: close descriptors, free the state. */
    void (*release)(struct Port *p);
    /* Called once the port is unlocked after control and event: work that must not run
       under a port's lock (opening another port takes the port table's lock). */
    void (*after_unlock)(void);
    /* Optional: the port has its id and is findable (locked): register fds with the poller. */
    void (*opened)(struct Port *p);
    /* port_control/3 replies with a binary (OTP's PORT_CONTROL_FLAG_BINARY), else a list. */
    bool control_binary;
} PortDriver;

typedef struct PortMonitor {
    Term ref_id[REF_WORDS];
    Term pid;                    /* the watcher */
    Term name;                   /* monitored by registered name: the name (its 'DOWN' says
                                    {Name, Node}), else 0 */
} PortMonitor;

typedef struct Port {
    struct Port *hnext;          /* port table chain */
    Term id;
    pthread_mutex_t lock;
    bool closed;                 /* terminated: every holder must let go */
    /* Closed by its owner with output still queued: the port is gone for Erlang code
       (lookups miss it) but writes what waits, then terminates (port_close_flushing). */
    atomic_bool flushing;
    Term flush_reply;            /* who gets {Port, closed} after the flush, or NIL */
    Term doom;                   /* a failure found under the lock: port_unlock terminates with it */
    Term owner;
    unsigned flags;
    unsigned line;               /* {line, L}: L, else 0 */
    unsigned packet;             /* {packet, N}: N, else 0 */
    int in_fd, out_fd;           /* -1: none */
    bool own_in, own_out;        /* close them at the end (not a {fd, In, Out} port's own fds) */
    bool in_polled;              /* in_fd is registered with the poller (else a regular file, read in turn) */
    bool out_polled;
    bool out_armed;              /* waiting for out_fd to become writable */
    bool eof_seen;               /* end of input, not yet acted on (waiting for the exit status) */
    pid_t os_pid;                /* the child, or 0 */
    bool child_running;
    int exit_code;               /* the child's, once it exited (128 + N for signal N) */
    uint8_t *ibuf;               /* input not yet delivered (line and packet modes) */
    size_t ilen, icap;
    uint8_t *obuf;               /* output not yet written: bytes [ooff, olen) */
    size_t ooff, olen, ocap;
    Term *links;
    uint32_t nlinks, caplinks;
    PortMonitor *mons;
    uint32_t nmons, capmons;
    struct Message *data;        /* erlang:port_set_data/2's term, or NULL */
    uint64_t input_bytes, output_bytes;
    char *name;
    bool exit_quietly;           /* terminating unlinks instead of sending exit signals (a driver
                                    closing its port normally of its own accord, as OTP's inet) */
    const PortDriver *drv;       /* a driver port, else NULL (spawn and fd ports) */
    void *drv_data;
    bool busy;                   /* output queue reached the high watermark: senders wait */
    Term *waiters;               /* processes suspended until the port is not busy */
    uint32_t nwaiters, capwaiters;
    Term reg_name;               /* register/2's name, else 0 */
} Port;

/* A queue of this many bytes makes a spawn or fd port busy; it stops being busy once the
   queue is down to the low mark (OTP's default watermarks). */
#define PORT_BUSY_HIGH (8 * 1024)
#define PORT_BUSY_LOW (4 * 1024)

/* ---- port table (port_table.c) ---- */

/* Gives p a new id and makes it findable. */
void port_table_insert(Port *p);
/* The port with this id, locked, or NULL when there is none (or it is closed or
   flushing its output after a close). */
Port *port_lookup(Term id);
/* One try of port_lookup that never waits: NULL with *busy set when another holder (maybe
   the caller itself) has the port's lock. */
Port *port_lookup_try(Term id, bool *busy);
/* The same, finding a flushing port too: for the poller, which writes its output. */
Port *port_lookup_io(Term id);
/* Takes a closed port (unlocked by the caller) out of the table and frees it. */
void port_table_remove(Port *p);
/* The ids of every open port, in a malloc'ed array (*n of them). */
Term *port_table_ids(size_t *n);
size_t port_table_count(void);

/* ---- opening (port_open.c) ---- */

/* open_port(Name, Settings) for owner: the port (locked), or NULL with *reason set
   (badarg, or a posix error atom such as enoent) and *badopt when an option was bad. */
Port *port_open(Process *owner, Term name, Term settings, Term *reason, bool *badopt);

/* A new driver port owned by owner (linked on the port's side only; the owner's side of
   the link is the caller's to make), registered and locked; NULL if the driver could not
   start. */
Port *port_open_driver(const PortDriver *drv, Term owner);
/* The same with the port named `name` (open_port's command, which the driver's start may read). */
Port *port_open_driver_as(const PortDriver *drv, Term owner, const char *name);

/* ---- I/O (port_io.c) ---- */

/* Queues bytes for the port's output and writes what it takes now. Locked port. */
void port_output(Port *p, const uint8_t *bytes, size_t n);
/* The poller's side: the port's input is readable / output writable / the child exited. */
void port_input_ready(Port *p);
void port_output_ready(Port *p);
void port_child_exited(Port *p, int status);
/* Frees the port's buffers and closes its descriptors (at termination). */
void port_io_release(Port *p);
/* True when a plain port has output queued that its descriptor has not taken yet. */
bool port_output_queued(const Port *p);
/* A flushing port stops reading: its input is closed. */
void port_io_stop_input(Port *p);

/* ---- the poller (port_poll.c) ---- */

/* Registers fd for the port: readable (in) or writable-when-armed (out). False if fd
   cannot be polled (a regular file: then reads are done in turn by the poller). */
bool port_poll_add(Port *p, int fd, bool out);
/* Arms or disarms writability events for the port's out_fd. */
void port_poll_arm_out(Port *p, bool on);
void port_poll_remove(int fd);
/* The port's input (sharing its fd with the output) ended: stop polling for it. */
void port_poll_input_done(Port *p);
/* Registers (or changes, or with events 0 removes) a driver's fd under slot 1 or 2 of
   its port; *polled tracks whether fd is in the set. */
void port_poll_driver_fd(Port *p, int fd, unsigned slot, uint32_t events, bool *polled);
/* Reads a regular-file input fd in turn (it is always ready) until port_poll_unread. */
void port_poll_read_in_turn(Port *p);
/* Reaps the child pid, telling the port (if still open) its status. */
void port_poll_watch_child(Port *p, pid_t pid);
/* Creates the poll set (once, when the first port opens). 0, or -1 on failure. */
int port_poll_start(void);
/* Takes the poll turn: false when another thread has it or there is no poll set yet. At
   most one thread polls at a time; the holder calls port_poll_wait, then port_poll_handle,
   then port_poll_end. */
bool port_poll_try_begin(void);
/* Waits for events (block: until one comes or port_poll_interrupt; else only looks).
   Returns how many; touches no port. */
int port_poll_wait(bool block);
/* Handles the n events port_poll_wait returned, and reads regular-file inputs in turn. */
void port_poll_handle(int n);
void port_poll_end(void);
/* Makes a blocked port_poll_wait return (work was queued for the scheduler waiting there). */
void port_poll_interrupt(void);

/* ---- busy ports (port_busy.c) ---- */

/* The queue changed: the port becomes busy at the high mark, and at the low mark stops
   being busy and resumes its waiters. Locked port. */
void port_busy_update(Port *p);
/* Suspends the caller (running, its status lock held) until the port is no longer busy or
   is gone: it runs no more code after its current slice. Locked, busy port. */
void port_busy_wait(Port *p, Process *caller);
/* Would sending msg to the port with this id wait (erlang:send/3's nosuspend)? Only a
   {Pid, {command, D}} to a busy port does. */
bool port_is_busy(Term id, Term msg);
/* At termination: every waiter resumes (and finds the port gone). */
void port_busy_release(Port *p);
/* Before caller sends msg to the port id (`!`, erlang:send/2,3): when msg is a command and
   the port is busy the caller waits as for port_command, nothing is sent, and true is returned: then
   signal_send returns false, and its caller asks port_send_take_suspended whether that
   false means "send again when the caller runs" rather than a bad destination. Called by
   signal_send, on the sender's thread; the send's success path never looks at the flag. */
bool port_send_wait(Process *caller, Term id, Term msg);
/* True once after a send that port_send_wait made wait (and clears it). */
bool port_send_take_suspended(void);

/* ---- registered names (port_reg.c) ---- */

/* register(Name, Port): false when the port is gone, already has a name, or the name is
   taken. */
bool port_register(Term name, Term id);
/* unregister/1 removed the port's name. */
void port_unregistered(Term id);
/* The port a port BIF's argument names (a port, or a name registered for a port), locked,
   or NULL. */
Port *port_lookup_named(Term t);
/* At termination: the name is freed. Locked port. */
void port_reg_release(Port *p);

/* ---- signals and termination (port_signal.c) ---- */

/* Terminates a locked port with reason: exit signals to its links, 'DOWN' to its
   monitors, descriptors closed; unlocks it and frees it. */
void port_terminate(Port *p, Term reason);
/* A close by the owner ({Pid, close} or port_close/1): terminates the locked port with
   reason normal and sends {Port, closed} to reply_to (a pid, or NIL for none). A port
   with output still queued first writes it, as OTP's spawn driver flushes: it is
   closed for Erlang code at once and terminates when the output is written or fails.
   Unlocks the port. */
void port_close_flushing(Port *p, Term reply_to);
/* Unlocks a locked port, or terminates it if an I/O failure doomed it meanwhile. */
void port_unlock(Port *p);
/* Sends msg (a term anywhere) to pid from the port. */
void port_send(Port *p, Term pid, Term msg);
/* Between these two (on one thread), port_send queues messages for processes without waking
   them; port_wake_deferred wakes them, to be called once no port lock is held. */
void port_defer_wakes(void);
void port_wake_deferred(void);
/* A signal for a port from signal.c; takes ownership of m. False when the port does not exist. */
bool port_signal(struct Message *m);
/* Adds a link (from open_port, port_connect, link/1); false if it was there. Locked port. */
bool port_add_link(Port *p, Term pid);

#endif
