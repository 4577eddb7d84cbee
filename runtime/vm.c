/*
 * vm.c - the embedding API (include/erbium/vm.h): global start-up, booting
 * OTP (runtime/boot), and running an embedder's call in a new process.
 */
#include "erbium/vm.h"

#include "runtime/bif/bif.h"
#include "runtime/boot/boot.h"
#include "runtime/debug/dbg.h"
#include "runtime/file/file_res.h"
#include "runtime/socket/sock.h"
#include "runtime/halt.h"
#include "runtime/interp/interp.h"
#include "runtime/interp/raise.h"
#include "runtime/io/io_out.h"
#include "runtime/loader/code_path.h"
#include "runtime/loader/export.h"
#include "runtime/loader/load.h"
#include "runtime/os/os_signal.h"
#include "runtime/proc/signal.h"
#include "runtime/term/atom.h"
#include "runtime/term/term.h"
#include "runtime/term/literal.h"
#include "runtime/term/strbuf.h"
#include "runtime/term/term_print.h"
#include "runtime/time/arith_time.h"
#include "runtime/zlib/zlib_stream.h"
#include "profiler/pclock.h"
#include "profiler/prof_slot.h"
#include "sched/dirty.h"
#include "sched/sched.h"
#include "sched/timer.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ErbVm {
    ErbConfig cfg;
    bool booted;
    char **boot_args; /* -pa and -Flag words added before the boot */
    int num_boot_args;
    LiteralArea *args; /* argument terms of erb_vm_call: they outlive the process */
};

/* The running erb_vm_call: its process reports here when it ends. */
static pthread_mutex_t call_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t call_done = PTHREAD_COND_INITIALIZER;
static bool call_finished;
static int call_status;

/* erb_vm_on_program_start's hooks, in the order they were set */
#define PROGRAM_HOOKS 4
static struct {
    void (*fn)(void *ctx);
    void *ctx;
} program_hooks[PROGRAM_HOOKS];
static int num_program_hooks;

static void on_process_exit(Process *p);

ErbConfig erb_config_default(void) { return (ErbConfig){.schedulers = 0}; }
const char *erb_emulator_version(void) { return boot_erts_version(); }

ErbVm *erb_vm_create(const ErbConfig *cfg, char *err, size_t errlen)
{
    ErbVm *vm = calloc(1, sizeof *vm);
    if (!vm || !(vm->args = literal_area_new())) {
        snprintf(err, errlen, "out of memory");
        free(vm);
        return NULL;
    }
    vm->cfg = *cfg;
    /* A write to a closed pipe (a port's child, or standard output) must give EPIPE,
       not kill the VM; children inherit this, as OTP's do. */
    signal(SIGPIPE, SIG_IGN);
    /* sigterm, sigquit and sigusr1 become events for kernel's erl_signal_server, as on erl */
    if (!ossig_start()) {
        snprintf(err, errlen, "could not start the OS signal dispatcher");
        literal_area_free(vm->args);
        free(vm);
        return NULL;
    }
    atom_init();
    interp_init();
    export_init();
    if (cfg->debugger) {
        dbg_enable();
        load_set_sites(true);
    }
    int n = cfg->schedulers > 0 ? cfg->schedulers : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    int ncpu = cfg->dirty_cpu > 0 ? cfg->dirty_cpu : n;
    int nio = cfg->dirty_io > 0 ? cfg->dirty_io : 10;
    sched_set_exit_hook(on_process_exit);
    pclock_init();
    arith_time_monotonic(); /* starts the Erlang clocks: statistics(wall_clock) counts from here */
    prof_slot_configure(n, ncpu + nio);
    if (timer_init() != 0 || dirty_start(ncpu, nio) != 0 || sched_start(n) != 0) {
        snprintf(err, errlen, "could not start scheduler threads");
        free(vm);
        return NULL;
    }
    return vm;
}

static void add_boot_word(ErbVm *vm, const char *word)
{
    char **grown = realloc(vm->boot_args, (size_t)(vm->num_boot_args + 1) * sizeof *grown);
    if (!grown || !(grown[vm->num_boot_args] = strdup(word))) abort();
    vm->boot_args = grown;
    vm->num_boot_args++;
}

void erb_vm_add_path(ErbVm *vm, const char *dir)
{
    add_boot_word(vm, "-pa");
    add_boot_word(vm, dir);
}

void erb_vm_add_argument(ErbVm *vm, const char *flag, int argc, const char *const *argv)
{
    char dashed[256];
    snprintf(dashed, sizeof dashed, "-%s", flag);
    add_boot_word(vm, dashed);
    for (int i = 0; i < argc; i++) add_boot_word(vm, argv[i]);
}

void erb_vm_on_halt(ErbVm *vm, void (*fn)(void *ctx), void *ctx) { halt_set_hook(fn, ctx); }

void erb_vm_on_program_start(ErbVm *vm, void (*fn)(void *ctx), void *ctx)
{
    if (num_program_hooks == PROGRAM_HOOKS) abort(); /* a fixed few: the command line's */
    program_hooks[num_program_hooks].fn = fn;
    program_hooks[num_program_hooks++].ctx = ctx;
}

/* erbium:program_start(): the start item erb_vm_boot puts before the program's own. */
Term bif_erbium_program_start_0(Process *p, const Term *args)
{
    for (int i = 0; i < num_program_hooks; i++) program_hooks[i].fn(program_hooks[i].ctx);
    return AM_ok;
}

int erb_vm_boot(ErbVm *vm, int argc, const char *const *argv, char *err, size_t errlen)
{
    if (vm->booted) {
        snprintf(err, errlen, "the VM has booted already");
        return -1;
    }
    vm->booted = true;
    if (num_program_hooks) {
        add_boot_word(vm, "-s");
        add_boot_word(vm, "erbium");
        add_boot_word(vm, "program_start");
    }
    for (int i = 0; i < argc; i++) add_boot_word(vm, argv[i]);
    /* OTP 25 has no erl_debugger: erbium's own goes in with +D */
    err[0] = '\0';
    if (vm->cfg.debugger && (!code_path_add_erbium() || !code_load(AM_erl_debugger, err, errlen))) {
        if (!err[0]) snprintf(err, errlen, "erbium's ebin (erl_debugger) was not found (set ERBIUM_EBIN)");
        return -1;
    }
    return boot_start(vm->num_boot_args, (const char *const *)vm->boot_args, err, errlen);
}

void erb_vm_wait(ErbVm *vm)
{
    for (;;) pause();
}

/* Boots with -noshell for an embedder that only calls functions. */
static int boot_for_calls(ErbVm *vm)
{
    if (vm->booted) return 0;
    const char *noshell = "-noshell";
    char err[512];
    if (erb_vm_boot(vm, 1, &noshell, err, sizeof err) == 0) return 0;
    fprintf(stderr, "erbium: %s\n", err);
    return -1;
}

/* A string as a list of bytes (command-line arguments are taken as Latin-1, as erl does). */
static Term string_term(LiteralArea *a, const char *s)
{
    Term list = NIL;
    for (size_t i = strlen(s); i > 0; i--) list = literal_cons(a, make_small((unsigned char)s[i - 1]), list);
    return list;
}

static Term argv_term(ErbVm *vm, ErbArgs kind, int argc, const char *const *argv)
{
    Term list = NIL;
    for (int i = argc; i > 0; i--) {
        Term item = kind == ERB_ARGS_ATOMS ? atom_from_cstr(argv[i - 1]) : string_term(vm->args, argv[i - 1]);
        list = literal_cons(vm->args, item, list);
    }
    return list;
}

/* As erl's init: the reason as erlang:display shows it on stdout, then a line on stderr. */
static void report_crash(Process *p)
{
    Term reason = signal_exit_reason(p);
    StrBuf out, err;
    sb_init(&out);
    sb_init(&err);
    sb_puts(&out, "{\"init terminating in do_boot\",");
    term_display(&out, reason);
    sb_puts(&out, "}\n");
    io_out_write(out.data, out.len);
    sb_puts(&err, "init terminating in do_boot (");
    term_write_opts(&err, reason, 9, false);
    sb_puts(&err, ")\n");
    io_out_write_err(err.data, err.len);
    sb_free(&out);
    sb_free(&err);
}

/* Scheduler thread, before an exiting process's memory goes: reports the end of an embedder's call. */
static void on_process_exit(Process *p)
{
    zlib_owner_exit(p);
    file_res_owner_exit(p); /* files and buffers it still owns */
    sock_owner_exit(p);     /* sockets it controls */
    if (!p->is_boot) return;
    bool crashed = p->exiting || p->freason != EXC_NONE;
    if (crashed) report_crash(p);
    pthread_mutex_lock(&call_lock);
    call_status = crashed ? 1 : 0;
    call_finished = true;
    pthread_cond_signal(&call_done);
    pthread_mutex_unlock(&call_lock);
}

/* Runs erbium_embed:call(M, F, Args) in a new process and waits for its end. */
static int run_call(Term module, Term function, Term args)
{
    char err[512];
    if (!code_path_add_erbium() || !code_load(atom_from_cstr("erbium_embed"), err, sizeof err)) {
        fprintf(stderr, "erbium: erbium's ebin was not found (set ERBIUM_EBIN)\n");
        return 1;
    }
    Export *e = export_get(atom_from_cstr("erbium_embed"), atom_from_cstr("call"), 3);
    Term call_args[3] = {module, function, args};
    Process *p = process_new(atomic_load_explicit(&e->address, memory_order_acquire), call_args, 3);
    if (!p) {
        fprintf(stderr, "erbium: out of memory\n");
        return 1;
    }
    p->is_boot = true;
    pthread_mutex_lock(&call_lock);
    call_finished = false;
    pthread_mutex_unlock(&call_lock);
    sched_spawned(p);
    pthread_mutex_lock(&call_lock);
    while (!call_finished) pthread_cond_wait(&call_done, &call_lock);
    int status = call_status;
    pthread_mutex_unlock(&call_lock);
    return status;
}

int erb_vm_call(ErbVm *vm, const char *module, const char *function, ErbArgs kind, int argc,
                const char *const *argv)
{
    if (boot_for_calls(vm) != 0) return 1;
    Term args = kind == ERB_ARGS_NONE ? NIL : literal_cons(vm->args, argv_term(vm, kind, argc, argv), NIL);
    return run_call(atom_from_cstr(module), atom_from_cstr(function), args);
}

int erb_vm_load(ErbVm *vm, const char *module, char *err, size_t errlen)
{
    if (boot_for_calls(vm) != 0) {
        snprintf(err, errlen, "OTP did not boot");
        return -1;
    }
    Term args = literal_cons(vm->args, atom_from_cstr(module), NIL);
    if (run_call(atom_from_cstr("code"), atom_from_cstr("ensure_loaded"), args) != 0) {
        snprintf(err, errlen, "code:ensure_loaded(%s) failed", module);
        return -1;
    }
    if (!module_find(atom_from_cstr(module))) {
        snprintf(err, errlen, "module '%s' not found in the code path", module);
        return -1;
    }
    return 0;
}

void erb_vm_destroy(ErbVm *vm)
{
    sched_stop();
    dirty_stop();
    timer_shutdown();
    if (!vm) return;
    for (int i = 0; i < vm->num_boot_args; i++) free(vm->boot_args[i]);
    free(vm->boot_args);
    literal_area_free(vm->args);
    free(vm);
}

void erb_pid_text(char *buf, size_t size, uint64_t pid)
{
    snprintf(buf, size, "<0.%llu.%llu>", (unsigned long long)pid_text_number(pid),
             (unsigned long long)pid_text_serial(pid));
}
