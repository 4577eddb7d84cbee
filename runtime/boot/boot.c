/*
 * boot.c - booting OTP (see boot.h). What OTP's emulator does before any
 * Erlang code runs, erbium does here: it loads the preloaded modules from
 * the installed erts's ebin (their BIF and NIF stubs are pointed at erbium's
 * natives as they load), and starts the first process with
 * erl_init:start(init, BootArgs). From there everything is OTP's own code:
 * init reads the boot script, erl_prim_loader loads kernel and stdlib, and
 * the kernel application starts the code server, the I/O servers and the
 * rest.
 */
#include "runtime/boot/boot.h"

#include "runtime/loader/code_path.h"
#include "runtime/loader/code_version.h"
#include "runtime/loader/export.h"
#include "runtime/proc/process.h"
#include "runtime/proc/proc_table.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/term/literal.h"
#include "sched/sched.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char otp_root[2048];
static char erts_vsn[256];       /* "erts-13.1.5" */
static LiteralArea *boot_terms;  /* BootArgs: they outlive init's heap copy */

const char *boot_otp_root(void) { return otp_root; }

/* $ERBIUM_OTP_ROOT, or the parent of $ERBIUM_OTP_LIB, or the installed Erlang. */
static void find_root(void)
{
    const char *root = getenv("ERBIUM_OTP_ROOT");
    const char *lib = getenv("ERBIUM_OTP_LIB");
    if (root && *root) snprintf(otp_root, sizeof otp_root, "%s", root);
    else if (lib && *lib) {
        snprintf(otp_root, sizeof otp_root, "%s", lib);
        char *slash = strrchr(otp_root, '/');
        if (slash && slash != otp_root) *slash = 0;
    } else snprintf(otp_root, sizeof otp_root, "/usr/lib/erlang");
}

/* The newest <root>/erts-<vsn>: its bin is erl's -bindir, lib/erts-<vsn>/ebin holds the preloaded modules. */
static int find_erts(char *err, size_t errlen)
{
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/erts-*", otp_root);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0) {
        snprintf(err, errlen, "no OTP installation in %s (no erts-*; set ERBIUM_OTP_ROOT)", otp_root);
        return -1;
    }
    const char *last = g.gl_pathv[g.gl_pathc - 1];
    snprintf(erts_vsn, sizeof erts_vsn, "%s", strrchr(last, '/') + 1);
    globfree(&g);
    char ebin[4096];
    snprintf(ebin, sizeof ebin, "%s/lib/%s/ebin", otp_root, erts_vsn);
    code_path_set_erts_ebin(ebin);
    return 0;
}

const char *boot_erts_version(void)
{
    if (!erts_vsn[0]) {
        char err[512];
        find_root();
        if (find_erts(err, sizeof err) != 0) return NULL;
    }
    return erts_vsn + strlen("erts-");
}

static int preload(char *err, size_t errlen)
{
    for (size_t i = 0; i < code_preloaded_count(); i++) {
        const char *name = code_preloaded_name(i);
        char path[4096];
        snprintf(path, sizeof path, "%s/lib/%s/ebin/%s.beam", otp_root, erts_vsn, name);
        Module *m = code_load_file(path, atom_from_cstr(name), err, errlen);
        if (!m) return -1;
        /* OTP's emulator holds its preloaded modules without line information, so their frames
           in stack traces have no location: forget it before any process runs */
        m->num_lines = 0;
    }
    return 0;
}

static Term binary_in(LiteralArea *a, const char *s)
{
    return bitstring_new_in(literal_allocator(a), (const uint8_t *)s, 0, strlen(s) * 8);
}

/* erl's BootArgs, one binary per word: where OTP is, then the user's arguments. */
static Term boot_args(int argc, const char *const *argv)
{
    char bindir[4096];
    snprintf(bindir, sizeof bindir, "%s/%s/bin", otp_root, erts_vsn);
    const char *home = getenv("HOME");
    const char *head[] = {"-root", otp_root, "-bindir", bindir, "-progname", "erl", "--", "-home",
                          home ? home : "/", "--"};
    size_t nhead = sizeof head / sizeof *head;
    Term list = NIL;
    for (int i = argc; i > 0; i--) list = literal_cons(boot_terms, binary_in(boot_terms, argv[i - 1]), list);
    for (size_t i = nhead; i > 0; i--) list = literal_cons(boot_terms, binary_in(boot_terms, head[i - 1]), list);
    return list;
}

/* A first process at Mod:Fun(Args), as OTP's emulator creates them; NULL when out of memory. */
static Process *first_process(Term mod, const char *fun, const Term *args, int arity, int prio, Term leader)
{
    Export *e = export_get(mod, atom_from_cstr(fun), (uint32_t)arity);
    Process *p = process_new(atomic_load_explicit(&e->address, memory_order_acquire), args, arity);
    if (!p) return NULL;
    p->initial_call[0] = mod;
    p->initial_call[1] = e->function;
    p->initial_call[2] = make_small(arity);
    p->priority = prio;
    if (is_pid(leader)) { /* init's is set by init */
        p->group_leader = leader;
        p->is_system = true;
    }
    return p;
}

/*
 * The system processes OTP's emulator starts right after init, in its
 * order, so they get its pids and every later process gets the pid it has
 * on erl: the code purger <0.1.0>, the literal area collector <0.2.0> (both
 * OTP's own Erlang code, with code_purge.c and code_literals.c as their
 * BIFs) and three dirty process signal handlers, which wait for messages
 * nobody sends them here (erbium's dirty natives handle their process's
 * signals when they return).
 */
static int system_processes(Term init)
{
    static const struct {
        int module; /* 0 purger, 1 collector, 2 dirty signal handler */
        int prio;
    } procs[] = {{0, PRIO_HIGH}, {1, PRIO_HIGH}, {2, PRIO_NORMAL}, {2, PRIO_HIGH}, {2, PRIO_MAX}};
    const Term mods[] = {AM_erts_code_purger, AM_erts_literal_area_collector, AM_erts_dirty_process_signal_handler};
    Process *ps[5];
    for (int i = 0; i < 5; i++)
        if (!(ps[i] = first_process(mods[procs[i].module], "start", NULL, 0, procs[i].prio, init))) return -1;
    code_purge_set_purger(ps[0]->pid);
    code_literals_set_collector(ps[1]->pid);
    for (int i = 0; i < 5; i++) sched_spawned(ps[i]);
    return 0;
}

int boot_start(int argc, const char *const *argv, char *err, size_t errlen)
{
    find_root();
    if (find_erts(err, errlen) != 0 || preload(err, errlen) != 0) return -1;
    if (!boot_terms && !(boot_terms = literal_area_new())) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    Term args[2] = {AM_init, boot_args(argc, argv)};
    Process *p = first_process(AM_erl_init, "start", args, 2, PRIO_NORMAL, NIL);
    if (!p || system_processes(p->pid) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    sched_spawned(p);
    return 0;
}
