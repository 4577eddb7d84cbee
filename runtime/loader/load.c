/*
 * load.c - loader stage 2 (see load.h).
 *
 * One pass over the generic instructions emits code into a growable buffer,
 * remembering label definitions and every place that refers to a label.
 * A second step copies the code to its final place and turns label
 * references into addresses, registers catch handlers, fills the lambda
 * table and publishes the exports. Stage 1 (beam_file.c) already checked
 * every index, so translation only has to check what depends on erbium
 * itself: unsupported instructions and BIFs erbium lacks.
 */
#include "runtime/loader/load.h"

#include "runtime/loader/load_internal.h"

#include "runtime/interp/catch_table.h"
#include "runtime/interp/interp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define NO_LABEL UINT32_MAX

bool load_fail(Loader *L, const char *fmt, ...)
{
    if (L->failed) return false;
    L->failed = true;
    int n = snprintf(L->err, L->errlen, "%s: ", atom_text(L->bf->module));
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < L->errlen) vsnprintf(L->err + n, L->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

const GenArg *load_arg(const Loader *L, unsigned i) { return &L->bf->args[L->op->first_arg + i]; }

const GenOp *load_peek(const Loader *L, unsigned k)
{
    size_t at = (size_t)(L->op - L->bf->ops) + k;
    return at < L->bf->num_ops ? &L->bf->ops[at] : NULL;
}

const GenArg *load_op_arg(const Loader *L, const GenOp *op, unsigned i) { return &L->bf->args[op->first_arg + i]; }

void load_emit(Loader *L, BeamInstr w) { VEC_PUSH(L->code, w); }
void load_emit_op(Loader *L, OpCode op)
{
    if (L->dumping) VEC_PUSH(L->dump, (uint32_t)L->code.n);
    load_emit(L, op_word(op));
}

/* A label operand; label 0 (no label) becomes 0, "raise instead". */
void load_emit_label(Loader *L, const GenArg *a)
{
    if (a->kind != GA_F || a->val == 0) {
        load_emit(L, 0);
        return;
    }
    VEC_PUSH(L->refs, ((LabelRef){(uint32_t)L->code.n, (uint32_t)a->val}));
    load_emit(L, 0);
}

bool load_same_reg(const GenArg *a, const GenArg *b)
{
    return (a->kind == GA_X || a->kind == GA_Y) && a->kind == b->kind && a->val == b->val;
}

bool load_is_const(const GenArg *a)
{
    return a->kind == GA_I || a->kind == GA_A || a->kind == GA_NIL || a->kind == GA_LIT;
}

static BeamInstr reg_word(const GenArg *a) { return a->kind == GA_X ? load_x_word(a->val) : load_y_word(a->val); }

/* A source operand: register or constant. */
void load_emit_src(Loader *L, const GenArg *a)
{
    if (a->kind == GA_X || a->kind == GA_Y) load_emit(L, reg_word(a));
    else if (load_is_const(a)) load_emit(L, a->term);
    else load_fail(L, "bad source operand in %s", gen_op_name(L->op->op));
}

void load_emit_dst(Loader *L, const GenArg *a)
{
    if (a->kind == GA_X || a->kind == GA_Y) load_emit(L, reg_word(a));
    else load_fail(L, "bad destination operand in %s", gen_op_name(L->op->op));
}

void load_emit_u(Loader *L, const GenArg *a) { load_emit(L, a->val); }

/* Heap words an allocation operand asks for, in erbium's layout. */
BeamInstr load_heap_need(const GenArg *a)
{
    if (a->kind == GA_ALLOC)
        return a->alloc.words + (BeamInstr)a->alloc.floats * FLOAT_WORDS + (BeamInstr)a->alloc.funs * FUN_FIXED_WORDS;
    return a->val;
}

static const Export *import_bif(Loader *L, const GenArg *a)
{
    const Export *e = L->imports[a->val];
    if (!e->bif)
        load_fail(L, "erbium has no BIF %s:%s/%u (used by %s)", atom_text(e->module), atom_text(e->function),
             e->arity, gen_op_name(L->op->op));
    return e;
}

static bool small_const(const GenArg *a) { return a->kind == GA_I && is_small(a->term); }

/* ---- translations of single generic instructions ---- */

static void tr_func_info(Loader *L)
{
    if (L->funcs.n) L->funcs.v[L->funcs.n - 1].end = (uint32_t)L->code.n;
    FuncSpan f = {(uint32_t)L->code.n, 0, load_arg(L, 1)->term, (uint32_t)load_arg(L, 2)->val};
    VEC_PUSH(L->funcs, f);
    load_emit_op(L, OP_i_func_info);
    load_emit(L, load_arg(L, 0)->term);
    load_emit(L, load_arg(L, 1)->term);
    load_emit(L, load_arg(L, 2)->val);
    load_emit(L, 0); /* breakpoint data */
    load_site_entry(L);
}

static void tr_move(Loader *L)
{
    const GenArg *s = load_arg(L, 0), *d = load_arg(L, 1);
    OpCode op = OP_i_move;
    if (s->kind == GA_X && d->kind == GA_X) op = OP_i_move_xx;
    else if (s->kind == GA_X && d->kind == GA_Y) op = OP_i_move_xy;
    else if (s->kind == GA_Y && d->kind == GA_X) op = OP_i_move_yx;
    else if (load_is_const(s) && d->kind == GA_X) op = OP_i_move_cx;
    load_emit_op(L, op);
    load_emit_src(L, s);
    load_emit_dst(L, d);
}

/*
 * Comparison tests: f A B. `special` is the variant for an x register against
 * a small integer (< and >=) or against any immediate (=:= and =/=).
 */
static void tr_compare(Loader *L, OpCode generic, OpCode special)
{
    const GenArg *a = load_arg(L, 1), *b = load_arg(L, 2);
    bool use = false;
    if (special == OP_i_is_eq_exact_immed || special == OP_i_is_ne_exact_immed)
        use = load_is_const(b) && is_immed(b->term);
    else if (special != OP_COUNT)
        use = a->kind == GA_X && small_const(b);
    load_emit_op(L, use ? special : generic);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, a);
    load_emit_src(L, b);
}

/* One-operand type tests: f A. */
static void tr_type_test(Loader *L, OpCode op)
{
    load_emit_op(L, op);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, load_arg(L, 1));
}

static bool same_arg(const GenArg *a, const GenArg *b)
{
    return a->kind == b->kind && a->val == b->val && a->term == b->term;
}

/* is_tuple F S directly followed by test_arity F S N becomes one test. */
static void tr_is_tuple(Loader *L)
{
    const GenOp *next = L->op + 1;
    const GenArg *nargs = next < L->bf->ops + L->bf->num_ops ? &L->bf->args[next->first_arg] : NULL;
    if (nargs && next->op == GOP_test_arity && same_arg(&nargs[0], load_arg(L, 0)) && same_arg(&nargs[1], load_arg(L, 1))) {
        load_emit_op(L, OP_i_is_tuple_arity);
        load_emit_label(L, load_arg(L, 0));
        load_emit_src(L, load_arg(L, 1));
        load_emit_u(L, &nargs[2]);
        L->skip = 1;
        return;
    }
    tr_type_test(L, OP_i_is_tuple);
}

static int cmp_word_pairs(const void *a, const void *b)
{
    const BeamInstr *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

#define SELECT_BINARY_MIN 8

static void tr_select_val(Loader *L)
{
    const GenArg *list = load_arg(L, 2);
    size_t n = list->val / 2;
    BeamInstr *pairs = malloc((n ? n : 1) * 2 * sizeof *pairs);
    if (!pairs) abort();
    bool all_immed = true;
    for (size_t i = 0; i < n; i++) {
        const GenArg *v = load_arg(L, 3 + 2 * (unsigned)i);
        pairs[2 * i] = v->term;
        pairs[2 * i + 1] = i;
        all_immed = all_immed && is_immed(v->term);
    }
    bool binary = all_immed && n >= SELECT_BINARY_MIN;
    if (binary) qsort(pairs, n, 2 * sizeof *pairs, cmp_word_pairs);
    load_emit_op(L, binary ? OP_i_select_val_bin : OP_i_select_val_lin);
    load_emit_src(L, load_arg(L, 0));
    load_emit_label(L, load_arg(L, 1));
    load_emit(L, n);
    for (size_t i = 0; i < n; i++) load_emit(L, pairs[2 * i]);
    for (size_t i = 0; i < n; i++) load_emit_label(L, load_arg(L, 4 + 2 * (unsigned)pairs[2 * i + 1]));
    free(pairs);
}

static void tr_select_tuple_arity(Loader *L)
{
    size_t n = load_arg(L, 2)->val / 2;
    load_emit_op(L, OP_i_select_tuple_arity);
    load_emit_src(L, load_arg(L, 0));
    load_emit_label(L, load_arg(L, 1));
    load_emit(L, n);
    for (size_t i = 0; i < n; i++) load_emit_u(L, load_arg(L, 3 + 2 * (unsigned)i));
    for (size_t i = 0; i < n; i++) load_emit_label(L, load_arg(L, 4 + 2 * (unsigned)i));
}

/*
 * The `deallocate D; return` after a fun call, if there is one: then the
 * call is a tail call (erlc emits no call_fun_last; OTP's loader makes one,
 * so a loop through funs runs in constant stack). Skips those two
 * instructions and returns the deallocate, else NULL.
 */
static const GenOp *deallocate_return_after(Loader *L)
{
    const GenOp *dealloc = load_peek(L, 1), *ret = load_peek(L, 2);
    if (!dealloc || dealloc->op != GOP_deallocate || !ret || ret->op != GOP_return) return NULL;
    L->skip = 2;
    return dealloc;
}

/* call_fun Arity, the fun in x(Arity) */
static void tr_call_fun(Loader *L)
{
    const GenOp *dealloc = deallocate_return_after(L);
    load_emit_op(L, dealloc ? OP_i_call_fun_last : OP_i_call_fun);
    load_emit_u(L, load_arg(L, 0));
    if (dealloc) load_emit_u(L, load_op_arg(L, dealloc, 0));
}

/* call_fun2 Tag Arity Fun */
static void tr_call_fun2(Loader *L)
{
    const GenOp *dealloc = deallocate_return_after(L);
    load_emit_op(L, dealloc ? OP_i_call_fun2_last : OP_i_call_fun2);
    load_emit_u(L, load_arg(L, 1));
    load_emit_src(L, load_arg(L, 2));
    if (dealloc) load_emit_u(L, load_op_arg(L, dealloc, 0));
}

/*
 * The instruction for a two-argument erlang BIF that has an inline fast path
 * (ops.def: i_times ...), or `generic`. Its operands are the generic ones, and its
 * slow path is the generic BIF call (the same code for bif2 and gc_bif2).
 */
static OpCode fast_bif2(const Export *e, OpCode generic)
{
    static const struct { const char *name; OpCode op; } fast[] = {
        {"*", OP_i_times}, {"div", OP_i_int_div}, {"rem", OP_i_rem}, {"band", OP_i_band},
        {"bor", OP_i_bor}, {"bsr", OP_i_bsr},     {"bsl", OP_i_bsl}, {"element", OP_i_element},
    };
    if (e->module != AM_erlang || e->arity != 2) return generic;
    for (size_t i = 0; i < sizeof fast / sizeof fast[0]; i++)
        if (e->function == atom_from_cstr(fast[i].name)) return fast[i].op;
    return generic;
}

/* bif0 Imp D; bif1 F Imp A D; bif2 F Imp A B D. */
static void tr_bif(Loader *L, unsigned nargs)
{
    unsigned imp = nargs == 0 ? 0 : 1;
    const Export *e = import_bif(L, load_arg(L, imp));
    if (nargs == 0 && e->module == AM_erlang && e->function == atom_from_cstr("self")) {
        load_emit_op(L, OP_i_self);
        load_emit_dst(L, load_arg(L, 1));
        return;
    }
    OpCode op = nargs == 0 ? OP_i_bif0 : nargs == 1 ? OP_i_bif1 : fast_bif2(e, OP_i_bif2);
    load_emit_op(L, op);
    if (nargs > 0) load_emit_label(L, load_arg(L, 0));
    load_emit(L, (BeamInstr)e);
    for (unsigned i = 0; i < nargs; i++) load_emit_src(L, load_arg(L, imp + 1 + i));
    load_emit_dst(L, load_arg(L, imp + 1 + nargs));
}

/* gc_bifN F Live Imp Args... D; '+' and '-' get the small-integer fast path. */
static void tr_gc_bif(Loader *L, unsigned nargs)
{
    const Export *e = import_bif(L, load_arg(L, 2));
    if (L->failed) return;
    const GenArg *a = load_arg(L, 3), *b = load_arg(L, 4);
    bool plus = nargs == 2 && e->module == AM_erlang && e->function == atom_from_cstr("+");
    bool minus = nargs == 2 && e->module == AM_erlang && e->function == atom_from_cstr("-");
    if (plus || minus) {
        bool xc = a->kind == GA_X && small_const(b), into_x = load_arg(L, 5)->kind == GA_X;
        OpCode op = !xc ? (plus ? OP_i_plus : OP_i_minus)
                    : into_x ? (plus ? OP_i_plus_xcx : OP_i_minus_xcx)
                             : (plus ? OP_i_plus_xc : OP_i_minus_xc);
        load_emit_op(L, op);
        load_emit_label(L, load_arg(L, 0));
        load_emit_src(L, a);
        load_emit_src(L, b);
        load_emit_dst(L, load_arg(L, 5));
        return;
    }
    if (nargs == 1 && e->module == AM_erlang && e->function == atom_from_cstr("+")) {
        /* unary plus is A + 0 in OTP's instruction (so +(-0.0) is 0.0); the BIF keeps -0.0 */
        load_emit_op(L, OP_i_plus);
        load_emit_label(L, load_arg(L, 0));
        load_emit_src(L, a);
        load_emit(L, make_small(0));
        load_emit_dst(L, load_arg(L, 4));
        return;
    }
    OpCode op = nargs == 1 ? OP_i_gc_bif1 : nargs == 2 ? fast_bif2(e, OP_i_gc_bif2) : OP_i_gc_bif3;
    load_emit_op(L, op);
    load_emit_label(L, load_arg(L, 0));
    load_emit(L, (BeamInstr)e);
    for (unsigned i = 0; i < nargs; i++) load_emit_src(L, load_arg(L, 3 + i));
    load_emit_dst(L, load_arg(L, 3 + nargs));
}

/*
 * call_ext*: a BIF is called right at the call site (BIFs never change, and
 * a stack trace then shows the calling function, as in OTP); anything else,
 * dirty natives included, jumps through the export entry.
 */
static void tr_call_ext(Loader *L, OpCode plain, OpCode bif)
{
    const Export *e = L->imports[load_arg(L, 1)->val];
    /* a dirty native goes through its export stub, which hands it to the dirty pool;
       so the direct BIF calls never test for dirtiness */
    load_emit_op(L, e->bif && !e->dirty ? bif : plain);
    load_emit(L, (BeamInstr)e);
    if (plain == OP_i_call_ext_last) load_emit_u(L, load_arg(L, 2));
}

static void tr_catch(Loader *L)
{
    const GenArg *y = load_arg(L, 0), *label = load_arg(L, 1);
    load_emit_op(L, OP_i_catch);
    load_emit_dst(L, y);
    VEC_PUSH(L->catches, ((CatchRef){(uint32_t)L->code.n, (uint32_t)label->val, (uint32_t)y->val}));
    load_emit(L, 0);
}

static void tr_list_op(Loader *L, OpCode op, unsigned list_at)
{
    size_t n = load_arg(L, list_at)->val;
    load_emit(L, n);
    for (size_t i = 0; i < n; i++) {
        const GenArg *a = load_arg(L, list_at + 1 + (unsigned)i);
        if (op == OP_i_init_yregs) load_emit_dst(L, a);
        else load_emit_src(L, a);
    }
}

/* put_map_assoc/exact Fail Map Dst Live [K V ...] */
static void tr_put_map(Loader *L, OpCode op)
{
    load_emit_op(L, op);
    if (op == OP_i_put_map_exact) load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, load_arg(L, 1));
    load_emit_dst(L, load_arg(L, 2));
    load_emit_u(L, load_arg(L, 3));
    tr_list_op(L, op, 4);
}

/* get_map_elements Fail Map [K1 D1 K2 D2 ...] -> keys block, then destinations block */
static void tr_get_map_elements(Loader *L)
{
    size_t n = load_arg(L, 2)->val / 2;
    load_emit_op(L, OP_i_get_map_elements);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, load_arg(L, 1));
    load_emit(L, n);
    for (size_t i = 0; i < n; i++) load_emit_src(L, load_arg(L, 3 + 2 * (unsigned)i));
    for (size_t i = 0; i < n; i++) load_emit_dst(L, load_arg(L, 4 + 2 * (unsigned)i));
}

static void tr_fmove(Loader *L)
{
    const GenArg *s = load_arg(L, 0), *d = load_arg(L, 1);
    if (s->kind == GA_FR && d->kind == GA_FR) {
        load_emit_op(L, OP_i_fmove_ff);
        load_emit_u(L, s);
        load_emit_u(L, d);
    } else if (s->kind == GA_FR) {
        load_emit_op(L, OP_i_fmove_out);
        load_emit_u(L, s);
        load_emit_dst(L, d);
    } else {
        load_emit_op(L, OP_i_fmove_in);
        load_emit_src(L, s);
        load_emit_u(L, d);
    }
}

static void tr_float_arith(Loader *L, OpCode op, unsigned nregs)
{
    load_emit_op(L, op);
    for (unsigned i = 0; i < nregs; i++) load_emit_u(L, load_arg(L, 1 + i));
}

static void tr_simple(Loader *L, OpCode op)
{
    const char *sig = op_signature[op];
    load_emit_op(L, op);
    for (unsigned i = 0; sig[i]; i++) {
        const GenArg *a = load_arg(L, i);
        switch (sig[i]) {
        case 'S': case 'c': load_emit_src(L, a); break;
        case 'd': case 'x': case 'y': load_emit_dst(L, a); break;
        case 'L': case 'f': load_emit_label(L, a); break;
        case 'u': load_emit_u(L, a); break;
        case 'p': load_emit(L, (BeamInstr)L->imports[a->val]); break;
        }
    }
}

void load_line(Loader *L, const GenOp *line)
{
    uint32_t item = (uint32_t)load_op_arg(L, line, 0)->val;
    if (L->lines.n && L->lines.v[L->lines.n - 1].offset == L->code.n) L->lines.n--;
    VEC_PUSH(L->lines, ((LineRef){(uint32_t)L->code.n, item}));
    load_site_line(L, line);
}

static void translate_op(Loader *L)
{
    switch (L->op->op) {
    case GOP_label: L->label_pos[load_arg(L, 0)->val] = (uint32_t)L->code.n; break;
    case GOP_line: load_line(L, L->op); break;
    case GOP_func_info: tr_func_info(L); break;
    case GOP_int_code_end:
    case GOP_nif_start: break;
    case GOP_on_load:
        L->has_on_load = true;
        L->on_load_pos = (uint32_t)L->code.n;
        break;
    case GOP_call: load_emit_op(L, OP_i_call); load_emit_label(L, load_arg(L, 1)); break;
    case GOP_call_last: load_emit_op(L, OP_i_call_last); load_emit_label(L, load_arg(L, 1)); load_emit_u(L, load_arg(L, 2)); break;
    case GOP_call_only: load_emit_op(L, OP_i_call_only); load_emit_label(L, load_arg(L, 1)); break;
    case GOP_call_ext: tr_call_ext(L, OP_i_call_ext, OP_i_call_ext_bif); break;
    case GOP_call_ext_only: tr_call_ext(L, OP_i_call_ext_only, OP_i_call_ext_bif_only); break;
    case GOP_call_ext_last: tr_call_ext(L, OP_i_call_ext_last, OP_i_call_ext_bif_last); break;
    case GOP_bif0: tr_bif(L, 0); break;
    case GOP_bif1: tr_bif(L, 1); break;
    case GOP_bif2: tr_bif(L, 2); break;
    case GOP_gc_bif1: tr_gc_bif(L, 1); break;
    case GOP_gc_bif2: tr_gc_bif(L, 2); break;
    case GOP_gc_bif3: tr_gc_bif(L, 3); break;
    case GOP_allocate: tr_simple(L, OP_i_allocate); break;
    case GOP_allocate_heap:
        load_emit_op(L, OP_i_allocate_heap);
        load_emit_u(L, load_arg(L, 0));
        load_emit(L, load_heap_need(load_arg(L, 1)));
        load_emit_u(L, load_arg(L, 2));
        break;
    case GOP_test_heap: load_emit_op(L, OP_i_test_heap); load_emit(L, load_heap_need(load_arg(L, 0))); load_emit_u(L, load_arg(L, 1)); break;
    case GOP_deallocate: tr_simple(L, OP_i_deallocate); break;
    case GOP_return: load_emit_op(L, OP_i_return); break;
    case GOP_trim: tr_simple(L, OP_i_trim); break;
    case GOP_init_yregs: load_emit_op(L, OP_i_init_yregs); tr_list_op(L, OP_i_init_yregs, 0); break;
    case GOP_move: tr_move(L); break;
    case GOP_swap: tr_simple(L, OP_i_swap); break;
    case GOP_get_list: tr_simple(L, OP_i_get_list); break;
    case GOP_get_hd: tr_simple(L, OP_i_get_hd); break;
    case GOP_get_tl: tr_simple(L, OP_i_get_tl); break;
    case GOP_put_list: tr_simple(L, OP_i_put_list); break;
    case GOP_put_tuple2: load_emit_op(L, OP_i_put_tuple2); load_emit_dst(L, load_arg(L, 0)); tr_list_op(L, OP_i_put_tuple2, 1); break;
    case GOP_get_tuple_element: tr_simple(L, OP_i_get_tuple_element); break;
    case GOP_set_tuple_element: tr_simple(L, OP_i_set_tuple_element); break;
    case GOP_is_lt: tr_compare(L, OP_i_is_lt, OP_i_is_lt_xc); break;
    case GOP_is_ge: tr_compare(L, OP_i_is_ge, OP_i_is_ge_xc); break;
    case GOP_is_eq: tr_compare(L, OP_i_is_eq, OP_COUNT); break;
    case GOP_is_ne: tr_compare(L, OP_i_is_ne, OP_COUNT); break;
    case GOP_is_eq_exact: tr_compare(L, OP_i_is_eq_exact, OP_i_is_eq_exact_immed); break;
    case GOP_is_ne_exact: tr_compare(L, OP_i_is_ne_exact, OP_i_is_ne_exact_immed); break;
    case GOP_is_integer: tr_type_test(L, OP_i_is_integer); break;
    case GOP_is_float: tr_type_test(L, OP_i_is_float); break;
    case GOP_is_number: tr_type_test(L, OP_i_is_number); break;
    case GOP_is_atom: tr_type_test(L, OP_i_is_atom); break;
    case GOP_is_pid: tr_type_test(L, OP_i_is_pid); break;
    case GOP_is_reference: tr_type_test(L, OP_i_is_reference); break;
    case GOP_is_port: tr_type_test(L, OP_i_is_port); break;
    case GOP_is_nil: tr_type_test(L, OP_i_is_nil); break;
    case GOP_is_binary: tr_type_test(L, OP_i_is_binary); break;
    case GOP_is_bitstr: tr_type_test(L, OP_i_is_bitstr); break;
    case GOP_is_list: tr_type_test(L, OP_i_is_list); break;
    case GOP_is_nonempty_list: tr_type_test(L, OP_i_is_nonempty_list); break;
    case GOP_is_tuple: tr_is_tuple(L); break;
    case GOP_is_boolean: tr_type_test(L, OP_i_is_boolean); break;
    case GOP_is_function: tr_type_test(L, OP_i_is_function); break;
    case GOP_is_map: tr_type_test(L, OP_i_is_map); break;
    case GOP_is_function2: tr_simple(L, OP_i_is_function2); break;
    case GOP_test_arity: tr_simple(L, OP_i_test_arity); break;
    case GOP_is_tagged_tuple: tr_simple(L, OP_i_is_tagged_tuple); break;
    case GOP_select_val: tr_select_val(L); break;
    case GOP_select_tuple_arity: tr_select_tuple_arity(L); break;
    case GOP_jump: tr_simple(L, OP_i_jump); break;
    case GOP_catch:
    case GOP_try: tr_catch(L); break;
    case GOP_catch_end: tr_simple(L, OP_i_catch_end); break;
    case GOP_try_end: tr_simple(L, OP_i_try_end); break;
    case GOP_try_case: tr_simple(L, OP_i_try_case); break;
    case GOP_try_case_end: tr_simple(L, OP_i_try_case_end); break;
    case GOP_raise: tr_simple(L, OP_i_raise); break;
    case GOP_raw_raise: load_emit_op(L, OP_i_raw_raise); break;
    case GOP_build_stacktrace: load_emit_op(L, OP_i_build_stacktrace); break;
    case GOP_badmatch: tr_simple(L, OP_i_badmatch); break;
    case GOP_case_end: tr_simple(L, OP_i_case_end); break;
    case GOP_if_end: load_emit_op(L, OP_i_if_end); break;
    case GOP_badrecord: tr_simple(L, OP_i_badrecord); break;
    case GOP_call_fun: tr_call_fun(L); break;
    case GOP_call_fun2: tr_call_fun2(L); break;
    case GOP_apply: tr_simple(L, OP_i_apply); break;
    case GOP_apply_last:
        tr_simple(L, OP_i_apply_last);
        /* where a BIF the apply reaches returns to (see i_apply_last in interp.c) */
        load_emit_op(L, OP_i_deallocate_return);
        load_emit_u(L, load_arg(L, 1));
        break;
    case GOP_make_fun3:
        load_emit_op(L, OP_i_make_fun);
        load_emit(L, (BeamInstr)&L->mod->lambdas[load_arg(L, 0)->val]);
        load_emit_dst(L, load_arg(L, 1));
        tr_list_op(L, OP_i_make_fun, 2);
        break;
    case GOP_send: load_emit_op(L, OP_i_send); break;
    case GOP_loop_rec: load_emit_op(L, OP_i_loop_rec); load_emit_label(L, load_arg(L, 0)); break;
    case GOP_loop_rec_end: tr_simple(L, OP_i_loop_rec_end); break;
    case GOP_remove_message: load_emit_op(L, OP_i_remove_message); break;
    case GOP_wait: tr_simple(L, OP_i_wait); break;
    case GOP_wait_timeout: tr_simple(L, OP_i_wait_timeout); break;
    case GOP_timeout: load_emit_op(L, OP_i_timeout); break;
    case GOP_recv_marker_reserve: /* markers are an optimisation: the slot just gets a value */
        load_emit_op(L, OP_i_move);
        load_emit(L, NIL);
        load_emit_dst(L, load_arg(L, 0));
        break;
    case GOP_recv_marker_bind:
    case GOP_recv_marker_clear:
    case GOP_recv_marker_use: break;
    case GOP_put_map_assoc:
        if (!load_new_map_lit(L)) tr_put_map(L, OP_i_put_map_assoc);
        break;
    case GOP_put_map_exact: tr_put_map(L, OP_i_put_map_exact); break;
    case GOP_has_map_fields:
        load_emit_op(L, OP_i_has_map_fields);
        load_emit_label(L, load_arg(L, 0));
        load_emit_src(L, load_arg(L, 1));
        tr_list_op(L, OP_i_has_map_fields, 2);
        break;
    case GOP_get_map_elements: tr_get_map_elements(L); break;
    case GOP_fmove: tr_fmove(L); break;
    case GOP_fconv: load_emit_op(L, OP_i_fconv); load_emit_src(L, load_arg(L, 0)); load_emit_u(L, load_arg(L, 1)); break;
    case GOP_fadd: tr_float_arith(L, OP_i_fadd, 3); break;
    case GOP_fsub: tr_float_arith(L, OP_i_fsub, 3); break;
    case GOP_fmul: tr_float_arith(L, OP_i_fmul, 3); break;
    case GOP_fdiv: tr_float_arith(L, OP_i_fdiv, 3); break;
    case GOP_fnegate: tr_float_arith(L, OP_i_fnegate, 2); break;
    default:
        if (load_bs_translate(L)) break;
        load_fail(L, "erbium does not support the instruction %s/%d yet", gen_op_name(L->op->op),
             gen_op_arity(L->op->op));
    }
}

/* ---- putting the module together ---- */

static void resolve_imports(Loader *L)
{
    BeamFile *bf = L->bf;
    L->imports = calloc(bf->num_imports ? bf->num_imports : 1, sizeof *L->imports);
    if (!L->imports) abort();
    for (uint32_t i = 0; i < bf->num_imports; i++)
        L->imports[i] = export_get(bf->imports[i].module, bf->imports[i].function, bf->imports[i].arity);
}

static const BeamInstr *label_addr(Loader *L, const BeamInstr *code, uint32_t label)
{
    if (label >= L->bf->label_count || L->label_pos[label] == NO_LABEL) {
        load_fail(L, "label %u is used but not defined", label);
        return code;
    }
    return code + L->label_pos[label];
}

static void patch_labels(Loader *L, BeamInstr *code)
{
    for (size_t i = 0; i < L->refs.n; i++)
        code[L->refs.v[i].pos] = (BeamInstr)label_addr(L, code, L->refs.v[i].label);
    for (size_t i = 0; i < L->catches.n; i++) {
        const CatchRef *c = &L->catches.v[i];
        uint32_t index = catch_table_add(label_addr(L, code, c->label), c->yslot);
        if (index == UINT32_MAX) load_fail(L, "too many catch handlers in the system");
        code[c->pos] = index;
    }
}

static void build_lambdas(Loader *L, Module *m)
{
    for (uint32_t i = 0; i < L->bf->num_lambdas; i++) {
        const BeamLambda *b = &L->bf->lambdas[i];
        FunEntry *fe = &m->lambdas[i];
        fe->module = m->name;
        fe->function = b->function;
        fe->index = b->index;
        fe->old_uniq = b->old_uniq;
        fe->arity = b->arity - b->num_free;
        fe->num_free = b->num_free;
        fe->address = label_addr(L, m->code, b->label);
        fe->md5 = m->md5;
    }
}

static void build_funcs(Loader *L, Module *m)
{
    if (L->funcs.n) L->funcs.v[L->funcs.n - 1].end = (uint32_t)L->code.n;
    m->num_funcs = (uint32_t)L->funcs.n;
    m->funcs = calloc(m->num_funcs ? m->num_funcs : 1, sizeof *m->funcs);
    if (!m->funcs) abort();
    for (size_t i = 0; i < L->funcs.n; i++) {
        const FuncSpan *f = &L->funcs.v[i];
        m->funcs[i] = (FuncRange){m->code + f->start, m->code + f->end, f->function, f->arity};
    }
}

/* Erlang string (list of code points) of a UTF-8 file name, in the literal area. */
static Term utf8_string_term(LiteralArea *area, const char *s)
{
    size_t len = strlen(s);
    Term *hp = literal_alloc(area, 2 * (len ? len : 1));
    if (!hp) abort();
    Term list = NIL;
    size_t n = 0;
    unsigned cps[len ? len : 1];
    for (size_t i = 0; i < len;) {
        unsigned c = (unsigned char)s[i++];
        int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0xFF;
        while (extra-- > 0 && i < len) c = (c << 6) | ((unsigned char)s[i++] & 0x3F);
        cps[n++] = c;
    }
    for (size_t i = n; i > 0; i--) {
        Term *cell = hp + 2 * (i - 1);
        cell[0] = make_small((intptr_t)cps[i - 1]);
        cell[1] = list;
        list = make_list(cell);
    }
    return list;
}

static void take_file_table(BeamFile *bf, Module *m)
{
    m->num_file_names = bf->num_file_names;
    m->file_names = bf->file_names;
    bf->file_names = NULL;
    bf->num_file_names = 0;
    m->file_terms = calloc(m->num_file_names ? m->num_file_names : 1, sizeof *m->file_terms);
    if (!m->file_terms) abort();
    for (uint32_t i = 0; i < m->num_file_names; i++)
        m->file_terms[i] = utf8_string_term(m->literals, m->file_names[i]);
    m->num_line_items = bf->num_line_items;
    m->line_items_file = calloc(bf->num_line_items + 1, sizeof(uint32_t));
    m->line_items_line = calloc(bf->num_line_items + 1, sizeof(uint32_t));
    if (!m->line_items_file || !m->line_items_line) abort();
    for (uint32_t i = 0; i < bf->num_line_items; i++) {
        m->line_items_file[i] = bf->line_items[i].file;
        m->line_items_line[i] = bf->line_items[i].line;
    }
}

/* The body of the function with entry `entry` in module m, from funcs. */
static const FuncRange *func_of_entry(const Module *m, const BeamInstr *entry)
{
    for (uint32_t i = 0; i < m->num_funcs; i++)
        if (m->funcs[i].start + FUNC_INFO_WORDS == entry) return &m->funcs[i];
    return NULL;
}

/* Points NIF stubs (functions OTP replaces natively) at the BIF instead. */
static void redirect_native_functions(Module *m)
{
    for (uint32_t i = 0; i < m->num_funcs; i++) {
        FuncRange *f = &m->funcs[i];
        Export *e = export_find(m->name, f->function, f->arity);
        BeamInstr *body = (BeamInstr *)f->start + FUNC_INFO_WORDS;
        if (!e || !export_is_vm_provided(e) || f->end - body < 2) continue;
        body[0] = op_word(OP_i_call_ext_only);
        body[1] = (BeamInstr)e;
    }
}

static void collect_exports(Loader *L, Module *m)
{
    BeamFile *bf = L->bf;
    m->num_exports = bf->num_exports;
    m->exports = calloc(bf->num_exports ? bf->num_exports : 1, sizeof *m->exports);
    if (!m->exports) abort();
    for (uint32_t i = 0; i < bf->num_exports; i++) {
        const BeamExport *x = &bf->exports[i];
        m->exports[i] = (FuncName){x->function, x->arity, label_addr(L, m->code, x->label)};
        if (!func_of_entry(m, m->exports[i].entry))
            load_fail(L, "export %s/%u does not start a function", atom_text(x->function), x->arity);
    }
}

/* The function whose entry the on_load instruction marked (the -on_load function). */
static void find_on_load(Loader *L, Module *m)
{
    if (!L->has_on_load) return;
    m->on_load = func_of_entry(m, m->code + L->on_load_pos);
    if (!m->on_load || m->on_load->arity != 0) load_fail(L, "on_load is not at the entry of a function of arity 0");
}

/* Moves everything the module keeps out of the BeamFile and the loader. */
static void assemble(Loader *L, Module *m)
{
    BeamFile *bf = L->bf;
    m->name = bf->module;
    m->code_words = L->code.n;
    m->code = malloc((L->code.n ? L->code.n : 1) * sizeof(BeamInstr));
    if (!m->code) abort();
    memcpy(m->code, L->code.v, L->code.n * sizeof(BeamInstr));
    m->literals = bf->literals;
    bf->literals = NULL;
    memcpy(m->md5, bf->md5, sizeof m->md5);
    m->attributes = bf->attributes;
    m->compile_info = bf->compile_info;
    m->strtab = bf->strtab;
    bf->strtab = NULL;
    m->lines = L->lines.v;
    m->num_lines = (uint32_t)L->lines.n;
    L->lines.v = NULL;
    take_file_table(bf, m);
}

static Module *finish(Loader *L)
{
    Module *m = L->mod;
    assemble(L, m);
    patch_labels(L, m->code);
    build_funcs(L, m);
    build_lambdas(L, m);
    collect_exports(L, m);
    find_on_load(L, m);
    if (L->failed) return NULL;
    redirect_native_functions(m);
    load_sites_finish(L, m);
    if (L->dumping) load_dump(L, m);
    return m;
}

static void loader_free(Loader *L)
{
    free(L->code.v);
    free(L->refs.v);
    free(L->catches.v);
    free(L->lines.v);
    free(L->funcs.v);
    free(L->sites.v);
    free(L->chains.v);
    free(L->dump.v);
    free(L->label_pos);
    free(L->imports);
}

Module *load_prepare(BeamFile *bf, char *err, size_t errlen)
{
    Loader L = {.bf = bf, .err = err, .errlen = errlen, .sites_on = load_sites(), .dumping = load_dump_wanted(bf->module)};
    L.mod = calloc(1, sizeof *L.mod);
    L.label_pos = malloc((bf->label_count ? bf->label_count : 1) * sizeof *L.label_pos);
    if (!L.mod || !L.label_pos) abort();
    for (uint32_t i = 0; i < bf->label_count; i++) L.label_pos[i] = NO_LABEL;
    L.mod->num_lambdas = bf->num_lambdas;
    L.mod->lambdas = calloc(bf->num_lambdas ? bf->num_lambdas : 1, sizeof *L.mod->lambdas);
    if (!L.mod->lambdas) abort();
    resolve_imports(&L);
    for (uint32_t i = 0; i < bf->num_ops && !L.failed; i++) {
        L.op = &bf->ops[i];
        if (!load_fused_translate(&L)) translate_op(&L);
        i += L.skip;
        L.skip = 0;
    }
    Module *m = L.failed ? NULL : finish(&L);
    loader_free(&L);
    if (!m) module_free(L.mod); /* never published, so nothing refers to it */
    return m;
}
