/*
 * os_signal.c - OS signals delivered as events to erl_signal_server (see os_signal.h).
 */
#include "runtime/os/os_signal.h"

#include "runtime/proc/registry.h"
#include "runtime/term/atom.h"
#include "runtime/proc/signal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* The signals os:set_signal/2 takes, with their event names. */
static const struct {
    int signo;
    const char *name;
} ossig_table[] = {
    {SIGHUP, "sighup"},   {SIGQUIT, "sigquit"}, {SIGABRT, "sigabrt"}, {SIGALRM, "sigalrm"}, {SIGTERM, "sigterm"},
    {SIGUSR1, "sigusr1"}, {SIGUSR2, "sigusr2"}, {SIGCHLD, "sigchld"}, {SIGSTOP, "sigstop"}, {SIGTSTP, "sigtstp"},
};
#define OSSIG_COUNT (sizeof ossig_table / sizeof ossig_table[0])

/* The pipe from the handlers to the dispatcher: [0] read, [1] write (non-blocking: a full
   pipe drops the signal rather than blocking a thread inside a handler). */
static int ossig_pipe[2] = {-1, -1};
static pthread_once_t ossig_once = PTHREAD_ONCE_INIT;
static bool ossig_running;

static void ossig_handler(int signo, siginfo_t *info, void *context)
{
    (void)context;
    /* OTP's port programs are children of erl_child_setup, not of the VM, so OTP never sees
       their SIGCHLD: only one sent with kill() or sigqueue() is an event */
    if (signo == SIGCHLD && info->si_code != SI_USER && info->si_code != SI_QUEUE) return;
    int saved = errno; /* the interrupted code may look at errno right after */
    unsigned char byte = (unsigned char)signo;
    ssize_t written = write(ossig_pipe[1], &byte, 1); /* a full pipe drops the signal */
    (void)written;
    errno = saved;
}

/* {notify, Name} to erl_signal_server, as gen_event:notify/2 sends it. */
static void ossig_deliver(int signo)
{
    for (size_t i = 0; i < OSSIG_COUNT; i++) {
        if (ossig_table[i].signo != signo) continue;
        Term server = reg_whereis(atom_put("erl_signal_server", 17));
        if (!is_pid(server)) return;
        Term event = atom_put(ossig_table[i].name, strlen(ossig_table[i].name));
        Term msg[3] = {make_tuple_header(2), atom_put("notify", 6), event};
        signal_post(SIG_MESSAGE, server, server, make_boxed(msg), false);
        return;
    }
}

static void *ossig_dispatch(void *arg)
{
    (void)arg;
    unsigned char byte;
    for (;;) {
        ssize_t n = read(ossig_pipe[0], &byte, 1);
        if (n == 1) ossig_deliver(byte);
        else if (n < 0 && errno != EINTR) return NULL;
    }
}

static void ossig_start_once(void)
{
    if (pipe(ossig_pipe) != 0) return;
    fcntl(ossig_pipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(ossig_pipe[1], F_SETFD, FD_CLOEXEC);
    fcntl(ossig_pipe[1], F_SETFL, O_NONBLOCK);
    /* the dispatcher takes no signal itself: a handler never runs while it holds a lock */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pthread_t t;
    ossig_running = pthread_create(&t, NULL, ossig_dispatch, NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (ossig_running) pthread_detach(t);
}

static bool ossig_ready(void)
{
    pthread_once(&ossig_once, ossig_start_once);
    return ossig_running;
}

bool ossig_start(void)
{
    if (!ossig_ready()) return false;
    ossig_set(SIGTERM, AM_handle);
    ossig_set(SIGQUIT, AM_handle);
    ossig_set(SIGUSR1, AM_handle);
    return true;
}

int ossig_number(Term name)
{
    for (size_t i = 0; i < OSSIG_COUNT; i++)
        if (name == atom_put(ossig_table[i].name, strlen(ossig_table[i].name))) return ossig_table[i].signo;
    return 0;
}

bool ossig_set(int signo, Term how)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    if (how == AM_handle) {
        if (!ossig_ready()) return false;
        sa.sa_sigaction = ossig_handler;
        sa.sa_flags = SA_RESTART | SA_SIGINFO;
    } else if (how == AM_ignore) {
        sa.sa_handler = SIG_IGN;
    } else if (how == AM_default) {
        sa.sa_handler = SIG_DFL;
    } else {
        return false;
    }
    sigaction(signo, &sa, NULL); /* SIGSTOP refuses any: os:set_signal still says ok, as OTP's */
    return true;
}
