/*
 * trace_sr_pattern.h - match specs on send and 'receive' trace
 * (erlang:trace_pattern(send | 'receive', Spec, [])), OTP 25's rules.
 *
 * One node-wide setting per kind: true (every traced send or receive is
 * reported), false (none is), or a trace-dialect match spec run against
 * [Receiver, Msg] for send and [Node, Sender, Msg] for 'receive'. A receive
 * whose spec gives {message, Term} is reported as
 * {trace, P, 'receive', Msg, Term}; a send whose spec gives anything but
 * true is not reported (as OTP 25 does). Only processes with the flag pay
 * for the check.
 */
#ifndef ERBIUM_TRACE_SR_PATTERN_H
#define ERBIUM_TRACE_SR_PATTERN_H

#include "runtime/proc/process.h"

/* trace_pattern(send | 'receive', Spec, Flags): 1, or badarg (raised). */
Term trace_sr_pattern(Process *p, Term which, Term spec, Term flags);
/* trace_info(send | 'receive', Item): {match_spec, true | false | Spec}; badarg for other items. */
Term trace_sr_info(Process *p, Term which, Term item);

/* Whether a send by p of msg to `to` is reported. */
bool trace_sr_send_wanted(Process *p, Term to, Term msg);
/* Whether p's receive of msg from `from` is reported; *extra is the message
   action's term (THE_NON_VALUE for none). */
bool trace_sr_receive_wanted(Process *p, Term from, Term msg, Term *extra);

#endif
