/* profile.c - the command line's --profile options (see profile.h). */
#include "cli/profile.h"

#include "erbium/profiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char profile_usage[] =
    "  --profile call_count|call_time|call_memory|sample\n"
    "                            profile the run: exact calls per function\n"
    "                            (call_count), or calls and own time per function\n"
    "                            and process (call_time, every process traced), or\n"
    "                            calls and own heap words (call_memory, as OTP 26+),\n"
    "                            or call stacks sampled on every scheduler (sample);\n"
    "                            the profile is printed when the VM halts\n"
    "  --profile-rate HZ         samples per second per scheduler (default 997)\n"
    "  --profile-waiting         sample processes waiting in receive too\n"
    "  --profile-pattern P       only functions matching P: Mod, Mod:Fun or\n"
    "                            Mod:Fun/Arity (default: every function)\n"
    "  --profile-by V            function (default), process or scheduler\n"
    "  --profile-format F        table (default, like OTP's tprof), json, folded\n"
    "                            (flamegraph.pl's input), speedscope or pprof\n"
    "  --profile-out FILE        write the profile to FILE instead of stdout\n"
    "  --profile-boot            profile OTP's boot too (default: from the first\n"
    "                            -s/-run/-eval item to the halt)\n";

/* Index of s in names (NULL-terminated), or -1. */
static int lookup(const char *s, const char *const *names)
{
    for (int k = 0; names[k]; k++)
        if (!strcmp(s, names[k])) return k;
    return -1;
}

#define PROFILE_DEFAULT_RATE 997 /* a prime: ticks do not line up with millisecond timers */

static int bad(const char *opt, const char *value)
{
    fprintf(stderr, "erbium: bad value for %s: %s\nTry 'erbium --help'.\n", opt, value ? value : "(missing)");
    return -1;
}

int profile_parse_option(ProfileOptions *o, int argc, char **argv, int *i)
{
    static const char *const options[] = {"--profile",      "--profile-pattern", "--profile-by",
                                          "--profile-format", "--profile-out",     "--profile-boot",
                                          "--profile-waiting", "--profile-rate",   NULL};
    static const char *const kinds[] = {"call_count", "call_time", "sample", "call_memory", NULL};
    static const unsigned kind_bits[] = {ERB_PROF_CALL_COUNT, ERB_PROF_CALL_TIME, 0, ERB_PROF_CALL_MEMORY};
    static const char *const views[] = {"function", "process", "scheduler", NULL};
    static const char *const formats[] = {"table", "json", "folded", "speedscope", "pprof", NULL};
    int which = lookup(argv[*i], options);
    if (which < 0) return 0;
    if (which == 5 || which == 6) {
        if (which == 5) o->boot = true;
        else o->waiting = true;
        return 1;
    }
    const char *opt = argv[*i], *value = *i + 1 < argc ? argv[++*i] : NULL;
    if (!value) return bad(opt, value);
    int k;
    switch (which) {
    case 0:
        if ((k = lookup(value, kinds)) < 0) return bad(opt, value);
        o->sample = k == 2;
        o->kinds = kind_bits[k];
        break;
    case 1: o->pattern = value; break;
    case 2:
        if ((o->view = lookup(value, views)) < 0) return bad(opt, value);
        break;
    case 3:
        if ((o->format = lookup(value, formats)) < 0) return bad(opt, value);
        break;
    case 4: o->out_path = value; break;
    default: {
        char *end;
        long hz = strtol(value, &end, 10);
        if (*end || end == value || hz < 1 || hz > 100000) return bad(opt, value);
        o->rate = (unsigned)hz;
        break;
    }
    }
    return 1;
}

/* Splits "Mod[:Fun[/Arity]]" into buf (modified); -1 if malformed. */
static int split_pattern(char *buf, const char **mod, const char **fun, int *arity)
{
    *mod = buf;
    *fun = NULL;
    *arity = -1;
    char *colon = strchr(buf, ':');
    if (colon) {
        *colon = '\0';
        *fun = colon + 1;
        char *slash = strchr(colon + 1, '/');
        if (slash) {
            *slash = '\0';
            char *end;
            long a = strtol(slash + 1, &end, 10);
            if (*end || slash[1] == '\0' || a < 0 || a > 255) return -1;
            *arity = (int)a;
        }
        if (**fun == '\0') return -1;
    }
    return **mod ? 0 : -1;
}

static void print_at_halt(void *ctx) { profile_finish(ctx); }

/* Sets the patterns: for code loaded from now on, and for what is loaded already. */
static int set_patterns(ProfileOptions *o)
{
    const char *mod = NULL, *fun = NULL;
    int arity = -1;
    char *buf = o->pattern ? strdup(o->pattern) : NULL;
    if (o->pattern && (!buf || split_pattern(buf, &mod, &fun, &arity) != 0)) {
        free(buf);
        return -1;
    }
    int rc = erb_prof_set_on_load(mod, fun, arity, o->kinds);
    if (rc == 0) rc = erb_prof_set(mod, fun, arity, o->kinds, ERB_PROF_ON, false) < 0 ? -1 : 0;
    free(buf);
    if (rc == 0 && (o->kinds & (ERB_PROF_CALL_TIME | ERB_PROF_CALL_MEMORY))) erb_prof_trace_processes(true);
    return rc;
}

/* Starts what the options ask for: patterns for kinds, or the sampler. */
static int start_profiling(ProfileOptions *o)
{
    if (o->sample) return erb_prof_sample_start(o->rate ? o->rate : PROFILE_DEFAULT_RATE, o->waiting);
    return set_patterns(o);
}

static void start_at_program(void *ctx) { start_profiling(ctx); }

int profile_start(ErbVm *vm, ProfileOptions *o)
{
    if (!o->kinds && !o->sample) return 0;
    if (o->pattern) { /* checked now, so that a bad pattern stops the command before the boot */
        const char *mod, *fun;
        int arity;
        char *buf = strdup(o->pattern);
        int rc = buf ? split_pattern(buf, &mod, &fun, &arity) : -1;
        free(buf);
        if (rc != 0) return bad("--profile-pattern", o->pattern);
    }
    if (o->boot) {
        if (start_profiling(o) != 0) return bad("--profile-pattern", o->pattern);
    } else {
        erb_vm_on_program_start(vm, start_at_program, o);
    }
    erb_vm_on_halt(vm, print_at_halt, o);
    return 0;
}

void profile_finish(ProfileOptions *o)
{
    if (!o->kinds && !o->sample) return;
    if (o->sample) erb_prof_sample_stop();
    FILE *out = o->out_path ? fopen(o->out_path, "w") : stdout;
    if (!out) {
        perror(o->out_path);
        return;
    }
    int rc = o->sample ? erb_prof_sample_report(out, (ErbProfView)o->view, (ErbProfFormat)o->format)
                       : erb_prof_report(out, (ErbProfView)o->view, (ErbProfFormat)o->format);
    if (rc != 0)
        fprintf(stderr, "erbium: could not write the profile\n");
    if (out != stdout) fclose(out);
    else fflush(stdout);
}
