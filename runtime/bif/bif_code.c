/*
 * bif_code.c - BIFs about control flow (error, exit, throw, raise, halt),
 * the running process, and loaded code (module_info and friends).
 */
#include "runtime/bif/bif.h"

#include "runtime/term/strbuf.h"

#include "runtime/loader/export.h"
#include "runtime/proc/heap.h"
#include "runtime/halt.h"
#include "runtime/loader/code_version.h"
#include "runtime/loader/module.h"
#include "runtime/interp/raise.h"
#include "runtime/sys/sys.h"

#include <stdio.h>
#include <stdlib.h>

static bool is_proper_list(Term t)
{
    while (is_list(t)) t = list_tail(t);
    return is_nil(t);
}

Term bif_error_1(Process *p, const Term *args) { return bif_raise(p, EXC_ERROR, args[0]); }

/* error(Reason, Args): the stack trace's top frame shows Args instead of the arity. */
Term bif_error_2(Process *p, const Term *args)
{
    bif_raise(p, EXC_ERROR, args[0]);
    if (is_proper_list(args[1])) p->fargs = args[1];
    return THE_NON_VALUE;
}

/* error(Reason, Args, Options): an {error_info, Info} option joins the top frame's location. */
Term bif_error_3(Process *p, const Term *args)
{
    if (!is_proper_list(args[2])) return bif_error(p, AM_badarg);
    for (Term o = args[2]; is_list(o); o = list_tail(o)) {
        Term opt = list_head(o);
        if (is_tuple(opt) && tuple_arity(opt) == 2 && tuple_elems(opt)[0] == AM_error_info) p->ferror_info = opt;
    }
    return bif_error_2(p, args);
}

Term bif_exit_1(Process *p, const Term *args) { return bif_raise(p, EXC_EXIT, args[0]); }
Term bif_throw_1(Process *p, const Term *args) { return bif_raise(p, EXC_THROW, args[0]); }
Term bif_nif_error_1(Process *p, const Term *args) { return bif_raise(p, EXC_ERROR, args[0]); }
Term bif_nif_error_2(Process *p, const Term *args) { return bif_error_2(p, args); }

/* A stack trace erlang:raise/3 accepts: a list of {M,F,ArityOrArgs,Location}, {Fun,Args,Location},
   and the old forms {Fun,Args} and {M,F,ArityOrArgs}; a Location is a list. */
static bool valid_stacktrace(Term t)
{
    for (; is_list(t); t = list_tail(t)) {
        Term frame = list_head(t);
        if (!is_tuple(frame)) return false;
        size_t n = tuple_arity(frame);
        const Term *e = tuple_elems(frame);
        Term location = NIL;
        if (n == 2) {
            if (!is_fun(e[0])) return false;
        } else if (n == 3) {
            if (is_fun(e[0])) location = e[2];
            else if (!is_atom(e[0]) || !is_atom(e[1])) return false;
        } else if (n == 4) {
            if (!is_atom(e[0]) || !is_atom(e[1])) return false;
            location = e[3];
        } else {
            return false;
        }
        if (!is_list(location) && !is_nil(location)) return false;
    }
    return is_nil(t);
}

/* The stack trace as OTP keeps it: old forms get an empty location, and at most
   system_flag(backtrace_depth) frames. */
static Term normalize_stacktrace(Process *p, Term t)
{
    Term frames[RAISE_MAX_DEPTH];
    int n = 0, depth = sys_backtrace_depth();
    for (; is_list(t) && n < depth && n < RAISE_MAX_DEPTH; t = list_tail(t)) {
        Term f = list_head(t);
        const Term *e = tuple_elems(f);
        if (tuple_arity(f) == 2) f = heap_tuple3(p, e[0], e[1], NIL);
        else if (tuple_arity(f) == 3 && is_atom(e[0])) f = heap_tuple4(p, e[0], e[1], e[2], NIL);
        frames[n++] = f;
    }
    Term list = NIL;
    while (n > 0) list = heap_cons(p, frames[--n], list);
    return list;
}

/* raise(Class, Reason, Stacktrace): bad arguments make it return badarg, as in OTP. */
Term bif_raise_3(Process *p, const Term *args)
{
    int cls = raise_class_from_atom(args[0]);
    if (cls == EXC_NONE || !valid_stacktrace(args[2])) return AM_badarg;
    Term reason = args[1], trace = normalize_stacktrace(p, args[2]);
    bif_raise(p, cls, reason);
    p->ftrace = trace;
    return THE_NON_VALUE;
}

static Term halt_with(Process *p, Term status)
{
    if (is_small(status) && small_val(status) >= 0) {
        halt_prepare();
        exit((int)(small_val(status) & 0xFF));
    }
    if (status == atom_from_cstr("abort")) {
        halt_prepare();
        abort();
    }
    StrBuf slogan;
    sb_init(&slogan);
    if (sb_put_string(&slogan, status)) {
        /* OTP takes a flat string (no deep list, no binary), prints it, then writes
           a crash dump; erbium writes none */
        halt_prepare();
        fprintf(stderr, "%.*s\n", (int)slogan.len, slogan.data);
        fprintf(stderr, "erbium: no crash dump written (erbium does not write crash dumps)\n");
        exit(1);
    }
    sb_free(&slogan);
    return bif_error(p, AM_badarg);
}

Term bif_halt_0(Process *p, const Term *args) { return halt_with(p, make_small(0)); }
Term bif_halt_1(Process *p, const Term *args) { return halt_with(p, args[0]); }
/* halt(Status, Options): OTP 25's only option is {flush, Boolean}. */
Term bif_halt_2(Process *p, const Term *args)
{
    Term opts = args[1];
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (!is_tuple(o) || tuple_arity(o) != 2 || tuple_elems(o)[0] != atom_from_cstr("flush") ||
            (tuple_elems(o)[1] != AM_true && tuple_elems(o)[1] != AM_false))
            return bif_error_cause(p, AM_badarg, AM_badopt);
    }
    if (!is_nil(opts)) return bif_error_cause(p, AM_badarg, AM_badopt);
    return halt_with(p, args[0]);
}

Term bif_self_0(Process *p, const Term *args) { return p->pid; }
Term bif_node_0(Process *p, const Term *args) { return AM_nonode_at_nohost; }

/* Every pid, port and reference is local: there is no distribution. */
Term bif_node_1(Process *p, const Term *args)
{
    Term t = args[0];
    if (!is_pid(t) && !is_port(t) && !is_ref(t)) return bif_error(p, AM_badarg);
    return AM_nonode_at_nohost;
}

typedef struct {
    uint64_t seq;
    const FuncName *name;
} SeqName;

static int newest_first(const void *a, const void *b)
{
    uint64_t x = ((const SeqName *)a)->seq, y = ((const SeqName *)b)->seq;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* module_info(exports): OTP walks its export table, newest entry first, so a module's
   functions come in the order their entries were made (the loader makes them in the
   file's export table order; a call from a module loaded earlier made its callee's). */
static Term export_list(Process *p, const Module *m)
{
    SeqName *v = malloc((m->num_exports ? m->num_exports : 1) * sizeof *v);
    if (!v) abort();
    for (uint32_t i = 0; i < m->num_exports; i++) {
        const Export *e = export_find(m->name, m->exports[i].function, m->exports[i].arity);
        v[i] = (SeqName){e ? e->seq : 0, &m->exports[i]};
    }
    qsort(v, m->num_exports, sizeof *v, newest_first);
    Term list = NIL;
    for (uint32_t i = m->num_exports; i > 0; i--)
        list = heap_cons(p, heap_tuple2(p, v[i - 1].name->function, make_small(v[i - 1].name->arity)), list);
    free(v);
    return list;
}

static Term function_list(Process *p, const Module *m)
{
    Term list = NIL;
    for (uint32_t i = m->num_funcs; i > 0; i--) {
        const FuncRange *f = &m->funcs[i - 1];
        list = heap_cons(p, heap_tuple2(p, f->function, make_small(f->arity)), list);
    }
    return list;
}

static Term md5_binary(Process *p, const Module *m)
{
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_header(3, HDR_HEAP_BIN);
    hp[1] = 16;
    memcpy(hp + 2, m->md5, 16);
    return make_boxed(hp);
}

static Term module_info_item(Process *p, const Module *m, Term key)
{
    if (key == AM_module) return m->name;
    if (key == AM_exports) return export_list(p, m);
    if (key == AM_functions) return function_list(p, m);
    if (key == AM_attributes) return m->attributes;
    if (key == AM_compile) return m->compile_info;
    if (key == AM_md5) return md5_binary(p, m);
    if (key == AM_native) return AM_false;
    if (key == AM_nifs) return NIL;
    return THE_NON_VALUE;
}

Term bif_get_module_info_1(Process *p, const Term *args)
{
    const Module *m = is_atom(args[0]) ? module_find(args[0]) : NULL;
    if (!m) return bif_error(p, AM_badarg);
    static const Term *keys[] = {&AM_module, &AM_exports, &AM_attributes, &AM_compile, &AM_md5};
    Term list = NIL;
    for (size_t i = sizeof keys / sizeof keys[0]; i > 0; i--) {
        Term key = *keys[i - 1];
        list = heap_cons(p, heap_tuple2(p, key, module_info_item(p, m, key)), list);
    }
    return list;
}

Term bif_get_module_info_2(Process *p, const Term *args)
{
    const Module *m = is_atom(args[0]) ? module_find(args[0]) : NULL;
    if (!m || !is_atom(args[1])) return bif_error(p, AM_badarg);
    Term v = module_info_item(p, m, args[1]);
    return is_value(v) ? v : bif_error(p, AM_badarg);
}

Term bif_function_exported_3(Process *p, const Term *args)
{
    if (!is_atom(args[0]) || !is_atom(args[1]) || !is_small(args[2])) return bif_error(p, AM_badarg);
    const Export *e = export_find(args[0], args[1], (uint32_t)small_val(args[2]));
    return e && export_is_defined(e) ? AM_true : AM_false;
}

Term bif_module_loaded_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    return module_find(args[0]) || code_is_preloaded(args[0]) ? AM_true : AM_false;
}

Term bif_make_fun_3(Process *p, const Term *args)
{
    if (!is_atom(args[0]) || !is_atom(args[1]) || !is_small(args[2]) || small_val(args[2]) < 0 ||
        small_val(args[2]) > 255)
        return bif_error(p, AM_badarg);
    Export *e = export_get(args[0], args[1], (uint32_t)small_val(args[2]));
    Term *hp = heap_alloc(p, 2);
    hp[0] = make_header(1, HDR_EXPORT);
    hp[1] = (Term)e;
    return make_boxed(hp);
}
