/*
 * os_info.c - the process and the OS: os:getpid/0 and os:set_signal/2
 */
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The signals OTP lets a program set. */
static int signal_number(Term a)
{
    if (a == AM_sighup) return SIGHUP;
    if (a == AM_sigquit) return SIGQUIT;
    if (a == AM_sigabrt) return SIGABRT;
    if (a == AM_sigalrm) return SIGALRM;
    if (a == AM_sigterm) return SIGTERM;
    if (a == AM_sigusr1) return SIGUSR1;
    if (a == AM_sigusr2) return SIGUSR2;
    if (a == AM_sigchld) return SIGCHLD;
    if (a == AM_sigstop) return SIGSTOP;
    if (a == AM_sigtstp) return SIGTSTP;
    return 0;
}

/*
 * default and ignore set the OS disposition. handle (OTP delivers the
 * signal as a message to erl_signal_server, which erbium does not run) is
 * badarg here.
 */
Term bif_os_set_signal_2(Process *p, const Term *args)
{
    int sig = signal_number(args[0]);
    Term opt = args[1];
    if (!sig || (opt != AM_default && opt != AM_ignore)) return bif_error(p, AM_badarg);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = opt == AM_ignore ? SIG_IGN : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    if (sig != SIGSTOP) sigaction(sig, &sa, NULL);
    return AM_ok;
}
