/*
 * seq_trace.h - sequential tracing (OTP 25's seq_trace): a process's token,
 * carried by the messages it sends, and the {seq_trace, Label, Info[, TS]}
 * messages the system tracer gets.
 *
 * A token is {Flags, Label, Serial, From, LastCnt}; Flags: send 1,
 * 'receive' 2, print 4, timestamp 8, strict_monotonic_timestamp 16,
 * monotonic_timestamp 32. A process keeps it in C fields (Process.seq_*),
 * only the label being a term (a GC root), plus two counters of its own,
 * kept while it has no token: its clock and the serial it last received.
 *
 *   send / print:  LastCnt := last received; Serial := ++clock; From := self; a message
 *                  carries {Flags, Label, Serial, Sender, LastCnt}
 *   receive:       the token becomes the message's ([] for a message
 *                  without one); last received := its Serial; clock :=
 *                  max(clock, Serial)
 *   set serial {L, S}:  LastCnt := last received := L; Serial := clock := S
 *
 * Spawning passes the token on as OTP 25's spawn_request/spawn_reply signals do (see
 * seq_trace_spawn); a trapped exit signal over a link carries the exiting process's token.
 * A message without a token that a process sent clears the receiver's token; the VM's own
 * messages ('DOWN', timers, a port's data) leave it alone, and a send to a port is traced
 * but gives the port nothing (Message.sent).
 *
 * Trace messages: {send, {LastCnt, Serial}, From, To, Msg} when the
 * sender's token has `send`, {'receive', ...} with the message's pair when
 * its token has 'receive', {print, {LastCnt, Serial}, From, [], Term} for
 * print with `print`. A stamp flag appends the stamp as trace/3's does.
 *
 * system_flag(reset_seq_trace, true) starts a new epoch: a process whose
 * epoch is older drops its token and zeroes its counters the next time it
 * touches them (it alone writes its fields), and a message carries the
 * epoch it was sent in, so one sent before the reset gives no token.
 */
#ifndef ERBIUM_SEQ_TRACE_H
#define ERBIUM_SEQ_TRACE_H

#include "runtime/proc/mailbox.h"
#include "runtime/proc/process.h"

/* Does p carry a token (cheap test for the send and receive paths)? */
static inline bool seq_trace_active(const Process *p) { return __builtin_expect(is_value(p->seq_label), 0); }

/* p sends msg to the process or port `to` with its token: the token is updated, the send
   traced, and the message posted with the token (instead of signal.c's plain post). */
void seq_trace_send(Process *p, Term to, Term msg);
/* The same to the alias ref (the send traced with the alias as its addressee). */
void seq_trace_alias_send(Process *p, Term ref, Term msg);
/* p takes m out of its queue (m's fragment not yet adopted): the token follows m. */
void seq_trace_receive(Process *p, const Message *m);

/* How a spawn's reply goes back (spawn_with in bif_proc.c). */
typedef enum SeqSpawnReply {
    SEQ_SPAWN_SYNC,  /* spawn/spawn_link/spawn_monitor/spawn_opt: the BIF takes it at once */
    SEQ_SPAWN_POST,  /* spawn_request: a message to the parent, with the child's token */
    SEQ_SPAWN_NONE,  /* spawn_request with {reply, no | error_only}: none (its serial counts) */
} SeqSpawnReply;
/* Does p have a token (dropped first if a reset came since)? */
bool seq_trace_has_token(Process *p);
/* p, which has a token, spawns q (not yet scheduled): q gets the token as if it had received
   req ({spawn_request, Ref, Parent, GroupLeader, MFA, Opts, Tag, Args}) and answered reply
   ({Tag, Ref, ok, Child}), which OTP 25 traces as a send and a receive each. */
void seq_trace_spawn(Process *p, Process *q, Term req, Term reply, SeqSpawnReply how);
/* The exit signal p, which has a token, sends over its link to `to` (traced as the send of
   {'EXIT', Pid, Reason}): a SIG_EXIT message carrying the token. */
Message *seq_trace_link_exit(Process *p, Term to, Term reason);

/* The token as get_token/0 shows it, on p's heap ([] when none). */
Term seq_trace_token(Process *p);
/* erlang:seq_trace(Key, Value), also the match-spec action set_seq_token: the old value,
   or THE_NON_VALUE for bad arguments. */
Term seq_trace_ms_set(Process *p, Term key, Term value);

/* system_flag(sequential_tracer, T): the old tracer (false when none), or THE_NON_VALUE
   for a bad T. */
Term seq_trace_set_system_tracer(Term tracer);
Term seq_trace_system_tracer(void);
/* system_flag(reset_seq_trace, _): every token goes, and the system tracer. */
void seq_trace_reset(void);

#endif
