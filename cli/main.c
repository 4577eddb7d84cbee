/*
 * main.c - the `erbium` command: erl's command line. Emulator flags (+S,
 * +SDcpu, +SDio, ...) and erbium's own --profile options are taken here;
 * every other argument goes, in order, to OTP's init, which the VM boots
 * (include/erbium/vm.h) exactly as erl's emulator does.
 */
#include "cli/logpoint.h"
#include "cli/profile.h"
#include "erbium/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: erbium [emulator flags] [erl arguments]\n"
    "\n"
    "Runs OTP 25 as erl does: boots OTP's init, kernel and stdlib from the\n"
    "installed Erlang and takes erl's arguments, among them:\n"
    "\n"
    "  -noshell                  no shell: the node runs the -s/-run/-eval items\n"
    "  -s Mod [Fun [Args...]]    call Mod:Fun() (Fun defaults to start); with Args,\n"
    "                            Mod:Fun([Arg, ...]) with the arguments as atoms\n"
    "  -run Mod [Fun [Args...]]  the same, with the arguments as strings\n"
    "  -eval Expr                evaluate the expression\n"
    "  -pa Dir... / -pz Dir...   add directories to the front / end of the code path\n"
    "  -boot File, -config File, -App Key Value, -extra Args...: as erl\n"
    "  -env Var Value            set an environment variable (as erlexec does)\n"
    "\n"
    "The node keeps running after the last item, as erl's does: end with\n"
    "-s init stop or erlang:halt(). Emulator flags:\n"
    "\n"
    "  +S N                      scheduler threads (default: one per core)\n"
    "  +SDcpu N                  dirty CPU scheduler threads (default: as many as +S)\n"
    "  +SDio N                   dirty I/O scheduler threads (default: 10)\n"
    "  +D                        debugging support: line breakpoint sites and\n"
    "                            erl_debugger (OTP 28's interface)\n"
    "  +P N, +A N, +K B, ...     other emulator flags take one value; erbium\n"
    "                            accepts them and sizes itself\n"
    "  --help                    this text\n"
    "%s%s";

typedef struct Options {
    ErbConfig cfg;
    const char **erl_args; /* what goes to init, in order */
    int num_erl_args;
    ProfileOptions profile;
    LogpointOptions breaks;
} Options;

static int die(const char *msg, const char *arg)
{
    fprintf(stderr, "erbium: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "Try 'erbium --help'.\n");
    return 2;
}

/* The count after a +S-style flag (erl's "N:M" form: N is used); -1 if bad. */
static int parse_count(const char *word)
{
    char *end;
    long n = strtol(word, &end, 10);
    if ((*end != '\0' && *end != ':') || n < 1 || n > 1024) return -1;
    return (int)n;
}

/* erl's emulator flags that take no value: +B[c|d|i] (break handling), +d (no
   core dump), +fn... (file name encoding), +r, +v. erbium has nothing to set. */
static bool flag_without_value(const char *flag)
{
    static const char *const alone[] = {"+B", "+Bc", "+Bd", "+Bi", "+d", "+r", "+v"};
    for (size_t k = 0; k < sizeof alone / sizeof alone[0]; k++)
        if (!strcmp(flag, alone[k])) return true;
    return !strncmp(flag, "+fn", 3);
}

/* erl +V and -version: the emulator version on stderr, then exit. */
static void print_version(void)
{
    const char *v = erb_emulator_version();
    fprintf(stderr, "Erlang (SMP,ASYNC_THREADS) (erbium) emulator version %s\n", v ? v : "unknown");
    exit(0);
}

/* An emulator flag "+X Value" (or one of the flags without a value) at
   argv[*i]; returns 0, or 2 after a message. */
static int parse_emulator_flag(Options *o, int argc, char **argv, int *i)
{
    const char *flag = argv[*i];
    if (!strcmp(flag, "+V")) print_version();
    if (flag_without_value(flag)) return 0;
    if (*i + 1 >= argc) return die("a value must follow", flag);
    const char *value = argv[++*i];
    bool threads = !strcmp(flag, "+S") || !strcmp(flag, "+SDcpu") || !strcmp(flag, "+SDio");
    if (!threads) return 0; /* +P, +A, +K...: erbium sizes these itself */
    int n = parse_count(value);
    if (n < 0) return die("a thread count 1..1024 must follow", flag);
    if (flag[2] == '\0') o->cfg.schedulers = n;
    else if (flag[3] == 'c') o->cfg.dirty_cpu = n;
    else o->cfg.dirty_io = n;
    return 0;
}

static int parse(Options *o, int argc, char **argv)
{
    int rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-extra")) { /* the rest is the program's, untouched */
            while (i < argc) o->erl_args[o->num_erl_args++] = argv[i++];
            break;
        }
        if (!strcmp(a, "-version")) print_version(); /* erlexec's: as +V */
        if (!strcmp(a, "--help") || !strcmp(a, "-help")) {
            printf(usage, profile_usage, logpoint_usage);
            exit(0);
        } else if (!strcmp(a, "-env")) { /* erlexec's: sets the variable, init never sees it */
            if (i + 2 >= argc) return die("a variable and a value must follow", a);
            setenv(argv[i + 1], argv[i + 2], 1);
            i += 2;
        } else if (!strcmp(a, "+D")) { /* as OTP 28's: debugging support (erl_debugger) */
            o->cfg.debugger = true;
        } else if (a[0] == '+' && a[1] != '\0') {
            if ((rc = parse_emulator_flag(o, argc, argv, &i)) != 0) return rc;
        } else if ((rc = profile_parse_option(&o->profile, argc, argv, &i)) != 0 ||
                   (rc = logpoint_parse_option(&o->breaks, &o->cfg, argc, argv, &i)) != 0) {
            if (rc < 0) return 2;
        } else {
            if (!strcmp(a, "-noinput")) o->erl_args[o->num_erl_args++] = "-noshell"; /* erlexec's rule */
            o->erl_args[o->num_erl_args++] = a;
        }
    }
    return 0;
}

/* The number of whitespace-separated words in text (NULL: none). */
static int count_words(const char *text)
{
    int n = 0;
    for (const char *c = text ? text : ""; *c;) {
        c += strspn(c, " \t\n");
        if (*c) n++;
        c += strcspn(c, " \t\n");
    }
    return n;
}

/* Appends text's words to v[*n...] (room for them is the caller's). */
static void add_words(char **v, int *n, const char *text)
{
    if (!text) return;
    char *copy = strdup(text); /* kept: the words are arguments until exit */
    if (!copy) exit(1);
    for (char *w = strtok(copy, " \t\n"); w; w = strtok(NULL, " \t\n")) v[(*n)++] = w;
}

/*
 * The command line as erlexec builds it: $ERL_AFLAGS first, then the
 * arguments, then $ERL_FLAGS and $ERL_ZFLAGS (before a -extra, which keeps
 * the rest of the line the program's).
 */
static char **with_env_flags(int argc, char **argv, int *out_argc)
{
    const char *a = getenv("ERL_AFLAGS"), *f = getenv("ERL_FLAGS"), *z = getenv("ERL_ZFLAGS");
    char **v = calloc((size_t)(argc + count_words(a) + count_words(f) + count_words(z)) + 1, sizeof *v);
    if (!v) exit(1);
    int n = 0, extra = 1;
    while (extra < argc && strcmp(argv[extra], "-extra")) extra++;
    v[n++] = argv[0];
    add_words(v, &n, a);
    for (int i = 1; i < extra; i++) v[n++] = argv[i];
    add_words(v, &n, f);
    add_words(v, &n, z);
    for (int i = extra; i < argc; i++) v[n++] = argv[i];
    *out_argc = n;
    return v;
}

int main(int argc, char **argv)
{
    Options o = {.cfg = erb_config_default()};
    argv = with_env_flags(argc, argv, &argc);
    o.erl_args = calloc((size_t)argc * 2, sizeof *o.erl_args); /* -noinput adds -noshell */
    if (!o.erl_args) return 1;
    int rc = parse(&o, argc, argv);
    if (rc != 0) return rc;

    char err[512];
    ErbVm *vm = erb_vm_create(&o.cfg, err, sizeof err);
    if (!vm) {
        fprintf(stderr, "erbium: %s\n", err);
        return 1;
    }
    if (profile_start(vm, &o.profile) != 0) return 2;
    logpoint_start(vm, &o.breaks);
    if (erb_vm_boot(vm, o.num_erl_args, o.erl_args, err, sizeof err) != 0) {
        fprintf(stderr, "erbium: %s\n", err);
        return 1;
    }
    erb_vm_wait(vm);
}
