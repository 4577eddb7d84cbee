/*
 * signal.h - messages and signals between processes: send, links, exit
 * signals, monitors, and what a process leaves behind when it exits.
 *
 * Every signal travels through the receiver's mailbox (mailbox.h), so it
 * arrives in order with the sender's messages, and only the receiver ever
 * changes its own links, monitors and queue. A signal to a process that
 * does not exist (any more) is answered at once where OTP answers it
 * (link: noproc exit signal; monitor: 'DOWN' with noproc).
 */
#ifndef ERBIUM_SIGNAL_H
#define ERBIUM_SIGNAL_H

#include "runtime/proc/process.h"

/* Sends msg to the process dest: a pid, a registered name, {Name, Node} or an alias. Returns
   false for a bad destination (erlang:send raises badarg) or for a busy port the sender now
   waits for (port_send_take_suspended tells which); a message to a dead pid is dropped. */
bool signal_send(Process *from, Term dest, Term msg);

/* Posts a message or signal to a process or a port (see runtime/port/port.h) and wakes it;
   a copy of term is made. For exit signals from_link says a link sent it. Any thread. */
void signal_post(SigKind kind, Term to, Term from, Term term, bool from_link);
/* Posts a message made by the caller (mbox_message_new*) to its addressee. */
void signal_post_message(Message *m);
/* Posts {'DOWN', Ref, Type, Item, Reason} (Type process or port) to watcher as a 'DOWN' signal. */
void signal_post_down(Term watcher, const Term *ref_id, Term type, Term item, Term reason, Term from);
/* The process's half of a link to a port (open_port, port_connect): the port adds its own. */
void signal_add_link(Process *p, Term id);

/* Handles signals that have arrived (called before each slice and when receive finds nothing
   new). Returns true when an exit signal killed the process (p->exiting, reason in p->fvalue). */
bool signal_handle_pending(Process *p);

/* link/1 (pid or port): false (with the exit already handled as OTP does) when it does not exist. */
bool signal_link(Process *p, Term pid);
void signal_unlink(Process *p, Term pid);
/* exit/2 */
void signal_exit(Process *p, Term pid, Term reason);
/* monitor(process, Target): Target a pid or registered name, or monitor(port, Port); ref is the new reference. */
void signal_monitor(Process *p, Term target, Term ref);
/* monitor/3: the same with a tag for the 'DOWN' message (THE_NON_VALUE: 'DOWN') and an alias
   mode (alias.h; ALIAS_NONE for none). */
void signal_monitor_opts(Process *p, Term target, Term ref, Term tag, int alias_mode);
/* demonitor(Ref): false if p held no such monitor. */
bool signal_demonitor(Process *p, Term ref);

/* group_leader(GroupLeader, Pid) for another process: false when pid does not exist. */
bool signal_group_leader(Process *p, Term pid, Term leader);

/* receive ... after: arms p's timer for ms milliseconds / cancels it (both owner only). */
void signal_arm_timeout(Process *p, uint64_t ms);
void signal_cancel_timeout(Process *p);

/* The reason p exits with (normal, an exception's, or an exit signal's). */
Term signal_exit_reason(Process *p);
/* At exit: exit signals to links, 'DOWN' to monitors, name released. */
void signal_process_exit(Process *p);
/* Frees the mailbox, answering link and monitor requests that are still queued. */
void signal_release(Process *p);

#endif
