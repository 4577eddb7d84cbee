/*
 * erbium/vm.h - embedding the erbium virtual machine.
 *
 *   ErbConfig cfg = erb_config_default();
 *   ErbVm *vm = erb_vm_create(&cfg, err, sizeof err);
 *   erb_vm_add_path(vm, "ebin");
 *   int status = erb_vm_call(vm, "mymod", "main", ERB_ARGS_NONE, 0, NULL);
 *   erb_vm_destroy(vm);
 *
 * The VM boots OTP as erl does (OTP's init, kernel and stdlib from the
 * installed Erlang): the command line calls erb_vm_boot with erl's
 * arguments; an embedder that only calls functions lets erb_vm_call boot
 * it with -noshell and the added paths. Only one VM may exist per OS
 * process (atoms and loaded code are global).
 */
#ifndef ERBIUM_VM_H
#define ERBIUM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ErbVm ErbVm;

typedef struct ErbConfig {
    int schedulers;   /* scheduler threads; 0 = one per core */
    int dirty_cpu;    /* dirty CPU scheduler threads; 0 = as many as schedulers */
    int dirty_io;     /* dirty I/O scheduler threads; 0 = 10, as OTP */
    bool debugger;    /* erl's +D: breakpoint sites in loaded code, erl_debugger and
                         erbium/debugger.h; without it loaded code is unchanged */
} ErbConfig;

ErbConfig erb_config_default(void);

/* The erts version erbium stands in for ("13.1.5", read from the installed OTP), or NULL. */
const char *erb_emulator_version(void);

/* NULL with a message in err on failure. Like erl, the VM then takes SIGTERM, SIGQUIT and
   SIGUSR1 (events for OTP's erl_signal_server: SIGTERM stops the system) and ignores SIGPIPE. */
ErbVm *erb_vm_create(const ErbConfig *cfg, char *err, size_t errlen);

/* Adds a code path directory (erl's -pa), after those added before. Call before the boot. */
void erb_vm_add_path(ErbVm *vm, const char *dir);

/*
 * Adds "-Flag Value..." to the boot arguments, after those added before:
 * init:get_argument(Flag) returns it, as for erl. Call before the boot.
 */
void erb_vm_add_argument(ErbVm *vm, const char *flag, int argc, const char *const *argv);

/*
 * Boots OTP with erl's arguments (those after the emulator flags, such as
 * "-noshell", "-pa", "Dir", "-s", "Mod", "Fun", "-eval", "Expr"), after the
 * paths and arguments added before. Returns 0 once OTP's init runs, or -1
 * with a message in err (OTP's files missing or unloadable). From then on
 * the VM runs until erlang:halt, init:stop or a failed boot ends the OS
 * process with its status (see erb_vm_on_halt).
 */
int erb_vm_boot(ErbVm *vm, int argc, const char *const *argv, char *err, size_t errlen);

/* Blocks the calling thread while the VM runs: it returns only through the OS process's exit. */
void erb_vm_wait(ErbVm *vm);

/* Loads a module now (instead of on first call), booting first if needed. 0, or -1 with a message. */
int erb_vm_load(ErbVm *vm, const char *module, char *err, size_t errlen);

/* How erb_vm_call passes argv: no argument, one list of atoms (erl -s),
   or one list of strings (erl -run). */
typedef enum ErbArgs { ERB_ARGS_NONE, ERB_ARGS_ATOMS, ERB_ARGS_STRINGS } ErbArgs;

/*
 * Runs Module:Function in a new process until it finishes, booting OTP
 * first if needed (the call waits for the boot to end). Returns 0 when it
 * returned; when it died of an exception, prints the reason as erl prints a
 * failing -s call ({"init terminating in do_boot", Reason}) and returns 1.
 * erlang:halt/0,1 ends the whole OS process with its status.
 */
int erb_vm_call(ErbVm *vm, const char *module, const char *function, ErbArgs kind, int argc,
                const char *const *argv);

/*
 * Calls fn(ctx) when erlang:halt is about to end the OS process, after
 * output is flushed, on the thread of the halting process. One hook per VM.
 */
void erb_vm_on_halt(ErbVm *vm, void (*fn)(void *ctx), void *ctx);

/*
 * Calls fn(ctx) when init starts the program: before the first -s, -run or
 * -eval item of the boot arguments runs (on a dirty scheduler thread). The
 * command line starts its --profile there, so that the boot is left out,
 * and sets its --break logpoints. Set hooks before erb_vm_boot; up to
 * four, called in the order they were set.
 */
void erb_vm_on_program_start(ErbVm *vm, void (*fn)(void *ctx), void *ctx);

/* The pid numbered pid (as the profiler and debugger interfaces report pids) as OTP
   prints it, "<0.N.S>", in buf (at most size bytes with the NUL; 32 always suffice). */
void erb_pid_text(char *buf, size_t size, uint64_t pid);

/* Flushes output and frees the VM. */
void erb_vm_destroy(ErbVm *vm);

#endif
