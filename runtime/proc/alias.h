/*
 * alias.h - process aliases (erlang:alias/0,1, unalias/1, monitor/3's
 * {alias, Mode}) and messages sent to them (prefix alias_).
 *
 * An alias is a reference made by its owner; the reference's second word is
 * the owner's pid number (bif_ref.c), so a sender finds the owner without a
 * table. The owner keeps its active aliases in p->aliases (a MonitorSet
 * whose `pid` field holds the mode) and decides on arrival: a message
 * through an alias that is not active (any more) is dropped silently, as on
 * OTP. Only the owner changes the set, like its links and monitors.
 */
#ifndef ERBIUM_ALIAS_H
#define ERBIUM_ALIAS_H

#include "runtime/proc/process.h"

/* What ends an alias besides unalias/1. */
enum alias_mode {
    ALIAS_NONE = 0,
    ALIAS_EXPLICIT,        /* only unalias/1 */
    ALIAS_DEMONITOR,       /* also the end of its monitor (demonitor or 'DOWN') */
    ALIAS_REPLY_DEMONITOR, /* also the first message through it (which demonitors) */
    ALIAS_REPLY,           /* alias([reply]): the first message through it */
};

/* monitor/3's (and spawn_opt's {monitor, Opts}) option list: {alias, Mode} and {tag, Tag}
   (THE_NON_VALUE when absent); false for anything else. */
bool alias_parse_monitor_opts(Term opts, Term *tag, int *mode);

/* Makes ref (made by p) an active alias of p. */
void alias_add(Process *p, Term ref, enum alias_mode mode);
/* unalias/1: false if ref was not an active alias of p. */
bool alias_remove(Process *p, const Term *ref_id);
/* A monitor that is also an alias ended (demonitor or 'DOWN'): ends the alias
   unless it was made with explicit_unalias. */
void alias_monitor_ended(Process *p, const Term *ref_id);

/* Sends msg to the owner of the alias ref (any thread), with a seq_trace token (a message
   token of profiler/seq_trace.c) or NIL. */
void alias_send(Term ref, Term msg, Term token);
/* Owner: m (kind SIG_ALIAS_MSG) arrived. True if it is to be queued as a
   message (its kind is then SIG_MESSAGE); false if the caller must drop it. */
bool alias_arrived(Process *p, Message *m);

#endif
