/*
 * logpoint.h - the command line's --break MOD:LINE[:COND] logpoints: each
 * time a process reaches the line, print its pid, {M,F,A}, line, the
 * frame's slots and the live x registers on stderr, then let it go on
 * (include/erbium/debugger.h does the work; --break turns +D on).
 */
#ifndef ERBIUM_CLI_LOGPOINT_H
#define ERBIUM_CLI_LOGPOINT_H

#include "erbium/vm.h"

typedef struct Logpoint {
    char *module;
    unsigned line;
    char reg;           /* the condition's register kind, 'x' or 'y'; 0: none */
    unsigned reg_no;
    const char *value;  /* printed as ~w, the register must read this */
} Logpoint;

typedef struct LogpointOptions {
    Logpoint *v;
    int n;
} LogpointOptions;

/* Help text for the option. */
extern const char logpoint_usage[];

/* As profile_parse_option (profile.h), for --break; sets cfg->debugger with one. */
int logpoint_parse_option(LogpointOptions *o, ErbConfig *cfg, int argc, char **argv, int *i);

/* Sets the logpoints when the program starts (loading their modules). */
void logpoint_start(ErbVm *vm, LogpointOptions *o);

#endif
