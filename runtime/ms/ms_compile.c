/*
 * ms_compile.c - match spec term -> MsProg (see ms_int.h for the layout).
 *
 * The spec is first copied into memory the program owns, so literal
 * operands can point into it and the caller's term may die. Compilation
 * stops at the first error, with OTP 25's message for it.
 */
#include "runtime/ms/ms_int.h"

#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/term/map.h"
#include "runtime/term/strbuf.h"
#include "runtime/term/term_cmp.h"
#include "runtime/term/term_print.h"

#include <stdio.h>
#include <stdlib.h>

#define MS_MAX_VAR 100000000u
#define MS_MAX_DEPTH 10000

/* ---- guard functions ---- */

static Term ms_is_record_3(Process *p, const Term *args)
{
    Term t = args[0], tag = args[1], size = args[2];
    if (!is_atom(tag) || !is_small(size)) return bif_error(p, AM_badarg);
    bool yes = is_tuple(t) && (intptr_t)tuple_arity(t) == small_val(size) && tuple_arity(t) > 0 &&
               tuple_elems(t)[0] == tag;
    return yes ? AM_true : AM_false;
}

typedef struct GuardFn {
    const char *name;
    unsigned arity;
    BifFn fn;
    bool trace_only;
} GuardFn;

static const GuardFn guard_fns[] = {
    {"is_atom", 1, bif_is_atom_1, false},        {"is_float", 1, bif_is_float_1, false},
    {"is_integer", 1, bif_is_integer_1, false},  {"is_list", 1, bif_is_list_1, false},
    {"is_number", 1, bif_is_number_1, false},    {"is_pid", 1, bif_is_pid_1, false},
    {"is_port", 1, bif_is_port_1, false},        {"is_reference", 1, bif_is_reference_1, false},
    {"is_tuple", 1, bif_is_tuple_1, false},      {"is_map", 1, bif_is_map_1, false},
    {"is_map_key", 2, bif_maps_is_key_2, false}, {"is_binary", 1, bif_is_binary_1, false},
    {"is_function", 1, bif_is_function_1, false}, {"is_record", 3, ms_is_record_3, false},
    {"abs", 1, bif_abs_1, false},                {"element", 2, bif_element_2, false},
    {"hd", 1, bif_hd_1, false},                  {"tl", 1, bif_tl_1, false},
    {"length", 1, bif_length_1, false},          {"map_get", 2, bif_maps_get_2, false},
    {"map_size", 1, bif_map_size_1, false},      {"node", 0, bif_node_0, false},
    {"node", 1, bif_node_1, false},              {"round", 1, bif_round_1, false},
    {"trunc", 1, bif_trunc_1, false},            {"size", 1, bif_size_1, false},
    {"bit_size", 1, bif_bit_size_1, false},      {"byte_size", 1, bif_byte_size_1, false},
    {"binary_part", 2, bif_binary_part_2, false}, {"binary_part", 3, bif_binary_part_3, false},
    {"float", 1, bif_float_1, false},            {"+", 2, bif_add_2, false},
    {"-", 2, bif_sub_2, false},                  {"*", 2, bif_mul_2, false},
    {"/", 2, bif_fdiv_2, false},                 {"div", 2, bif_div_2, false},
    {"rem", 2, bif_rem_2, false},                {"band", 2, bif_band_2, false},
    {"bor", 2, bif_bor_2, false},                {"bxor", 2, bif_bxor_2, false},
    {"bnot", 1, bif_bnot_1, false},              {"bsl", 2, bif_bsl_2, false},
    {"bsr", 2, bif_bsr_2, false},                {"+", 1, bif_plus_1, false},
    {"-", 1, bif_neg_1, false},                  {">", 2, bif_gt_2, false},
    {">=", 2, bif_ge_2, false},                  {"<", 2, bif_lt_2, false},
    {"=<", 2, bif_le_2, false},                  {"=:=", 2, bif_eq_exact_2, false},
    {"==", 2, bif_eq_2, false},                  {"=/=", 2, bif_neq_exact_2, false},
    {"/=", 2, bif_neq_2, false},                 {"not", 1, bif_not_1, false},
    {"xor", 2, bif_xor_2, false},                {"self", 0, bif_self_0, false},
};

static const GuardFn *guard_fn(Term name, unsigned arity)
{
    const char *text = atom_text(name);
    for (size_t i = 0; i < sizeof guard_fns / sizeof guard_fns[0]; i++)
        if (guard_fns[i].arity == arity && strcmp(guard_fns[i].name, text) == 0) return &guard_fns[i];
    return NULL;
}

/* ---- trace-dialect special forms ---- */

enum FormKind { F_FLAG, F_MESSAGE, F_SILENT, F_ACTION };
typedef struct SpecialForm {
    const char *name;
    const char *shown;       /* the name OTP's messages give it */
    unsigned min, max;       /* accepted argument counts */
    enum FormKind kind;
    int what;                /* MS_FLAG_* or MsAction (plus min for multi-arity ones) */
    bool in_guard;           /* allowed in trace conditions */
} SpecialForm;

static const SpecialForm forms[] = {
    {"return_trace", "return_trace", 0, 0, F_FLAG, MS_FLAG_RETURN_TRACE, false},
    {"exception_trace", "exception_trace", 0, 0, F_FLAG, MS_FLAG_EXCEPTION_TRACE, false},
    {"message", "message", 1, 1, F_MESSAGE, 0, false},
    {"silent", "silent", 1, 1, F_SILENT, 0, false},
    {"display", "display", 1, 1, F_ACTION, MS_ACT_DISPLAY, false},
    {"caller", "caller", 0, 0, F_ACTION, MS_ACT_CALLER, false},
    {"caller_line", "caller_line", 0, 0, F_ACTION, MS_ACT_CALLER_LINE, false},
    {"process_dump", "process_dump", 0, 0, F_ACTION, MS_ACT_PROCESS_DUMP, false},
    {"trace", "trace", 2, 3, F_ACTION, MS_ACT_TRACE2, false},
    {"enable_trace", "enable_trace", 1, 2, F_ACTION, MS_ACT_ENABLE1, false},
    {"disable_trace", "disable_trace", 1, 2, F_ACTION, MS_ACT_DISABLE1, false},
    {"get_seq_token", "get_seq_token", 0, 0, F_ACTION, MS_ACT_GET_SEQ_TOKEN, false},
    {"set_seq_token", "set_seq_trace", 2, 2, F_ACTION, MS_ACT_SET_SEQ_TOKEN, false},
    {"is_seq_trace", "is_seq_trace", 0, 0, F_ACTION, MS_ACT_IS_SEQ_TRACE, true},
};

static const SpecialForm *special_form(Term name)
{
    const char *text = atom_text(name);
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strcmp(forms[i].name, text) == 0) return &forms[i];
    return NULL;
}

/* ---- the compiler's state ---- */

typedef struct Var {
    uint32_t number; /* N of '$N' */
    uint32_t slot;
} Var;

typedef struct Compiler {
    MsDialect dialect;
    Term *code;
    size_t ncode, capcode;
    Var *vars; /* this clause's variables, in slot order */
    size_t nvars, capvars;
    size_t depth, max_depth; /* stack depth while emitting */
    size_t nest;             /* recursion depth, bounded by MS_MAX_DEPTH */
    bool guard;              /* compiling conditions */
    StrBuf err;              /* the error texts, back to back */
    size_t *err_ends;        /* where each text ends in err */
    size_t nerr;
    bool failed;             /* the expression being compiled has an error: skip the rest of it */
    bool oom;
    bool too_deep;           /* an error is a system limit */
} Compiler;

static _Thread_local bool last_too_deep;

Term ms_compile_failure(void) { return last_too_deep ? AM_system_limit : AM_badarg; }

static bool rejected(const Compiler *c) { return c->nerr > 0 || c->oom; }

static void emit(Compiler *c, Term w)
{
    if (rejected(c)) return; /* the program will be discarded */
    if (c->ncode == c->capcode) {
        size_t cap = c->capcode ? c->capcode * 2 : 256;
        Term *n = realloc(c->code, cap * sizeof(Term));
        if (!n) {
            c->oom = true;
            return;
        }
        c->code = n;
        c->capcode = cap;
    }
    c->code[c->ncode++] = w;
}

static void push(Compiler *c, size_t n)
{
    c->depth += n;
    if (c->depth > c->max_depth) c->max_depth = c->depth;
}

static void pop(Compiler *c, size_t n) { c->depth -= n; }

/*
 * Records an error, as OTP does: every error of one clause (one per
 * expression), then compilation stops after that clause. In fmt, '~' stands
 * for t as OTP prints it ('^' for its first 53 characters) and '@' for name.
 */
static void fail_named(Compiler *c, const char *fmt, const char *name, Term t)
{
    if (c->failed || c->oom) return;
    c->failed = true;
    size_t *ends = realloc(c->err_ends, (c->nerr + 1) * sizeof(size_t));
    if (!ends) {
        c->oom = true;
        return;
    }
    c->err_ends = ends;
    for (const char *s = fmt; *s; s++) {
        if (*s == '~') term_display(&c->err, t);
        else if (*s == '^') { /* the start of t only */
            size_t at = c->err.len;
            term_display(&c->err, t);
            if (c->err.len > at + 53) c->err.len = at + 53, c->err.data[c->err.len] = 0;
        } else if (*s == '@') sb_puts(&c->err, name);
        else sb_putc(&c->err, *s);
    }
    c->err_ends[c->nerr++] = c->err.len;
}

static void fail(Compiler *c, const char *fmt, Term t) { fail_named(c, fmt, "", t); }

/* '$N' with 0 <= N <= 100000000 written without leading zeros; -1 if not a variable. */
long ms_var_number(Term t)
{
    if (!is_atom(t)) return -1;
    const char *s = atom_text(t);
    size_t n = atom_len(t);
    if (n < 2 || n > 10 || s[0] != '$' || (s[1] == '0' && n > 2)) return -1;
    long v = 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v <= (long)MS_MAX_VAR ? v : -1;
}

static long find_var(const Compiler *c, uint32_t number)
{
    for (size_t i = 0; i < c->nvars; i++)
        if (c->vars[i].number == number) return (long)c->vars[i].slot;
    return -1;
}

static uint32_t add_var(Compiler *c, uint32_t number)
{
    if (c->nvars == c->capvars) {
        size_t cap = c->capvars ? c->capvars * 2 : 16;
        Var *n = realloc(c->vars, cap * sizeof(Var));
        if (!n) {
            c->oom = true;
            return 0;
        }
        c->vars = n;
        c->capvars = cap;
    }
    c->vars[c->nvars] = (Var){number, (uint32_t)c->nvars};
    return (uint32_t)c->nvars++;
}

static bool enter(Compiler *c, Term t)
{
    if (++c->nest > MS_MAX_DEPTH) {
        c->nest--;
        fail(c, "Excessive nesting; system limit reached near: ^", t);
        c->too_deep = true;
        return false;
    }
    return true;
}

/* True when t mentions a variable (or '_') anywhere: such a map key is rejected. */
static bool has_var(Term t, int depth)
{
    if (depth > MS_MAX_DEPTH) return true;
    if (is_atom(t)) return ms_var_number(t) >= 0 || t == AM_underscore;
    if (is_list(t)) {
        for (; is_list(t); t = list_tail(t))
            if (has_var(list_head(t), depth + 1)) return true;
        return has_var(t, depth + 1);
    }
    if (is_tuple(t)) {
        for (size_t i = 0; i < tuple_arity(t); i++)
            if (has_var(tuple_elems(t)[i], depth + 1)) return true;
        return false;
    }
    if (is_map(t)) {
        size_t n = map_size(t);
        for (size_t i = 0; i < n; i++) {
            Term k, v;
            map_pair_at(t, i, &k, &v);
            if (has_var(k, depth + 1) || has_var(v, depth + 1)) return true;
        }
    }
    return false;
}

/* ---- heads ---- */

/* Terms still to compile, for patterns of any depth without recursion. */
typedef struct Work {
    Term *items;
    size_t n, cap;
} Work;

static bool work_push(Compiler *c, Work *w, Term t)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        Term *items = realloc(w->items, cap * sizeof(Term));
        if (!items) {
            c->oom = true;
            return false;
        }
        w->items = items;
        w->cap = cap;
    }
    w->items[w->n++] = t;
    return true;
}

static void compile_map_pattern(Compiler *c, Work *w, Term t)
{
    size_t n = map_size(t);
    emit(c, MS_H_MAP);
    emit(c, (Term)n);
    for (size_t i = 0; i < n; i++) {
        Term k, v;
        map_pair_at(t, i, &k, &v);
        if (has_var(k, 0)) fail(c, "Variable found in map key.", k);
        emit(c, k);
    }
    push(c, n);
    for (size_t i = n; i > 0 && !c->failed; i--) {
        Term k, v;
        map_pair_at(t, i - 1, &k, &v);
        work_push(c, w, v);
    }
}

/*
 * Emits the pattern in pre-order; at run time each pattern instruction pops
 * one term of the head stack, and a tuple, cons or map pushes its parts.
 */
static void compile_pattern(Compiler *c, Term pattern)
{
    Work w = {0};
    work_push(c, &w, pattern);
    while (w.n && !c->failed && !c->oom) {
        Term t = w.items[--w.n];
        long v = ms_var_number(t);
        pop(c, 1);
        if (t == AM_underscore) {
            emit(c, MS_H_ANY);
        } else if (v >= 0) {
            long slot = find_var(c, (uint32_t)v);
            emit(c, slot >= 0 ? MS_H_CHECK : MS_H_BIND);
            emit(c, slot >= 0 ? (Term)slot : (Term)add_var(c, (uint32_t)v));
        } else if (is_tuple(t)) {
            size_t n = tuple_arity(t);
            emit(c, MS_H_TUPLE);
            emit(c, (Term)n);
            push(c, n);
            for (size_t i = n; i > 0 && !c->failed; i--) work_push(c, &w, tuple_elems(t)[i - 1]);
        } else if (is_list(t)) {
            emit(c, MS_H_CONS);
            push(c, 2);
            work_push(c, &w, list_tail(t));
            work_push(c, &w, list_head(t));
        } else if (is_map(t)) {
            compile_map_pattern(c, &w, t);
        } else {
            emit(c, MS_H_EQ);
            emit(c, t);
        }
    }
    free(w.items);
}

static void compile_head(Compiler *c, Term head)
{
    if (c->dialect == MS_TRACE) {
        /* a tuple head is accepted (and never matches); other non-list terms are not */
        bool ok = is_list(head) || is_nil(head) || is_tuple(head) || head == AM_underscore || ms_var_number(head) >= 0;
        if (!ok) {
            fail(c, "Match head is invalid in this context.", head);
            return;
        }
        if (is_list(head)) {
            Term t = head;
            while (is_list(t)) t = list_tail(t);
            if (!is_nil(t)) {
                fail(c, "Match expression part ~ is not a proper list.", head);
                return;
            }
        }
    }
    push(c, 1);
    compile_pattern(c, head);
    emit(c, MS_H_END);
}

/* ---- expressions ---- */

static void compile_expr(Compiler *c, Term t);

/* Terms that evaluate to themselves (no variable, call or construction inside). */
static bool is_const_expr(Term t, int depth)
{
    if (depth > 64) return false;
    if (is_atom(t)) return ms_var_number(t) < 0 && t != atom_from_cstr("$_") && t != atom_from_cstr("$$");
    if (is_tuple(t)) return false;
    if (is_list(t)) {
        for (; is_list(t); t = list_tail(t))
            if (!is_const_expr(list_head(t), depth + 1)) return false;
        return is_const_expr(t, depth + 1);
    }
    if (is_map(t)) return !has_var(t, 0) && map_size(t) == 0;
    return true;
}

static void emit_lit(Compiler *c, Term t)
{
    emit(c, MS_E_LIT);
    emit(c, t);
    push(c, 1);
}

static void compile_atom(Compiler *c, Term t)
{
    long v = ms_var_number(t);
    if (t == atom_from_cstr("$_")) {
        emit(c, MS_E_OBJ);
        push(c, 1);
    } else if (t == atom_from_cstr("$$")) {
        /* the bound variables in the order of their numbers */
        emit(c, MS_E_VARS);
        emit(c, (Term)c->nvars);
        size_t start = c->ncode;
        for (size_t i = 0; i < c->nvars; i++) emit(c, (Term)i);
        for (size_t i = 1; !rejected(c) && i < c->nvars; i++)
            for (size_t j = i; j > 0 && c->vars[c->code[start + j - 1]].number > c->vars[c->code[start + j]].number; j--) {
                Term tmp = c->code[start + j];
                c->code[start + j] = c->code[start + j - 1];
                c->code[start + j - 1] = tmp;
            }
        push(c, 1);
    } else if (v >= 0) {
        long slot = find_var(c, (uint32_t)v);
        if (slot < 0) {
            char text[64];
            snprintf(text, sizeof text, "Variable $%ld is unbound.", v);
            fail(c, text, t);
            return;
        }
        emit(c, MS_E_VAR);
        emit(c, (Term)slot);
        push(c, 1);
    } else {
        emit_lit(c, t);
    }
}

static void compile_list(Compiler *c, Term t)
{
    size_t n = 0;
    for (; is_list(t); t = list_tail(t), n++) compile_expr(c, list_head(t));
    compile_expr(c, t);
    for (size_t i = 0; i < n; i++) {
        emit(c, MS_E_CONS);
        pop(c, 1);
    }
}

/* OTP evaluates a map's values, then its keys, each from the last to the first
   (MS_E_MAP finds them in that order on the stack). */
static void compile_map(Compiler *c, Term t)
{
    size_t n = map_size(t);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = n; i > 0; i--) {
            Term k, v;
            map_pair_at(t, i - 1, &k, &v);
            compile_expr(c, pass == 0 ? v : k);
        }
    emit(c, MS_E_MAP);
    emit(c, (Term)n);
    pop(c, 2 * n);
    push(c, 1);
}

/* Arguments and {{...}} elements are evaluated from the last to the first, as
   OTP does (it shows when they have side effects, such as display): the
   instruction that uses them finds the first on top of the stack. */
static void compile_args(Compiler *c, Term t, size_t from)
{
    for (size_t i = tuple_arity(t); i > from; i--) compile_expr(c, tuple_elems(t)[i - 1]);
}

/* andalso / orelse: each operand but the last may end the evaluation. */
static void compile_short_circuit(Compiler *c, Term t, enum MsOp op)
{
    size_t n = tuple_arity(t) - 1;
    size_t chain = 0; /* the jump operands to patch, linked through themselves (0 ends) */
    for (size_t i = 0; i < n; i++) {
        compile_expr(c, tuple_elems(t)[i + 1]);
        if (i + 1 == n) break;
        emit(c, op);
        emit(c, c->guard);
        size_t at = c->ncode;
        emit(c, (Term)chain);
        chain = at;
        pop(c, 1);
    }
    while (chain && !rejected(c)) {
        size_t next = (size_t)c->code[chain];
        c->code[chain] = (Term)c->ncode;
        chain = next;
    }
}

static void compile_special(Compiler *c, Term t, const SpecialForm *f)
{
    size_t nargs = tuple_arity(t) - 1;
    if (c->dialect != MS_TRACE) {
        fail_named(c, "Special form '@' used in wrong dialect.", f->shown, t);
        return;
    }
    if (c->guard && !f->in_guard) {
        fail_named(c, "Special form '@' called in guard context.", f->shown, t);
        return;
    }
    if (nargs < f->min || nargs > f->max) {
        fail_named(c, f->max == 0 ? "Special form '@' called with arguments in ~."
                                  : "Special form '@' called with wrong number of arguments in ~.",
                   f->name, t);
        return;
    }
    compile_args(c, t, 1);
    pop(c, nargs);
    switch (f->kind) {
    case F_FLAG: emit(c, MS_E_FLAG); emit(c, (Term)f->what); break;
    case F_MESSAGE: emit(c, MS_E_MESSAGE); break;
    case F_SILENT: emit(c, MS_E_SILENT); break;
    case F_ACTION:
        emit(c, MS_E_ACTION);
        emit(c, (Term)(f->what + (int)(nargs - f->min)));
        emit(c, (Term)nargs);
        break;
    }
    push(c, 1);
}

static void compile_tcw(Compiler *c, Term t, bool set)
{
    bool ok = c->dialect == MS_TRACE && !(set && c->guard);
    if (!ok) {
        fail(c, set ? "Function set_tcw/1 cannot be called in this context."
                     : "Function get_tcw/0 cannot be called in this context.", t);
        return;
    }
    compile_args(c, t, 1);
    pop(c, set ? 1 : 0);
    emit(c, MS_E_ACTION);
    emit(c, set ? MS_ACT_SET_TCW : MS_ACT_GET_TCW);
    emit(c, set ? 1 : 0);
    push(c, 1);
}

static void compile_bool_op(Compiler *c, Term t, Term name)
{
    size_t n = tuple_arity(t) - 1;
    if (n == 0) {
        fail_named(c, "Special form '@' called without arguments in ~.", atom_text(name), t);
        return;
    }
    if (name == atom_from_cstr("andalso") || name == atom_from_cstr("orelse")) {
        compile_short_circuit(c, t, name == atom_from_cstr("andalso") ? MS_E_ANDALSO : MS_E_ORELSE);
        return;
    }
    compile_args(c, t, 1);
    emit(c, name == atom_from_cstr("and") ? MS_E_AND : MS_E_OR);
    emit(c, c->guard);
    emit(c, (Term)n);
    pop(c, n);
    push(c, 1);
}

static void compile_call(Compiler *c, Term t)
{
    Term name = tuple_elems(t)[0];
    size_t nargs = tuple_arity(t) - 1;
    const char *text = atom_text(name);
    if (strcmp(text, "const") == 0) {
        if (nargs == 1) emit_lit(c, tuple_elems(t)[1]);
        else fail(c, "Special form 'const' called with more than one argument in ~.", t);
        return;
    }
    if (!strcmp(text, "and") || !strcmp(text, "or") || !strcmp(text, "andalso") || !strcmp(text, "orelse")) {
        compile_bool_op(c, t, name);
        return;
    }
    if (!strcmp(text, "self") && nargs > 0) {
        fail(c, "Special form 'self' called with arguments in ~.", t);
        return;
    }
    if (!strcmp(text, "get_tcw") && nargs == 0) return compile_tcw(c, t, false);
    if (!strcmp(text, "set_tcw") && nargs == 1) return compile_tcw(c, t, true);
    const SpecialForm *f = special_form(name);
    if (f) return compile_special(c, t, f);
    const GuardFn *g = guard_fn(name, (unsigned)nargs);
    if (!g) {
        char fmt[64];
        snprintf(fmt, sizeof fmt, "Function ~/%zu does_not_exist.", nargs);
        fail(c, fmt, name);
        return;
    }
    compile_args(c, t, 1);
    emit(c, MS_E_CALL);
    emit(c, c->guard);
    emit(c, (Term)(uintptr_t)g->fn);
    emit(c, (Term)nargs);
    pop(c, nargs);
    push(c, 1);
}

static void compile_tuple_expr(Compiler *c, Term t)
{
    size_t n = tuple_arity(t);
    Term first = n ? tuple_elems(t)[0] : THE_NON_VALUE;
    if (n == 1 && is_tuple(first)) { /* {{...}}: build a tuple */
        size_t m = tuple_arity(first);
        compile_args(c, first, 0);
        emit(c, MS_E_TUPLE);
        emit(c, (Term)m);
        pop(c, m);
        push(c, 1);
    } else if (n >= 1 && is_atom(first)) {
        compile_call(c, t);
    } else {
        fail(c, "~ is neither a function call, nor a tuple (tuples are written {{ ... }}).", t);
    }
}

static void compile_expr(Compiler *c, Term t)
{
    if (c->failed || !enter(c, t)) return;
    if (is_atom(t)) compile_atom(c, t);
    else if (is_const_expr(t, 0)) emit_lit(c, t);
    else if (is_tuple(t)) compile_tuple_expr(c, t);
    else if (is_list(t)) compile_list(c, t);
    else compile_map(c, t);
    c->nest--;
}

/* ---- clauses ---- */

static void compile_conds(Compiler *c, Term conds)
{
    Term t = conds;
    for (; is_list(t); t = list_tail(t)) {
        compile_expr(c, list_head(t));
        c->failed = false;
        emit(c, MS_C_TEST);
        pop(c, 1);
    }
    if (!is_nil(t)) fail(c, "Match expression is not a proper list.", conds);
}

static void compile_body(Compiler *c, Term body)
{
    if (c->dialect == MS_TABLE && !is_list(body)) {
        fail(c, "Body clause does not return anything.", body);
        return;
    }
    Term t = body;
    for (; is_list(t); t = list_tail(t)) {
        compile_expr(c, list_head(t));
        c->failed = false;
        if (is_list(list_tail(t)) || c->dialect == MS_TRACE) {
            emit(c, MS_C_POP);
            pop(c, 1);
        }
    }
    if (!is_list(body) && !is_nil(body)) fail(c, "Match expression is not a list.", body);
    else if (!is_nil(t)) fail(c, "Match expression is not a proper list.", body);
    emit(c, MS_C_END);
}

static void compile_clause(Compiler *c, MsClause *cl, Term clause)
{
    cl->head = tuple_elems(clause)[0];
    cl->conds = tuple_elems(clause)[1];
    cl->body = tuple_elems(clause)[2];
    cl->code = c->ncode;
    c->nvars = 0;
    c->depth = 0;
    c->guard = false;
    compile_head(c, cl->head);
    if (rejected(c)) return; /* OTP reports nothing after a bad head */
    if (!is_list(cl->conds) && !is_nil(cl->conds)) {
        fail(c, "Match expression is not a list.", cl->conds);
        return;
    }
    c->guard = true;
    compile_conds(c, cl->conds);
    c->guard = false;
    compile_body(c, cl->body);
}

/* ---- the program ---- */

static MsProg *prog_new(Term spec)
{
    MsProg *prog = calloc(1, sizeof *prog);
    if (!prog) return NULL;
    atomic_init(&prog->refc, 1);
    prog->spec_nwords = term_size(spec);
    if (prog->spec_nwords) {
        prog->spec_words = malloc(prog->spec_nwords * sizeof(Term));
        if (!prog->spec_words) {
            free(prog);
            return NULL;
        }
    }
    prog->spec = term_copy_to(spec, prog->spec_words);
    return prog;
}

static void prog_free(MsProg *prog)
{
    if (prog->spec_words) binary_drop_copy(prog->spec_words, prog->spec_nwords);
    free(prog->spec_words);
    free(prog->clauses);
    free(prog->code);
    free(prog);
}

void ms_retain(MsProg *prog) { atomic_fetch_add_explicit(&prog->refc, 1, memory_order_relaxed); }

void ms_release(MsProg *prog)
{
    if (prog && atomic_fetch_sub_explicit(&prog->refc, 1, memory_order_acq_rel) == 1) prog_free(prog);
}

/* Builds the [{error, "text"}, ...] list of match_spec_test on p's heap. */
static Term error_list(Process *p, const Compiler *c)
{
    Term list = NIL;
    for (size_t e = c->nerr; e > 0; e--) {
        size_t from = e > 1 ? c->err_ends[e - 2] : 0;
        Term text = NIL;
        for (size_t i = c->err_ends[e - 1]; i > from; i--)
            text = heap_cons(p, make_small((uint8_t)c->err.data[i - 1]), text);
        list = heap_cons(p, heap_tuple2(p, AM_error, text), list);
    }
    return list;
}

static void compile_clauses(Compiler *c, MsProg *prog)
{
    Term spec = prog->spec;
    size_t n = 0;
    Term t = spec;
    for (; is_list(t); t = list_tail(t)) n++;
    if (!is_nil(t)) {
        fail(c, "Match programs are not in a proper list.", spec);
        return;
    }
    if (n == 0) {
        fail(c, "Match programs are not in a list.", spec);
        return;
    }
    for (t = spec; is_list(t); t = list_tail(t)) {
        Term cl = list_head(t);
        if (!is_tuple(cl) || tuple_arity(cl) != 3) {
            fail(c, "Match program part is not a tuple of arity 3.", cl);
            return;
        }
    }
    prog->clauses = calloc(n, sizeof(MsClause));
    if (!prog->clauses) {
        c->oom = true;
        return;
    }
    prog->nclauses = n;
    size_t i = 0;
    for (t = spec; is_list(t) && !rejected(c); t = list_tail(t), i++) {
        compile_clause(c, &prog->clauses[i], list_head(t));
        if (c->nvars > prog->max_vars) prog->max_vars = c->nvars;
    }
    if (c->max_depth > prog->max_stack) prog->max_stack = c->max_depth;
}

MsProg *ms_compile(Term spec, MsDialect dialect, Process *p, Term *errors)
{
    Compiler c = {.dialect = dialect};
    sb_init(&c.err);
    MsProg *prog = NULL;
    if (!is_list(spec)) {
        fail(&c, "Match programs are not in a list.", spec);
    } else {
        prog = prog_new(spec);
        if (!prog) c.oom = true;
        else {
            prog->dialect = dialect;
            compile_clauses(&c, prog);
        }
    }
    free(c.vars);
    last_too_deep = c.too_deep || c.oom;
    if (rejected(&c)) {
        if (errors) {
            c.failed = false;
            if (c.oom) {
                c.oom = false;
                fail(&c, "Match program is too large.", NIL);
            }
            *errors = error_list(p, &c);
        }
        sb_free(&c.err);
        free(c.err_ends);
        free(c.code);
        if (prog) prog_free(prog);
        return NULL;
    }
    sb_free(&c.err);
    free(c.err_ends);
    prog->code = c.code;
    prog->ncode = c.ncode;
    return prog;
}

MsDialect ms_dialect(const MsProg *prog) { return prog->dialect; }
size_t ms_clause_count(const MsProg *prog) { return prog->nclauses; }
Term ms_source(const MsProg *prog) { return prog->spec; }

/* ---- what ETS asks ---- */

static bool is_ground(Term t) { return !has_var(t, 0); }

Term ms_bound_key(const MsProg *prog, unsigned keypos)
{
    Term key = THE_NON_VALUE;
    for (size_t i = 0; i < prog->nclauses; i++) {
        Term h = prog->clauses[i].head;
        if (!is_tuple(h) || keypos == 0 || tuple_arity(h) < keypos) return THE_NON_VALUE;
        Term k = tuple_elems(h)[keypos - 1];
        if (!is_ground(k)) return THE_NON_VALUE;
        if (key != THE_NON_VALUE && !term_eq_exact(key, k)) return THE_NON_VALUE;
        key = k;
    }
    return key;
}

static bool body_is_object(Term body)
{
    return is_list(body) && list_head(body) == atom_from_cstr("$_") && is_nil(list_tail(body));
}

bool ms_returns_object(const MsProg *prog)
{
    return prog->nclauses == 1 && body_is_object(prog->clauses[0].body);
}

bool ms_is_plain_match(const MsProg *prog)
{
    for (size_t i = 0; i < prog->nclauses; i++)
        if (!is_nil(prog->clauses[i].conds) || !body_is_object(prog->clauses[i].body)) return false;
    return true;
}
