/*
 * erbium/vm.h - embedding the erbium virtual machine.
 *
 *   ErbConfig cfg = erb_config_default();
 *   ErbVm *vm = erb_vm_create(&cfg, err, sizeof err);
 *   erb_vm_add_path(vm, "ebin");
 *   int status = erb_vm_call(vm, "mymod", "main", ERB_ARGS_NONE, 0, NULL);
 *   erb_vm_destroy(vm);
 *
 * Only one VM may exist per OS process (atoms and loaded code are global).
 */
#ifndef ERBIUM_VM_H
#define ERBIUM_VM_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ErbVm ErbVm;

typedef struct ErbConfig {
    int schedulers;   /* scheduler threads; 0 = one per core */
    int dirty_cpu;    /* dirty CPU scheduler threads; 0 = as many as schedulers */
    int dirty_io;     /* dirty I/O scheduler threads; 0 = 10, as OTP */
    bool otp_stdlib;  /* put OTP's installed stdlib on the code path (after added dirs) */
} ErbConfig;

ErbConfig erb_config_default(void);

/* NULL with a message in err on failure. */
ErbVm *erb_vm_create(const ErbConfig *cfg, char *err, size_t errlen);

/* Adds a directory to search for <module>.beam, after those added before. */
void erb_vm_add_path(ErbVm *vm, const char *dir);

/*
 * Adds a flag for init:get_arguments/0 to report, after those added before:
 * {Flag, [Value, ...]} with the values as strings, as erl reports
 * "-Flag Value..." (OTP's erl_features reads -enable-feature and
 * -disable-feature from there). Call before erb_vm_call.
 */
void erb_vm_add_argument(ErbVm *vm, const char *flag, int argc, const char *const *argv);

/* Loads a module now (instead of on first call). 0, or -1 with a message. */
int erb_vm_load(ErbVm *vm, const char *module, char *err, size_t errlen);

/* How erb_vm_call passes argv: no argument, one list of atoms (erl -s),
   or one list of strings (erl -run). */
typedef enum ErbArgs { ERB_ARGS_NONE, ERB_ARGS_ATOMS, ERB_ARGS_STRINGS } ErbArgs;

/*
 * Runs Module:Function in a new process until it finishes. Returns 0 when
 * it returned; when it died of an exception, prints the reason and stack
 * trace to stderr as erl does for a failing -s call and returns 1.
 * erlang:halt/0,1 ends the whole OS process with its status.
 */
int erb_vm_call(ErbVm *vm, const char *module, const char *function, ErbArgs kind, int argc,
                const char *const *argv);

/*
 * Calls fn(ctx) when erlang:halt is about to end the OS process, after
 * output is flushed, on the thread of the halting process. One hook per VM.
 */
void erb_vm_on_halt(ErbVm *vm, void (*fn)(void *ctx), void *ctx);

/* Flushes output and frees the VM. */
void erb_vm_destroy(ErbVm *vm);

#endif
