/*
 * bif_local.c - erlang BIFs whose OTP 25 behaviour on a node without
 * distribution or dynamic tracing (erbium's only kind of node) is fully
 * decided locally: monitor_node/2,3, the dist_ctrl_* and setnode/2 calls
 * that net_kernel makes only on a distributed node, the dt_* DTrace tag
 * BIFs of a VM built without DTrace, exit_signal/2 and display_nl/0.
 */
#include "runtime/bif/bif.h"

#include "runtime/io/io_out.h"

Term bif_exit_2(Process *p, const Term *args);

static bool is_bool(Term t) { return t == AM_true || t == AM_false; }

/* monitor_node(Node, Flag, Options): this node is always up (true, and no nodedown ever
   comes); any other node cannot be reached from a node that is not alive. */
static Term monitor_node(Process *p, Term node, Term flag, Term opts)
{
    if (!is_atom(node)) return bif_error(p, AM_badarg);
    for (; is_list(opts); opts = list_tail(opts))
        if (list_head(opts) != atom_put("allow_passive_connect", 21)) break;
    if (!is_nil(opts)) return bif_error_cause(p, AM_badarg, AM_badopt);
    if (node == AM_nonode_at_nohost) return is_bool(flag) ? AM_true : bif_error(p, AM_badarg);
    return bif_error(p, AM_notalive);
}

Term bif_monitor_node_2(Process *p, const Term *args) { return monitor_node(p, args[0], args[1], NIL); }
Term bif_monitor_node_3(Process *p, const Term *args) { return monitor_node(p, args[0], args[1], args[2]); }

/* net_kernel's calls that make and feed a distribution channel: as on OTP when there is
   no channel (and none can be made on a node started without a name). */
Term bif_setnode_2(Process *p, const Term *args) { return bif_error(p, AM_badarg); }
Term bif_dist_get_stat_1(Process *p, const Term *args) { return bif_error(p, AM_badarg); }
Term bif_dist_ctrl_get_data_1(Process *p, const Term *args) { return bif_error(p, AM_badarg); }
Term bif_dist_ctrl_put_data_2(Process *p, const Term *args) { return bif_error(p, AM_notsup); }
Term bif_dist_ctrl_get_opt_2(Process *p, const Term *args) { return bif_error(p, AM_notsup); }
Term bif_dist_ctrl_set_opt_3(Process *p, const Term *args) { return bif_error(p, AM_notsup); }
Term bif_dist_ctrl_input_handler_2(Process *p, const Term *args) { return bif_error(p, AM_notsup); }
Term bif_dist_ctrl_get_data_notification_1(Process *p, const Term *args) { return bif_error(p, AM_notsup); }

/* DTrace tags: without DTrace there is no tag to keep; the vm_tag_data calls return their
   argument unchanged. */
Term bif_dt_get_tag_0(Process *p, const Term *args) { return AM_undefined; }
Term bif_dt_get_tag_data_0(Process *p, const Term *args) { return AM_undefined; }
Term bif_dt_put_tag_1(Process *p, const Term *args) { return AM_undefined; }
Term bif_dt_prepend_vm_tag_data_1(Process *p, const Term *args) { return args[0]; }
Term bif_dt_append_vm_tag_data_1(Process *p, const Term *args) { return args[0]; }

/* exit_signal(Pid, Reason): the distribution's way to send an exit signal; locally exit/2. */
Term bif_exit_signal_2(Process *p, const Term *args) { return bif_exit_2(p, args); }

/* display_nl(): a line end on standard error, as OTP writes it. */
Term bif_display_nl_0(Process *p, const Term *args)
{
    io_out_write_err("\r\n", 2);
    return AM_true;
}
