/*
 * profile.h - the command line's --profile options: start the profiler
 * when the program starts (its first -s/-run/-eval item) or with the VM
 * (--profile-boot), print the profile when the VM halts
 * (include/erbium/profiler.h does the work).
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
    bool boot;              /* --profile-boot: from the VM's start, not the program's */
    bool sample;            /* --profile sample: stack sampling instead of kinds */
    unsigned rate;          /* --profile-rate: samples per second per scheduler; 0: the default */
    bool waiting;           /* --profile-waiting: sample waits in receive too */
} ProfileOptions;

/* Help text for the options. */
extern const char profile_usage[];

/*
 * If argv[*i] is a profile option, consumes it (and its value) and returns
 * 1; returns 0 if it is not one; -1 (after a message on stderr) if its value
 * is bad.
 */
int profile_parse_option(ProfileOptions *o, int argc, char **argv, int *i);

/* Arranges for profiling to start with the program (or now, with --profile-boot)
   and for the profile to be printed at the halt. 0, or -1 after a message. */
int profile_start(ErbVm *vm, ProfileOptions *o);
/* Prints the profile (if profiling is on). */
void profile_finish(ProfileOptions *o);

#endif
