/*
 * port_open.c - open_port/2: its settings, and starting the child or taking
 * over the descriptors (see port.h).
 *
 * {spawn, Command} runs `/bin/sh -c "exec Command"` as OTP does (so a
 * missing command still opens a port, whose shell exits with 127);
 * {spawn_executable, File} runs File itself, and a failure to start it is
 * open_port's error (enoent, eacces, ...). Children are started with
 * posix_spawn, with pipes for their standard input and output (fds 3 and
 * 4 with nouse_stdio); the VM's ends are non-blocking and close on exec,
 * so no child inherits another port's pipe. {fd, In, Out} uses the
 * descriptors given: pipes and terminals are reopened through
 * /proc/self/fd to get a non-blocking description of their own (setting
 * O_NONBLOCK on the shared one would change it for the shell too);
 * regular files are read in turn by the poller.
 */
#define _GNU_SOURCE
#include "runtime/port/port.h"

#include "runtime/inet/inet.h"
#include "runtime/port/port_errno.h"
#include "runtime/port/port_trace_file.h"
#include "runtime/port/port_trace_ip.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/term/strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

enum { KIND_SPAWN, KIND_EXEC, KIND_FD, KIND_DRIVER };

typedef struct Spec {
    int kind;
    char *file;          /* command or executable */
    char **args;         /* {args, A} */
    size_t nargs;
    char *arg0;
    char **env;          /* "NAME=VALUE", or "NAME" to unset */
    size_t nenv;
    char *cd;
    int fd_in, fd_out;
    unsigned flags, line, packet;
    const PortDriver *drv; /* {spawn_driver, Name} */
} Spec;

/* ---- terms to C strings ---- */

/* A string (characters as UTF-8), binary or atom as a malloc'ed C string; NULL if t is none
   or holds a NUL. */
static char *cstring(Term t)
{
    StrBuf sb;
    sb_init(&sb);
    if (is_atom(t)) {
        sb_put(&sb, atom_text(t), atom_len(t));
    } else if (is_bitstring(t)) {
        const uint8_t *d;
        size_t n;
        if (!binary_bytes(t, &d, &n)) goto bad;
        sb_put(&sb, (const char *)d, n);
    } else if (!sb_put_string(&sb, t)) {
        goto bad;
    }
    sb_putc(&sb, '\0');
    if (strlen(sb.data) != sb.len - 1) goto bad;
    return sb.data;
bad:
    sb_free(&sb);
    return NULL;
}

static void push(char ***v, size_t *n, char *s)
{
    *v = realloc(*v, (*n + 2) * sizeof **v);
    if (!*v) abort();
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

static void spec_free(Spec *s)
{
    free(s->file);
    for (size_t i = 0; i < s->nargs; i++) free(s->args[i]);
    free(s->args);
    free(s->arg0);
    for (size_t i = 0; i < s->nenv; i++) free(s->env[i]);
    free(s->env);
    free(s->cd);
}

/* ---- settings ---- */

static bool parse_args(Spec *s, Term list)
{
    for (; is_list(list); list = list_tail(list)) {
        char *a = cstring(list_head(list));
        if (!a) return false;
        push(&s->args, &s->nargs, a);
    }
    return is_nil(list);
}

static bool parse_env(Spec *s, Term list)
{
    for (; is_list(list); list = list_tail(list)) {
        Term e = list_head(list);
        if (!is_tuple(e) || tuple_arity(e) != 2) return false;
        char *name = cstring(tuple_elems(e)[0]);
        Term v = tuple_elems(e)[1];
        char *value = v == AM_false ? NULL : cstring(v);
        if (!name || !*name || strchr(name, '=') || (v != AM_false && !value)) {
            free(name);
            free(value);
            return false;
        }
        StrBuf sb;
        sb_init(&sb);
        sb_puts(&sb, name);
        if (value) sb_printf(&sb, "=%s", value);
        free(name);
        free(value);
        push(&s->env, &s->nenv, sb.data);
    }
    return is_nil(list);
}

static const struct {
    const Term *atom;
    unsigned flag;
} flag_opts[] = {
    {&AM_binary, PORT_BINARY},
    {&AM_eof, PORT_EOF},
    {&AM_exit_status, PORT_EXIT_STATUS},
    {&AM_in, PORT_IN},
    {&AM_out, PORT_OUT},
    {&AM_stderr_to_stdout, PORT_STDERR_TO_STDOUT},
    {&AM_nouse_stdio, PORT_NOUSE_STDIO},
    {&AM_use_stdio, 0},
    {&AM_hide, 0},
    {&AM_overlapped_io, 0},
    {&AM_stream, 0},
};

static bool parse_tuple_opt(Spec *s, Term key, Term v)
{
    if (key == AM_packet) {
        if (v != make_small(1) && v != make_small(2) && v != make_small(4)) return false;
        s->packet = (unsigned)small_val(v);
        s->line = 0;
        return true;
    }
    if (key == AM_line) {
        if (!is_small(v) || small_val(v) <= 0) return false;
        s->line = (unsigned)small_val(v);
        s->packet = 0;
        return true;
    }
    if (key == AM_args) return parse_args(s, v);
    if (key == AM_env) return parse_env(s, v);
    if (key == AM_arg0) return free(s->arg0), (s->arg0 = cstring(v)) != NULL;
    if (key == AM_cd) return free(s->cd), (s->cd = cstring(v)) != NULL;
    if (key == AM_parallelism) return v == AM_true || v == AM_false;
    return false;
}

static bool parse_settings(Spec *s, Term list)
{
    for (; is_list(list); list = list_tail(list)) {
        Term o = list_head(list);
        bool ok = false;
        for (size_t i = 0; i < sizeof flag_opts / sizeof flag_opts[0] && !ok; i++)
            if (o == *flag_opts[i].atom) {
                s->flags |= flag_opts[i].flag;
                if (o == AM_stream) s->line = s->packet = 0;
                ok = true;
            }
        if (!ok && is_tuple(o) && tuple_arity(o) == 2) ok = parse_tuple_opt(s, tuple_elems(o)[0], tuple_elems(o)[1]);
        if (!ok) return false;
    }
    if (!is_nil(list)) return false;
    if (!(s->flags & (PORT_IN | PORT_OUT))) s->flags |= PORT_IN | PORT_OUT;
    return true;
}

/*
 * Drivers OTP has built in and erbium has not: tty_sl, the line editor
 * user_drv opens for an interactive shell, and ram_file_drv (file:open with
 * ram). A spawn of one fails to open, as OTP's does when the driver cannot
 * start (tty_sl without a terminal: user_drv then falls back to the plain
 * shell on stdin), instead of running the driver's name as a command.
 */
static bool is_missing_driver(const char *command)
{
    static const char *const names[] = {"tty_sl", "ram_file_drv"};
    size_t len = strcspn(command, " ");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == len && !strncmp(command, names[i], len)) return true;
    return false;
}

static bool parse_name(Spec *s, Term name)
{
    if (!is_tuple(name) || tuple_arity(name) != 2) return false;
    Term kind = tuple_elems(name)[0], v = tuple_elems(name)[1];
    s->kind = kind == AM_spawn ? KIND_SPAWN : kind == AM_spawn_executable ? KIND_EXEC
              : kind == AM_spawn_driver                                   ? KIND_DRIVER
                                                                          : -1;
    if (s->kind < 0 || (s->kind != KIND_EXEC && is_bitstring(v))) return false;
    s->file = cstring(v);
    if (s->kind == KIND_DRIVER && s->file) s->drv = inet_driver(s->file);
    if (s->kind != KIND_EXEC && s->file && !s->drv &&
        ((s->drv = port_trace_driver(s->file)) || (s->drv = port_trace_ip_driver(s->file))))
        s->kind = KIND_DRIVER;
    if (s->kind == KIND_SPAWN && s->file && is_missing_driver(s->file)) return false;
    return s->file && *s->file && (s->kind != KIND_DRIVER || s->drv);
}

static bool parse_fd_name(Spec *s, Term name)
{
    if (!is_tuple(name) || tuple_arity(name) != 3 || tuple_elems(name)[0] != AM_fd) return false;
    Term in = tuple_elems(name)[1], out = tuple_elems(name)[2];
    if (!is_small(in) || !is_small(out) || small_val(in) < 0 || small_val(out) < 0 || small_val(in) > INT32_MAX ||
        small_val(out) > INT32_MAX)
        return false;
    s->kind = KIND_FD;
    s->fd_in = (int)small_val(in);
    s->fd_out = (int)small_val(out);
    return true;
}

/* ---- starting ---- */

static Port *port_new(const Spec *s, char *name)
{
    Port *p = calloc(1, sizeof *p);
    if (!p) abort();
    p->flush_reply = NIL;
    /* adaptive: the lock is held briefly (one read or write), and the poller and the
       owner's scheduler take it in turn on every round trip; spinning a little beats
       sleeping in the kernel and being woken */
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
    pthread_mutex_init(&p->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    p->doom = THE_NON_VALUE;
    p->flags = s->flags;
    p->line = s->line;
    p->packet = s->packet;
    p->in_fd = p->out_fd = -1;
    p->name = name;
    return p;
}

/* The environment for the child: ours with the {env, _} changes. */
static char **child_env(const Spec *s)
{
    char **env = NULL;
    size_t n = 0;
    for (char **e = environ; *e; e++) {
        bool replaced = false;
        for (size_t i = 0; i < s->nenv && !replaced; i++) {
            size_t len = strcspn(s->env[i], "=");
            replaced = !strncmp(*e, s->env[i], len) && (*e)[len] == '=';
        }
        if (!replaced) push(&env, &n, *e);
    }
    for (size_t i = 0; i < s->nenv; i++)
        if (strchr(s->env[i], '=')) push(&env, &n, s->env[i]);
    if (!env && !(env = calloc(1, sizeof *env))) abort();
    return env;
}

static void nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/*
 * A {spawn, Command} whose words the shell would take as they are (no quotes, variables,
 * globs, redirections or assignments; spaces between words) and which leaves PATH alone:
 * `sh -c "exec Command"` then runs what posix_spawnp runs, with the same arguments, so the
 * shell is skipped (os:cmd starts one per call). Anything else, or a start that fails (a
 * missing command, a script without #!), goes through the shell as before.
 */
static bool plain_command(const Spec *s)
{
    const char *c = s->file;
    if (!*c || *c == ' ') return false;
    for (; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("/._-+:, ", *c)) return false;
    if (strstr(s->file, "  ") || c[-1] == ' ') return false;
    for (size_t i = 0; i < s->nenv; i++)
        if (!strncmp(s->env[i], "PATH", 4) && (s->env[i][4] == '=' || !s->env[i][4])) return false;
    return true;
}

/* Starts the child with pipes; returns 0 or an errno value. */
static int start_child(Port *p, const Spec *s)
{
    int to_child[2] = {-1, -1}, from_child[2] = {-1, -1};
    bool in = s->flags & PORT_IN, out = s->flags & PORT_OUT;
    if ((out && pipe2(to_child, O_CLOEXEC) < 0) || (in && pipe2(from_child, O_CLOEXEC) < 0)) {
        int err = errno;
        if (to_child[0] >= 0) close(to_child[0]), close(to_child[1]);
        return err;
    }
    int cin = s->flags & PORT_NOUSE_STDIO ? 3 : 0, cout = s->flags & PORT_NOUSE_STDIO ? 4 : 1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (out) posix_spawn_file_actions_adddup2(&fa, to_child[0], cin);
    else posix_spawn_file_actions_addopen(&fa, cin, "/dev/null", O_RDONLY, 0);
    if (in) posix_spawn_file_actions_adddup2(&fa, from_child[1], cout);
    else posix_spawn_file_actions_addopen(&fa, cout, "/dev/null", O_WRONLY, 0);
    if (s->flags & PORT_STDERR_TO_STDOUT) posix_spawn_file_actions_adddup2(&fa, cout, 2);
    if (s->cd) posix_spawn_file_actions_addchdir_np(&fa, s->cd);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);

    char **argv = NULL, *shell_cmd = NULL;
    size_t argc = 0;
    char **env = child_env(s);
    pid_t pid;
    int err;
    char *words = s->kind == KIND_SPAWN && plain_command(s) ? strdup(s->file) : NULL;
    if (words) { /* what `exec` would run, without the shell (the shell's way if that fails) */
        for (char *w = strtok(words, " "); w; w = strtok(NULL, " ")) push(&argv, &argc, w);
        err = posix_spawnp(&pid, argv[0], &fa, &attr, argv, env);
        free(argv);
        argv = NULL;
        argc = 0;
        free(words);
        if (!err) goto started;
    }
    const char *path = s->file;
    if (s->kind == KIND_SPAWN) {
        if (asprintf(&shell_cmd, "exec %s", s->file) < 0) abort();
        path = "/bin/sh";
        push(&argv, &argc, "sh");
        push(&argv, &argc, "-c");
        push(&argv, &argc, shell_cmd);
    } else {
        push(&argv, &argc, s->arg0 ? s->arg0 : s->file);
        for (size_t i = 0; i < s->nargs; i++) push(&argv, &argc, s->args[i]);
    }
    err = posix_spawn(&pid, path, &fa, &attr, argv, env);
started:
    free(env);
    free(argv);
    free(shell_cmd);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (out) close(to_child[0]);
    if (in) close(from_child[1]);
    if (err) {
        if (out) close(to_child[1]);
        if (in) close(from_child[0]);
        return err;
    }
    p->in_fd = in ? from_child[0] : -1;
    p->out_fd = out ? to_child[1] : -1;
    p->own_in = p->own_out = true;
    if (in) nonblocking(p->in_fd);
    if (out) nonblocking(p->out_fd);
    p->os_pid = pid;
    p->child_running = true;
    return 0;
}

/* A descriptor of {fd, In, Out}: its own non-blocking description when it is a pipe, FIFO or
   terminal; the descriptor itself otherwise. -1 if fd is not open. */
static int take_fd(int fd, bool writing, bool *own)
{
    struct stat st;
    *own = false;
    if (fstat(fd, &st) < 0) return -1;
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        int nfd = open(path, (writing ? O_WRONLY : O_RDONLY) | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (nfd >= 0) {
            *own = true;
            return nfd;
        }
    }
    return fd;
}

static int take_fds(Port *p, const Spec *s)
{
    bool in = s->flags & PORT_IN, out = s->flags & PORT_OUT;
    if (in && (p->in_fd = take_fd(s->fd_in, false, &p->own_in)) < 0) return EBADF;
    if (out && (p->out_fd = take_fd(s->fd_out, true, &p->own_out)) < 0) {
        if (p->own_in) close(p->in_fd);
        p->in_fd = -1;
        return EBADF;
    }
    return 0;
}

static void start_polling(Port *p)
{
    if (p->in_fd >= 0 && !port_poll_add(p, p->in_fd, false)) port_poll_read_in_turn(p);
    if (p->out_fd >= 0) port_poll_add(p, p->out_fd, true);
    if (p->os_pid) port_poll_watch_child(p, p->os_pid);
}

static char *port_name(const Spec *s)
{
    if (s->kind != KIND_FD) return strdup(s->file);
    char *name;
    if (asprintf(&name, "%d/%d", s->fd_in, s->fd_out) < 0) abort();
    return name;
}

Port *port_open_driver(const PortDriver *drv, Term owner) { return port_open_driver_as(drv, owner, drv->name); }

Port *port_open_driver_as(const PortDriver *drv, Term owner, const char *name)
{
    if (port_poll_start() != 0) return NULL;
    Spec s = {.flags = PORT_IN | PORT_OUT | PORT_BINARY};
    Port *p = port_new(&s, strdup(name));
    if (!p->name) abort();
    p->drv = drv;
    if (!drv->start(p)) {
        free(p->name);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
    }
    p->owner = owner;
    port_add_link(p, owner);
    port_table_insert(p);
    pthread_mutex_lock(&p->lock);
    if (drv->opened) drv->opened(p);
    return p;
}

Port *port_open(Process *owner, Term name, Term settings, Term *reason, bool *badopt)
{
    Spec s = {0};
    *badopt = false;
    *reason = AM_badarg;
    if (!parse_fd_name(&s, name) && !parse_name(&s, name)) {
        spec_free(&s);
        return NULL;
    }
    if (!parse_settings(&s, settings)) {
        *badopt = true;
        spec_free(&s);
        return NULL;
    }
    if (s.kind == KIND_DRIVER) { /* the driver's own options decide its modes */
        errno = 0;
        Port *p = port_open_driver_as(s.drv, owner->pid, s.file);
        /* a trace driver's start fails as OTP's: its posix error, or badarg for bad arguments */
        bool trace = s.drv == port_trace_driver(s.file) || s.drv == port_trace_ip_driver(s.file);
        if (!p) *reason = !trace ? AM_system_limit : errno ? port_errno_atom(errno) : AM_badarg;
        spec_free(&s);
        return p;
    }
    if (port_poll_start() != 0) {
        *reason = AM_system_limit;
        spec_free(&s);
        return NULL;
    }
    Port *p = port_new(&s, port_name(&s));
    int err = s.kind == KIND_FD ? take_fds(p, &s) : start_child(p, &s);
    if (err) {
        *reason = err == EBADF && s.kind == KIND_FD ? AM_badarg : port_errno_atom(err);
        spec_free(&s);
        free(p->name);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
    }
    spec_free(&s);
    p->owner = owner->pid;
    port_add_link(p, owner->pid);
    port_table_insert(p);
    pthread_mutex_lock(&p->lock);
    start_polling(p);
    return p;
}
