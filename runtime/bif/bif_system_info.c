/*
 * bif_system_info.c - erlang:system_info/1 for the scheduler counts
 * (ets:all/0 waits for one reply per scheduler). Other items are badarg
 * until something needs them.
 */
#include "runtime/bif/bif.h"

#include "sched/sched.h"

Term bif_system_info_1(Process *p, const Term *args)
{
    Term item = args[0];
    if (item == atom_from_cstr("schedulers") || item == atom_from_cstr("schedulers_online")) {
        int n = sched_count();
        return make_small(n > 0 ? n : 1);
    }
    return bif_error(p, AM_badarg);
}
