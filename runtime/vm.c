/*
 * vm.c - the embedding API (include/erbium/vm.h): global start-up, running
 * a call in a new process, and reporting a crash the way erl does.
 */
#include "erbium/vm.h"

#include "runtime/term/atom.h"
#include "runtime/loader/code_path.h"
#include "runtime/loader/export.h"
#include "runtime/file/file_res.h"
#include "runtime/halt.h"
#include "runtime/init_args.h"
#include "runtime/interp/interp.h"
#include "runtime/io/io_out.h"
#include "runtime/term/literal.h"
#include "runtime/interp/raise.h"
#include "runtime/proc/registry.h"
#include "runtime/term/strbuf.h"
#include "runtime/proc/signal.h"
#include "runtime/term/term_print.h"
#include "runtime/zlib/zlib_stream.h"
#include "runtime/time/arith_time.h"
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
    LiteralArea *args; /* argument terms of erb_vm_call: they outlive the process */
};

/* The running -s/-run call: its process reports here when it ends. */
static pthread_mutex_t boot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t boot_done = PTHREAD_COND_INITIALIZER;
static bool boot_finished;
static int boot_status;

static void on_process_exit(Process *p);

ErbConfig erb_config_default(void) { return (ErbConfig){.schedulers = 0, .otp_stdlib = true}; }

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
    atom_init();
    interp_init();
    export_init();
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

static bool otp_added, io_started;

void erb_vm_add_path(ErbVm *vm, const char *dir) { code_path_add(dir); }
void erb_vm_on_halt(ErbVm *vm, void (*fn)(void *ctx), void *ctx) { halt_set_hook(fn, ctx); }

/* erbium's own modules and OTP's stdlib go after the user's directories, as in erl. */
static void add_otp_once(ErbVm *vm)
{
    if (otp_added || !vm->cfg.otp_stdlib) return;
    otp_added = true;
    if (!code_path_add_erbium()) fprintf(stderr, "erbium: warning: erbium's ebin was not found (set ERBIUM_EBIN)\n");
    if (!code_path_add_otp()) fprintf(stderr, "erbium: warning: OTP's stdlib was not found (set ERBIUM_OTP_LIB)\n");
}

/* Before the first call: the I/O servers (lib/erbium_user.erl), which lead every later process. */
static void start_io_once(ErbVm *vm)
{
    if (io_started || !vm->cfg.otp_stdlib) return;
    io_started = true;
    if (erb_vm_call(vm, "erbium_user", "start", ERB_ARGS_NONE, 0, NULL) != 0)
        fprintf(stderr, "erbium: warning: the I/O servers did not start\n");
}

int erb_vm_load(ErbVm *vm, const char *module, char *err, size_t errlen)
{
    add_otp_once(vm);
    return code_load(atom_from_cstr(module), err, errlen) ? 0 : -1;
}

static Term cons_in(LiteralArea *a, Term head, Term tail)
{
    Term *cell = literal_alloc(a, 2);
    if (!cell) abort();
    cell[0] = head;
    cell[1] = tail;
    return make_list(cell);
}

/* A string as a list of bytes (command-line arguments are taken as Latin-1, as erl does). */
static Term string_term(LiteralArea *a, const char *s)
{
    Term list = NIL;
    for (size_t i = strlen(s); i > 0; i--) list = cons_in(a, make_small((unsigned char)s[i - 1]), list);
    return list;
}

static Term argv_term(ErbVm *vm, ErbArgs kind, int argc, const char *const *argv)
{
    Term list = NIL;
    for (int i = argc; i > 0; i--) {
        Term item = kind == ERB_ARGS_ATOMS ? atom_from_cstr(argv[i - 1]) : string_term(vm->args, argv[i - 1]);
        list = cons_in(vm->args, item, list);
    }
    return list;
}

void erb_vm_add_argument(ErbVm *vm, const char *flag, int argc, const char *const *argv)
{
    Term *pair = literal_alloc(vm->args, 3);
    if (!pair) abort();
    pair[0] = make_tuple_header(2);
    pair[1] = atom_from_cstr(flag);
    pair[2] = argv_term(vm, ERB_ARGS_STRINGS, argc, argv);
    init_args_append(cons_in(vm->args, make_boxed(pair), NIL));
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

/* Scheduler thread, before an exiting process's memory goes: reports the end of a boot call. */
static void on_process_exit(Process *p)
{
    zlib_owner_exit(p);
    file_res_owner_exit(p); /* files and buffers it still owns */
    if (!p->is_boot) return;
    bool crashed = p->exiting || p->freason != EXC_NONE;
    if (crashed) report_crash(p);
    pthread_mutex_lock(&boot_lock);
    boot_status = crashed ? 1 : 0;
    boot_finished = true;
    pthread_cond_signal(&boot_done);
    pthread_mutex_unlock(&boot_lock);
}

int erb_vm_call(ErbVm *vm, const char *module, const char *function, ErbArgs kind, int argc,
                const char *const *argv)
{
    add_otp_once(vm);
    start_io_once(vm);
    Term arg = argv_term(vm, kind, argc, argv);
    int arity = kind == ERB_ARGS_NONE ? 0 : 1;
    Export *e = export_get(atom_from_cstr(module), atom_from_cstr(function), (uint32_t)arity);
    Process *p = process_new(atomic_load_explicit(&e->address, memory_order_acquire), &arg, arity);
    if (!p) {
        fprintf(stderr, "erbium: out of memory\n");
        return 1;
    }
    p->is_boot = true;
    p->trap_exit = true; /* as OTP's boot process, which runs the -s calls */
    Term user = reg_whereis(AM_user);
    if (is_pid(user)) p->group_leader = user;
    pthread_mutex_lock(&boot_lock);
    boot_finished = false;
    pthread_mutex_unlock(&boot_lock);
    sched_spawned(p);
    pthread_mutex_lock(&boot_lock);
    while (!boot_finished) pthread_cond_wait(&boot_done, &boot_lock);
    int status = boot_status;
    pthread_mutex_unlock(&boot_lock);
    return status;
}

void erb_vm_destroy(ErbVm *vm)
{
    sched_stop();
    dirty_stop();
    timer_shutdown();
    if (!vm) return;
    init_args_clear();
    literal_area_free(vm->args);
    free(vm);
}
