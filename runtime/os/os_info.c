/*
 * os_info.c - the process and the OS: os:getpid/0 and os:set_signal/2 (os_signal.c)
 */
#include "runtime/bif/bif.h"
#include "runtime/os/os_signal.h"
#include "runtime/proc/heap.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

Term bif_os_getpid_0(Process *p, const Term *args)
{
    (void)args;
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%ld", (long)getpid());
    Term *cells = heap_alloc(p, 2 * (size_t)n), list = NIL;
    for (int i = n; i-- > 0;) {
        cells[2 * i] = make_small(buf[i]);
        cells[2 * i + 1] = list;
        list = make_list(cells + 2 * i);
    }
    return list;
}

/*
 * os:set_signal(Signal, handle | default | ignore): a bad option is badarg with cause badopt
 * whatever the signal (OTP checks it first), a signal OTP does not let a program set is
 * plain badarg.
 */
Term bif_os_set_signal_2(Process *p, const Term *args)
{
    Term opt = args[1];
    if (opt != AM_handle && opt != AM_default && opt != AM_ignore) return bif_error_cause(p, AM_badarg, AM_badopt);
    int sig = ossig_number(args[0]);
    if (!sig || !ossig_set(sig, opt)) return bif_error(p, AM_badarg);
    return AM_ok;
}
