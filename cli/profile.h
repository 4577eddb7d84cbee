/*
 * profile.h - the command line's --profile options: set the profiler up
 * before the calls run, print the profile when the VM halts or the last
 * call returns (include/erbium/profiler.h does the work).
 */
#ifndef ERBIUM_CLI_PROFILE_H
#define ERBIUM_CLI_PROFILE_H

#include "erbium/vm.h"

#include <stdbool.h>

typedef struct ProfileOptions {
    unsigned kinds;         /* ErbProfKind bits; 0: no profiling */
    const char *pattern;    /* mod, mod:fun or mod:fun/arity; NULL: everything */
    const char *out_path;   /* NULL: stdout */
    int view;               /* ErbProfView */
    int format;             /* ErbProfFormat */
} ProfileOptions;

/* Help text for the options. */
extern const char profile_usage[];

/*
 * If argv[*i] is a profile option, consumes it (and its value) and returns
 * 1; returns 0 if it is not one; -1 (after a message on stderr) if its value
 * is bad.
 */
int profile_parse_option(ProfileOptions *o, int argc, char **argv, int *i);

/* Turns profiling on for the code about to run. 0, or -1 after a message. */
int profile_start(ErbVm *vm, ProfileOptions *o);
/* Prints the profile (if profiling is on). */
void profile_finish(ProfileOptions *o);

#endif
