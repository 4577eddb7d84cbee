/*
 * main.c - the `erbium` command: erl-compatible start-up flags on top of the
 * embedding API (include/erbium/vm.h).
 */
#include "cli/profile.h"
#include "erbium/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: erbium [options] -s Mod [Fun [Args...]] | -run Mod [Fun [Args...]] ...\n"
    "\n"
    "Runs Erlang code compiled by OTP 25's erlc (.beam files), like erl -noshell.\n"
    "\n"
    "  -s Mod [Fun [Args...]]    call Mod:Fun() (Fun defaults to start); with Args,\n"
    "                            call Mod:Fun([Arg, ...]) with the arguments as atoms\n"
    "  -run Mod [Fun [Args...]]  the same, with the arguments as strings\n"
    "  -pa Dir...                search these directories for <module>.beam, before\n"
    "                            the current directory and OTP's stdlib\n"
    "  +S N                      number of scheduler threads (default: one per core)\n"
    "  +SDcpu N                  dirty CPU scheduler threads (default: as many as +S)\n"
    "  +SDio N                   dirty I/O scheduler threads (default: 10)\n"
    "  -noshell                  accepted for erl compatibility (erbium has no shell)\n"
    "  -noinput                  standard input is not read by the I/O server `user`:\n"
    "                            it is the program's (open_port({fd, 0, 1}, ...))\n"
    "  -enable-feature F...      -disable-feature F...: as erl, for OTP's erl_features\n"
    "  --help                    this text\n"
    "%s"
    "\n"
    "Calls run in order, each in a new process. When the last one returns, erbium\n"
    "exits with status 0; erlang:halt(N) exits with status N at once. A call that\n"
    "raises an uncaught exception prints it to stderr and exits with status 1.\n"
    "Modules are loaded on first use. OTP's stdlib is found in /usr/lib/erlang/lib\n"
    "or $ERBIUM_OTP_LIB.\n";

typedef struct Call {
    const char *module, *function;
    ErbArgs kind;
    int argc;
    const char *const *argv;
} Call;

/* A flag for init:get_arguments/0: -Flag and the words after it. */
typedef struct Flag {
    const char *name;
    int argc;
    const char *const *argv;
} Flag;

typedef struct Options {
    ErbConfig cfg;
    Flag *flags;
    int num_flags;
    const char **paths;
    int num_paths;
    Call *calls;
    int num_calls;
    ProfileOptions profile;
} Options;

static int die(const char *msg, const char *arg)
{
    fprintf(stderr, "erbium: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "Try 'erbium --help'.\n");
    return 2;
}

static bool is_flag(const char *s) { return s[0] == '-' || s[0] == '+'; }

/* The count after a +S-style flag (erl's "N:M" form: N is used); -1 if bad. */
static int parse_count(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) return -1;
    char *end;
    long n = strtol(argv[++*i], &end, 10);
    if ((*end != '\0' && *end != ':') || n < 1 || n > 1024) return -1;
    return (int)n;
}

/* -s/-run Mod [Fun [Args...]]: consumes words up to the next flag. */
static int parse_call(Options *o, char **argv, int argc, int i, ErbArgs kind)
{
    if (i + 1 >= argc || is_flag(argv[i + 1])) return -1;
    Call c = {argv[i + 1], "start", ERB_ARGS_NONE, 0, NULL};
    int j = i + 2;
    if (j < argc && !is_flag(argv[j])) c.function = argv[j++];
    int first = j;
    while (j < argc && !is_flag(argv[j])) j++;
    if (j > first) {
        c.kind = kind;
        c.argc = j - first;
        c.argv = (const char *const *)argv + first;
    }
    o->calls[o->num_calls++] = c;
    return j - 1;
}

/* -Flag Words...: records the flag (name without its dash) and the words up to the next flag. */
static int parse_flag(Options *o, char **argv, int argc, int i)
{
    int j = i + 1;
    while (j < argc && !is_flag(argv[j])) j++;
    o->flags[o->num_flags++] = (Flag){argv[i] + 1, j - i - 1, (const char *const *)argv + i + 1};
    return j - 1;
}

static int parse(Options *o, int argc, char **argv)
{
    int rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-help")) {
            printf(usage, profile_usage);
            exit(0);
        } else if (!strcmp(a, "-s") || !strcmp(a, "-run")) {
            i = parse_call(o, argv, argc, i, a[1] == 's' ? ERB_ARGS_ATOMS : ERB_ARGS_STRINGS);
            if (i < 0) return die("a module name must follow", a);
        } else if (!strcmp(a, "-pa")) {
            int last = parse_flag(o, argv, argc, i);
            while (i < last) o->paths[o->num_paths++] = argv[++i];
        } else if (!strcmp(a, "-enable-feature") || !strcmp(a, "-disable-feature")) {
            i = parse_flag(o, argv, argc, i); /* for OTP's erl_features, through init:get_arguments/0 */
        } else if (!strcmp(a, "+S") || !strcmp(a, "+SDcpu") || !strcmp(a, "+SDio")) {
            int n = parse_count(argc, argv, &i);
            if (n < 0) return die("a thread count 1..1024 must follow", a);
            if (a[2] == '\0') o->cfg.schedulers = n;
            else if (a[3] == 'c') o->cfg.dirty_cpu = n;
            else o->cfg.dirty_io = n;
        } else if (!strcmp(a, "-noshell") || !strcmp(a, "-noinput")) {
            /* erbium never has a shell, but reports the flag; -noinput leaves fd 0 to the program */
            i = parse_flag(o, argv, argc, i);
        } else if ((rc = profile_parse_option(&o->profile, argc, argv, &i)) != 0) {
            if (rc < 0) return 2;
        } else {
            return die("unknown option", a);
        }
    }
    if (o->num_calls == 0) return die("nothing to run: give -s or -run", NULL);
    return 0;
}

/* What init:get_arguments/0 reports: progname and home, as erl adds them, then the flags in order. */
static void add_arguments(ErbVm *vm, const Options *o)
{
    const char *progname = "erbium", *home = getenv("HOME");
    erb_vm_add_argument(vm, "progname", 1, &progname);
    if (home) erb_vm_add_argument(vm, "home", 1, &home);
    for (int i = 0; i < o->num_flags; i++)
        erb_vm_add_argument(vm, o->flags[i].name, o->flags[i].argc, o->flags[i].argv);
}

int main(int argc, char **argv)
{
    Options o = {.cfg = erb_config_default()};
    o.paths = calloc((size_t)argc, sizeof *o.paths);
    o.calls = calloc((size_t)argc, sizeof *o.calls);
    o.flags = calloc((size_t)argc, sizeof *o.flags);
    if (!o.paths || !o.calls || !o.flags) return 1;
    int rc = parse(&o, argc, argv);
    if (rc != 0) return rc;

    char err[512];
    ErbVm *vm = erb_vm_create(&o.cfg, err, sizeof err);
    if (!vm) {
        fprintf(stderr, "erbium: %s\n", err);
        return 1;
    }
    for (int i = 0; i < o.num_paths; i++) erb_vm_add_path(vm, o.paths[i]);
    add_arguments(vm, &o);
    erb_vm_add_path(vm, ".");
    if (profile_start(vm, &o.profile) != 0) return 2;
    int status = 0;
    for (int i = 0; i < o.num_calls && status == 0; i++) {
        const Call *c = &o.calls[i];
        status = erb_vm_call(vm, c->module, c->function, c->kind, c->argc, c->argv);
    }
    profile_finish(&o.profile);
    erb_vm_destroy(vm);
    free(o.paths);
    free(o.calls);
    free(o.flags);
    return status;
}
