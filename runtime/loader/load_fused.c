/*
 * load_fused.c - the loader's peephole matcher for superinstructions
 * (ops_fused.def; see load_internal.h).
 *
 * Before an instruction is translated on its own, the matcher looks at it
 * and the ones after it; when they form one of the sequences below it emits
 * the superinstruction and tells the loop how many generic instructions it
 * folded in (L->skip). A label is a generic instruction of its own, so a
 * sequence with a label inside never matches: no jump can land inside a
 * superinstruction.
 */
#include "runtime/loader/load_internal.h"

#include "runtime/bif/bif.h"

static bool is_reg(const GenArg *a, unsigned kind, uint64_t n) { return a->kind == kind && a->val == n; }

/* The instruction after the current one, if it is generic opcode `op`. */
static const GenOp *next_is(const Loader *L, unsigned op)
{
    const GenOp *next = load_peek(L, 1);
    return next && next->op == op ? next : NULL;
}

bool load_fused_translate(Loader *L);

/* A chaining form: when the instruction after is `second`, the first becomes `chained`. */
typedef struct ChainRule {
    OpCode second, chained;
} ChainRule;

/*
 * Chains. The instruction emitted at code position `pos` covers the generic
 * instructions before `at`; when the matcher turns the ones from `at` on into
 * the `second` of one of the n rules, that is emitted after it and the first's
 * word becomes the rule's `chained`, whose handler does the first's work and jumps
 * straight to second's handler (one indirect jump fewer; a second that is itself
 * chained has rules of its own). With line sites on, a breakpoint at the second's
 * word turns the first back into its plain form (load_site_chain). L->skip covers
 * what was emitted.
 */
static void chain_any(Loader *L, size_t pos, unsigned at, const ChainRule *rules, size_t n)
{
    const GenOp *first = L->op;
    size_t second_pos = L->code.n;
    L->op = load_peek(L, at);
    L->skip = 0;
    bool fused = L->op && load_fused_translate(L);
    unsigned skip = L->skip;
    L->op = first;
    L->skip = fused ? at + skip : at - 1;
    for (size_t i = 0; fused && i < n; i++)
        if (L->code.v[second_pos] == op_word(rules[i].second)) {
            load_site_chain(L, pos, second_pos);
            L->code.v[pos] = op_word(rules[i].chained);
        }
}

static void chain(Loader *L, size_t pos, unsigned at, OpCode second, OpCode chained)
{
    chain_any(L, pos, at, &(ChainRule){second, chained}, 1);
}

/* The instruction k ahead, if it is generic opcode `op`. */
static bool next_is_at(const Loader *L, unsigned k, unsigned op)
{
    const GenOp *g = load_peek(L, k);
    return g && g->op == op;
}

/* deallocate N; return */
static bool fuse_deallocate(Loader *L)
{
    if (!next_is(L, GOP_return)) return false;
    load_emit_op(L, OP_i_deallocate_return);
    load_emit_u(L, load_arg(L, 0));
    L->skip = 1;
    return true;
}

/* The variant of two moves for these operand kinds (x, y, or anything). */
static OpCode move2_op(const GenArg *s1, const GenArg *d1, const GenArg *s2, const GenArg *d2)
{
    if (s1->kind == GA_X && d1->kind == GA_Y) {
        if (s2->kind == GA_X && d2->kind == GA_Y) return OP_i_move2_xyxy;
        if (s2->kind == GA_X && d2->kind == GA_X) return OP_i_move2_xyxx;
    }
    if (s1->kind == GA_Y && d1->kind == GA_X && s2->kind == GA_Y && d2->kind == GA_X) return OP_i_move2_yxyx;
    return OP_i_move2;
}

/*
 * The local call (call, call_last or call_only) k instructions ahead, or
 * k+1 with a line instruction before it; *at says where it is.
 */
static const GenOp *call_ahead(const Loader *L, unsigned k, unsigned *at)
{
    const GenOp *op = load_peek(L, k);
    if (op && op->op == GOP_line) op = load_peek(L, ++k);
    if (!op || (op->op != GOP_call && op->op != GOP_call_last && op->op != GOP_call_only)) return NULL;
    *at = k;
    return op;
}

/*
 * Starts a superinstruction that ends with the call at `at` (see
 * call_ahead): a line instruction before that call is recorded at the
 * start, where it covers the call's return address (nothing before the
 * call in these superinstructions can raise).
 */
static void begin_call(Loader *L, unsigned at, OpCode op)
{
    const GenOp *line = load_peek(L, at - 1);
    if (at > 1 && line->op == GOP_line) load_line(L, line);
    load_emit_op(L, op);
}

/* The call's operands: its label, and for call_last the slots it drops. */
static void end_call(Loader *L, const GenOp *call, unsigned at)
{
    load_emit_label(L, load_op_arg(L, call, 1));
    if (call->op == GOP_call_last) load_emit_u(L, load_op_arg(L, call, 2));
    L->skip = at;
}

/* move S D; call... */
static void emit_move_call(Loader *L, const GenOp *call, unsigned at)
{
    OpCode op = call->op == GOP_call ? OP_i_move_call : call->op == GOP_call_last ? OP_i_move_call_last : OP_i_move_call_only;
    begin_call(L, at, op);
    load_emit_src(L, load_arg(L, 0));
    load_emit_dst(L, load_arg(L, 1));
    end_call(L, call, at);
}

/* The number of x -> y moves in a row from k instructions ahead (at most 16). */
static unsigned moves_xy_ahead(const Loader *L, unsigned k)
{
    unsigned n = 0;
    for (const GenOp *m; n < 16 && (m = load_peek(L, k + n)) && m->op == GOP_move; n++)
        if (load_op_arg(L, m, 0)->kind != GA_X || load_op_arg(L, m, 1)->kind != GA_Y) break;
    return n;
}

/* Emits the n moves from k instructions ahead: n sources, then n destinations. */
static void emit_moves(Loader *L, unsigned k, unsigned n)
{
    load_emit(L, n);
    for (unsigned i = 0; i < n; i++) load_emit_src(L, load_op_arg(L, load_peek(L, k + i), 0));
    for (unsigned i = 0; i < n; i++) load_emit_dst(L, load_op_arg(L, load_peek(L, k + i), 1));
}

/*
 * Three or more x -> y moves in a row: a body call saving its live registers
 * (spectral-norm's row/6 saves six, 21.6M move2 pairs). One dispatch for the run;
 * a loop over operands of fixed kinds is cheaper than the dispatches it saves, where
 * one over mixed kinds (decoding each operand) was not.
 */
static bool fuse_move_run(Loader *L)
{
    unsigned n = moves_xy_ahead(L, 0);
    if (n < 3) return false;
    load_emit_op(L, OP_i_moves_xy);
    emit_moves(L, 0, n);
    L->skip = n - 1;
    return true;
}

/* move S x0; return -- or a run of moves, a move and a call, two moves (and a call), two moves in a row */
static bool fuse_move(Loader *L)
{
    const GenArg *s1 = load_arg(L, 0), *d1 = load_arg(L, 1);
    if (next_is(L, GOP_return) && is_reg(d1, GA_X, 0)) {
        load_emit_op(L, OP_i_move_return);
        load_emit_src(L, s1);
        L->skip = 1;
        return true;
    }
    if (fuse_move_run(L)) return true;
    unsigned at;
    const GenOp *call = call_ahead(L, 1, &at);
    if (call) {
        emit_move_call(L, call, at);
        return true;
    }
    const GenOp *next = next_is(L, GOP_move);
    if (!next) return false;
    const GenArg *s2 = load_op_arg(L, next, 0), *d2 = load_op_arg(L, next, 1);
    OpCode op = move2_op(s1, d1, s2, d2);
    call = call_ahead(L, 2, &at);
    if (op == OP_i_move2_xyxx && call && call->op == GOP_call) {
        begin_call(L, at, OP_i_move2_call_xyxx);
        load_emit_src(L, s1);
        load_emit_dst(L, d1);
        load_emit_src(L, s2);
        load_emit_dst(L, d2);
        end_call(L, call, at);
        return true;
    }
    size_t pos = L->code.n;
    load_emit_op(L, op);
    load_emit_src(L, s1);
    load_emit_dst(L, d1);
    load_emit_src(L, s2);
    load_emit_dst(L, d2);
    L->skip = 1;
    bool yxyy = s1->kind == GA_Y && d1->kind == GA_X && s2->kind == GA_Y && d2->kind == GA_Y;
    if (op == OP_i_move2 && next_is_at(L, 2, GOP_trim))
        chain(L, pos, 2, OP_i_trim_call, yxyy ? OP_i_move2_yxyy_then_trim_call : OP_i_move2_then_trim_call);
    return true;
}

/* allocate N Live; move x y; move x x; call L: the frame of a body call and its argument */
static bool fuse_allocate_move2_call(Loader *L)
{
    /* an init_yregs between them goes too: allocate clears the frame (binary trees' check/1) */
    unsigned k = next_is_at(L, 1, GOP_init_yregs) ? 2 : 1;
    const GenOp *m1 = load_peek(L, k), *m2 = load_peek(L, k + 1);
    if (L->op->op != GOP_allocate || !m1 || m1->op != GOP_move || !m2 || m2->op != GOP_move) return false;
    const GenArg *s1 = load_op_arg(L, m1, 0), *d1 = load_op_arg(L, m1, 1);
    const GenArg *s2 = load_op_arg(L, m2, 0), *d2 = load_op_arg(L, m2, 1);
    unsigned at;
    const GenOp *call = call_ahead(L, k + 2, &at);
    if (!call || call->op != GOP_call || move2_op(s1, d1, s2, d2) != OP_i_move2_xyxx) return false;
    /* a one-slot frame that the first move fills needs no clearing (fib/1, any body
       recursion saving one variable) */
    bool fill1 = load_arg(L, 0)->val == 1 && is_reg(d1, GA_Y, 0);
    /* a two-slot frame keeping the first argument in y1, the second passed on in x0 */
    bool keep_first = is_reg(s1, GA_X, 0) && is_reg(d1, GA_Y, 1) && is_reg(s2, GA_X, 1) && is_reg(d2, GA_X, 0);
    OpCode op = fill1                      ? OP_i_allocate1_move2_call_xyxx
                : load_arg(L, 0)->val != 2 ? OP_i_allocate_move2_call_xyxx
                : keep_first               ? OP_i_allocate2_x0y1_x1x0_call
                                           : OP_i_allocate2_move2_call_xyxx;
    begin_call(L, at, op);
    load_emit_u(L, load_arg(L, 0));
    load_emit_u(L, load_arg(L, 1));
    load_emit_src(L, s1);
    load_emit_dst(L, d1);
    load_emit_src(L, s2);
    load_emit_dst(L, d2);
    end_call(L, call, at);
    return true;
}

/*
 * allocate N Live; then N moves x -> y that write y0..y(N-1), each once: the
 * frame needs no clearing, as nothing can look at it before the moves fill it.
 */
static bool fuse_allocate_fill(Loader *L)
{
    uint64_t n = load_arg(L, 0)->val, seen = 0;
    if (L->op->op != GOP_allocate || n == 0 || n > 16 || moves_xy_ahead(L, 1) < n) return false;
    for (unsigned i = 1; i <= n; i++) {
        uint64_t y = load_op_arg(L, load_peek(L, i), 1)->val;
        if (y >= n || (seen & (1ull << y))) return false;
        seen |= 1ull << y;
    }
    load_emit_op(L, OP_i_allocate_fill_xy);
    load_emit_u(L, load_arg(L, 0));
    load_emit_u(L, load_arg(L, 1));
    emit_moves(L, 1, (unsigned)n);
    L->skip = (unsigned)n;
    return true;
}

/*
 * allocate_heap N Need Live; then moves x -> y and fmoves fr -> y that write
 * y0..y(N-1) (n-body's pull/4 saves 14 values around its math:sqrt call): as
 * with i_allocate_fill_xy nothing can look at the frame before they fill it,
 * so it is not cleared. The moves stay instructions of their own (none reads
 * a y register, so none reads a slot not yet written).
 */
static bool fuse_allocate_heap_filled(Loader *L)
{
    uint64_t n = load_arg(L, 0)->val, seen = 0;
    if (L->op->op != GOP_allocate_heap || n == 0 || n > 64) return false;
    for (unsigned k = 1;; k++) {
        const GenOp *m = load_peek(L, k);
        if (!m || (m->op != GOP_move && m->op != GOP_fmove)) break;
        const GenArg *src = load_op_arg(L, m, 0), *dst = load_op_arg(L, m, 1);
        if (src->kind == GA_Y || dst->kind != GA_Y || dst->val >= n) break;
        seen |= 1ull << dst->val;
    }
    if (seen != (n == 64 ? ~0ull : (1ull << n) - 1)) return false;
    load_emit_op(L, OP_i_allocate_heap_filled);
    load_emit_u(L, load_arg(L, 0));
    load_emit(L, load_heap_need(load_arg(L, 1)));
    load_emit_u(L, load_arg(L, 2));
    return true;
}

/*
 * allocate(_heap) ...; init_yregs: allocate already sets every slot of the
 * new frame to [], so the init_yregs is dropped.
 */
static bool fuse_allocate(Loader *L)
{
    if (fuse_allocate_move2_call(L) || fuse_allocate_fill(L) || fuse_allocate_heap_filled(L)) return true;
    if (!next_is(L, GOP_init_yregs)) return false;
    if (L->op->op == GOP_allocate) {
        load_emit_op(L, OP_i_allocate);
        load_emit_u(L, load_arg(L, 0));
        load_emit_u(L, load_arg(L, 1));
    } else {
        load_emit_op(L, OP_i_allocate_heap);
        load_emit_u(L, load_arg(L, 0));
        load_emit(L, load_heap_need(load_arg(L, 1)));
        load_emit_u(L, load_arg(L, 2));
    }
    L->skip = 1;
    return true;
}

/* fadd, fsub, fmul or fdiv: the superinstruction of `base`'s family (i_fin_fadd,
   i_fin2_fadd, i_fcv_fadd) for it, or OP_COUNT */
static OpCode float_op_variant(unsigned gop, OpCode base)
{
    switch (gop) {
    case GOP_fadd: return base;
    case GOP_fsub: return base + 1;
    case GOP_fmul: return base + 2;
    case GOP_fdiv: return base + 3;
    default: return OP_COUNT;
    }
}

/*
 * The float operation k instructions ahead, or k+1 with a line instruction
 * before it (not when the debugger's line sites are on: each line keeps its
 * own code position then); *at says where it is.
 */
static const GenOp *float_op_ahead(const Loader *L, unsigned k, unsigned *at)
{
    const GenOp *op = load_peek(L, k);
    if (op && op->op == GOP_line && !L->sites_on) op = load_peek(L, ++k);
    if (!op || (op->op != GOP_fadd && op->op != GOP_fsub && op->op != GOP_fmul && op->op != GOP_fdiv)) return NULL;
    *at = k;
    return op;
}

/* An fmove from a register or constant into a float register. */
static bool is_fmove_in(const Loader *L, const GenOp *op)
{
    return op && op->op == GOP_fmove && load_op_arg(L, op, 0)->kind != GA_FR && load_op_arg(L, op, 1)->kind == GA_FR;
}

/* An fmove from a float register into an x or y register. */
static bool is_fmove_out(const Loader *L, const GenOp *op)
{
    return op && op->op == GOP_fmove && load_op_arg(L, op, 0)->kind == GA_FR && load_op_arg(L, op, 1)->kind != GA_FR;
}

/* The float operation at `at` ends the superinstruction: its line (recorded at the
   start, so an operation that raises reports it) was emitted by begin_call. */
static void end_float_op(Loader *L, const GenOp *fop, unsigned at)
{
    for (unsigned i = 1; i <= 3; i++) load_emit_u(L, load_op_arg(L, fop, i));
    L->skip = at;
}

/* fmove S fr(k); fconv S2 fr(j); [line;] fadd/fsub/fmul/fdiv: a float times an integer
   (spectral-norm's inner loop, 10.8M pairs) */
static bool fuse_fmove_fconv(Loader *L)
{
    const GenOp *conv = load_peek(L, 1);
    unsigned at;
    const GenOp *fop = conv && conv->op == GOP_fconv ? float_op_ahead(L, 2, &at) : NULL;
    if (!fop) return false;
    begin_call(L, at, float_op_variant(fop->op, OP_i_fincv_fadd));
    for (unsigned i = 0; i < 2; i++) {
        load_emit_src(L, load_op_arg(L, load_peek(L, i), 0));
        load_emit_u(L, load_op_arg(L, load_peek(L, i), 1));
    }
    end_float_op(L, fop, at);
    return true;
}

/* fmove S fr; [fmove S fr;] [line;] fadd/fsub/fmul/fdiv -- or fmoves out of float registers */
static bool fuse_fmove(Loader *L)
{
    if (is_fmove_out(L, L->op)) {
        unsigned n = 1;
        while (n < 16 && is_fmove_out(L, load_peek(L, n))) n++;
        if (n < 2) return false;
        load_emit_op(L, OP_i_fouts);
        load_emit(L, n);
        for (unsigned i = 0; i < n; i++) load_emit_u(L, load_op_arg(L, load_peek(L, i), 0));
        for (unsigned i = 0; i < n; i++) load_emit_dst(L, load_op_arg(L, load_peek(L, i), 1));
        L->skip = n - 1;
        return true;
    }
    if (!is_fmove_in(L, L->op)) return false;
    if (fuse_fmove_fconv(L)) return true;
    bool two = is_fmove_in(L, load_peek(L, 1));
    unsigned at;
    const GenOp *fop = float_op_ahead(L, two ? 2 : 1, &at);
    if (!fop) return false;
    begin_call(L, at, float_op_variant(fop->op, two ? OP_i_fin2_fadd : OP_i_fin_fadd));
    for (unsigned i = 0; i <= (two ? 1u : 0u); i++) {
        load_emit_src(L, load_op_arg(L, load_peek(L, i), 0));
        load_emit_u(L, load_op_arg(L, load_peek(L, i), 1));
    }
    end_float_op(L, fop, at);
    return true;
}

/* fconv S fr; [line;] fadd/fsub/fmul/fdiv */
static bool fuse_fconv(Loader *L)
{
    unsigned at;
    const GenOp *fop = float_op_ahead(L, 1, &at);
    if (!fop) return false;
    begin_call(L, at, float_op_variant(fop->op, OP_i_fcv_fadd));
    load_emit_src(L, load_arg(L, 0));
    load_emit_u(L, load_arg(L, 1));
    end_float_op(L, fop, at);
    return true;
}

/* test_heap Need Live; fmove fr -> register (one or more): the boxing of results; one
   result gets a loop-free form, and one into x0 before a return (a float function's end)
   returns as well */
static bool fuse_test_heap_fouts(Loader *L)
{
    unsigned n = 0;
    while (n < 16 && is_fmove_out(L, load_peek(L, n + 1))) n++;
    if (n == 0) return false;
    if (n == 1) {
        const GenArg *d = load_op_arg(L, load_peek(L, 1), 1);
        const GenOp *ret = load_peek(L, 2);
        bool returns = is_reg(d, GA_X, 0) && ret && ret->op == GOP_return;
        load_emit_op(L, returns ? OP_i_test_heap_fout1_return : OP_i_test_heap_fout1);
        load_emit(L, load_heap_need(load_arg(L, 0)));
        load_emit_u(L, load_arg(L, 1));
        load_emit_u(L, load_op_arg(L, load_peek(L, 1), 0));
        if (!returns) load_emit_dst(L, d);
        L->skip = returns ? 2 : 1;
        return true;
    }
    load_emit_op(L, OP_i_test_heap_fouts);
    load_emit(L, load_heap_need(load_arg(L, 0)));
    load_emit_u(L, load_arg(L, 1));
    load_emit(L, n);
    for (unsigned i = 1; i <= n; i++) load_emit_u(L, load_op_arg(L, load_peek(L, i), 0));
    for (unsigned i = 1; i <= n; i++) load_emit_dst(L, load_op_arg(L, load_peek(L, i), 1));
    L->skip = n;
    return true;
}

/* get_tuple_element S I D; fmove D fr; [line;] fadd/fsub/fmul/fdiv: a float field in an operation */
static bool fuse_get_element_float(Loader *L)
{
    const GenOp *fm = load_peek(L, 1);
    const GenArg *dst = load_arg(L, 2);
    if (!is_fmove_in(L, fm) || !load_same_reg(load_op_arg(L, fm, 0), dst)) return false;
    unsigned at;
    const GenOp *fop = float_op_ahead(L, 2, &at);
    if (!fop) return false;
    begin_call(L, at, float_op_variant(fop->op, OP_i_gfin_fadd));
    load_emit_src(L, load_arg(L, 0));
    load_emit_u(L, load_arg(L, 1));
    load_emit_dst(L, dst);
    load_emit_u(L, load_op_arg(L, fm, 1));
    end_float_op(L, fop, at);
    return true;
}

/* get_tuple_element Src I D1; get_tuple_element Src I+1 D2, with Src an x register that D1 is not */
static bool fuse_get_tuple_element(Loader *L)
{
    if (fuse_get_element_float(L)) return true;
    const GenOp *next = next_is(L, GOP_get_tuple_element);
    if (!next) return false;
    const GenArg *src = load_arg(L, 0), *d1 = load_arg(L, 2);
    bool pair = src->kind == GA_X && load_same_reg(load_op_arg(L, next, 0), src) && !load_same_reg(d1, src) &&
                load_op_arg(L, next, 1)->val == load_arg(L, 1)->val + 1;
    if (!pair) return false;
    size_t pos = L->code.n;
    load_emit_op(L, OP_i_get_two_elements);
    load_emit_src(L, src);
    load_emit_u(L, load_arg(L, 1));
    load_emit_dst(L, d1);
    load_emit_dst(L, load_op_arg(L, next, 2));
    L->skip = 1;
    /* binary trees' check/1: an element tested right after (15M pairs) */
    static const ChainRule then_is_eq[] = {
        {OP_i_is_eq_exact_immed_x, OP_i_get_two_elements_then_is_eq_exact_immed_x},
        {OP_i_is_eq_exact_immed_x_then_is_eq_immed_move_return, OP_i_get_two_elements_then_is_eq_then_move_return},
    };
    bool into_x = d1->kind == GA_X && load_op_arg(L, next, 2)->kind == GA_X;
    if (into_x && next_is_at(L, 2, GOP_is_eq_exact)) chain_any(L, pos, 2, then_is_eq, 2);
    return true;
}

/* test_heap Need Live; put_list H T D -- and call_only L after them (lists:split/3's
   loop in fannkuch-redux: put_list -> call_only 35.9M pairs) */
static bool fuse_test_heap_put_list(Loader *L)
{
    const GenOp *next = next_is(L, GOP_put_list), *call = load_peek(L, 2);
    if (!next) return false;
    bool only = call && call->op == GOP_call_only;
    load_emit_op(L, only ? OP_i_test_heap_put_list_call_only : OP_i_test_heap_put_list);
    load_emit(L, load_heap_need(load_arg(L, 0)));
    load_emit_u(L, load_arg(L, 1));
    for (unsigned i = 0; i < 2; i++) load_emit_src(L, load_op_arg(L, next, i));
    load_emit_dst(L, load_op_arg(L, next, 2));
    if (only) load_emit_label(L, load_op_arg(L, call, 1));
    L->skip = only ? 2 : 1;
    return true;
}

/* Whether every element of put_tuple2 `g` is an x or y register. */
static bool tuple_regs(const Loader *L, const GenOp *g)
{
    const GenArg *list = load_op_arg(L, g, 1);
    for (unsigned i = 0; i < list->val; i++) {
        unsigned kind = load_op_arg(L, g, 2 + i)->kind;
        if (kind != GA_X && kind != GA_Y) return false;
    }
    return true;
}

/* test_heap N+1 Live; put_tuple2 D [N elements]: the heap test covers just the tuple */
static bool fuse_test_heap(Loader *L)
{
    const GenOp *next = next_is(L, GOP_put_tuple2);
    if (!next) return fuse_test_heap_put_list(L) || fuse_test_heap_fouts(L);
    const GenArg *need = load_arg(L, 0), *list = load_op_arg(L, next, 1);
    bool words_only = need->kind != GA_ALLOC || (need->alloc.floats == 0 && need->alloc.funs == 0);
    if (!words_only || load_heap_need(need) != list->val + 1) return false;
    bool pair = list->val == 2;
    size_t pos = L->code.n;
    const GenOp *dealloc = load_peek(L, 2);
    bool fixed = pair && is_reg(load_op_arg(L, next, 0), GA_X, 0) && is_reg(load_op_arg(L, next, 2), GA_Y, 0) &&
                 is_reg(load_op_arg(L, next, 3), GA_X, 0) && dealloc && dealloc->op == GOP_deallocate &&
                 load_op_arg(L, dealloc, 0)->val == 1;
    load_emit_op(L, pair ? OP_i_test_heap_tuple2 : tuple_regs(L, next) ? OP_i_test_heap_tuple_regs : OP_i_test_heap_tuple);
    load_emit_u(L, load_arg(L, 1));
    load_emit_dst(L, load_op_arg(L, next, 0));
    if (!pair) load_emit(L, list->val);
    for (unsigned i = 0; i < list->val; i++) load_emit_src(L, load_op_arg(L, next, 2 + i));
    L->skip = 1;
    /* a function that ends building a pair (binary trees' make/1) */
    if (pair && next_is_at(L, 2, GOP_deallocate))
        chain(L, pos, 2, OP_i_deallocate_return,
              fixed ? OP_i_test_heap_tuple2_y0x0_deallocate1_return : OP_i_test_heap_tuple2_then_deallocate_return);
    return true;
}

/* put_tuple2 D [N registers] (n-body's bodies, built after a heap test that also boxed floats) */
static bool fuse_put_tuple2(Loader *L)
{
    if (!tuple_regs(L, L->op)) return false;
    const GenArg *list = load_arg(L, 1);
    load_emit_op(L, OP_i_put_tuple_regs);
    load_emit_dst(L, load_arg(L, 0));
    load_emit(L, list->val);
    for (unsigned i = 0; i < list->val; i++) load_emit_src(L, load_arg(L, 2 + i));
    return true;
}

/* trim N _; call L */
static bool fuse_trim(Loader *L)
{
    unsigned at;
    const GenOp *call = call_ahead(L, 1, &at);
    if (!call || call->op != GOP_call) return false;
    begin_call(L, at, OP_i_trim_call);
    load_emit_u(L, load_arg(L, 0));
    end_call(L, call, at);
    return true;
}

/* is_eq_exact F x C, with C an immediate -- and with move S x0; return after it (a base case) */
static bool fuse_is_eq_exact(Loader *L)
{
    const GenArg *a = load_arg(L, 1), *b = load_arg(L, 2);
    if (a->kind != GA_X || !load_is_const(b) || !is_immed(b->term)) return false;
    const GenOp *move = load_peek(L, 1), *ret = load_peek(L, 2);
    bool returns = move && move->op == GOP_move && is_reg(load_op_arg(L, move, 1), GA_X, 0) && ret && ret->op == GOP_return;
    size_t pos = L->code.n;
    OpCode ret_op = is_reg(a, GA_X, 0) ? OP_i_is_eq_immed_x0_move_return : OP_i_is_eq_immed_move_return;
    load_emit_op(L, returns ? ret_op : OP_i_is_eq_exact_immed_x);
    load_emit_label(L, load_arg(L, 0));
    load_emit_dst(L, a);
    load_emit(L, b->term);
    if (returns) {
        load_emit_src(L, load_op_arg(L, move, 0));
        L->skip = 2;
    } else if (next_is_at(L, 1, GOP_is_eq_exact)) {
        /* two immediates tested, then a constant returned: check({nil, nil}) -> 1 (7.5M pairs) */
        static const ChainRule then_return[] = {
            {OP_i_is_eq_immed_move_return, OP_i_is_eq_exact_immed_x_then_is_eq_immed_move_return},
            {OP_i_is_eq_immed_x0_move_return, OP_i_is_eq_exact_immed_x_then_is_eq_immed_move_return},
        };
        chain_any(L, pos, 1, then_return, 2);
    }
    return true;
}

/* gc_bif2 '-' x C into x, with C a small integer (i_minus_xcx's form) */
static bool is_minus_xcx(const Loader *L, const GenOp *op)
{
    if (!op || op->op != GOP_gc_bif2) return false;
    const Export *e = L->imports[load_op_arg(L, op, 2)->val];
    const GenArg *a = load_op_arg(L, op, 3), *b = load_op_arg(L, op, 4);
    return e->module == AM_erlang && e->function == atom_from_cstr("-") && a->kind == GA_X && b->kind == GA_I &&
           is_small(b->term) && load_op_arg(L, op, 5)->kind == GA_X;
}

/*
 * is_nonempty_list F S; get_list S H T -- and [line;] x - C into x after them, a
 * counted walk down a list (lists:split/3 in fannkuch-redux: 37.8M pairs). The line
 * goes along as in the float fusions: recorded at the start, where it covers the
 * subtraction, the only part that can raise; not when line sites are on.
 */
static bool fuse_is_nonempty_list(Loader *L)
{
    const GenOp *next = next_is(L, GOP_get_list);
    const GenArg *s = load_arg(L, 1);
    if (!next || !load_same_reg(load_op_arg(L, next, 0), s)) return false;
    unsigned at = 2;
    const GenOp *minus = load_peek(L, at);
    if (minus && minus->op == GOP_line && !L->sites_on) minus = load_peek(L, ++at);
    bool then_minus = is_minus_xcx(L, minus);
    if (then_minus) begin_call(L, at, OP_i_is_nonempty_get_list_then_minus_xcx);
    else load_emit_op(L, OP_i_is_nonempty_get_list);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, s);
    load_emit_dst(L, load_op_arg(L, next, 1));
    load_emit_dst(L, load_op_arg(L, next, 2));
    L->skip = 1;
    if (!then_minus) return true;
    load_emit_label(L, load_op_arg(L, minus, 0));
    load_emit_src(L, load_op_arg(L, minus, 3));
    load_emit_src(L, load_op_arg(L, minus, 4));
    load_emit_dst(L, load_op_arg(L, minus, 5));
    L->skip = at;
    return true;
}

/* is_lt F x C; return (or is_ge), C a small integer: a base case's guard -- or is_lt F x C;
   move S x0; return, a base case that returns something else (sum(N) when N < 1 -> 0);
   with other operands, is_lt F A B; move S x0; return (mandelbrot's 4.0 < |z|^2 -> 0) */
static bool fuse_compare_return(Loader *L, OpCode op, OpCode x0_op, OpCode move_op, OpCode any_move_op)
{
    const GenArg *a = load_arg(L, 1), *b = load_arg(L, 2);
    const GenOp *move = load_peek(L, 1), *ret = load_peek(L, 2);
    bool moves = move && move->op == GOP_move && is_reg(load_op_arg(L, move, 1), GA_X, 0) && ret && ret->op == GOP_return;
    if (a->kind != GA_X || b->kind != GA_I || !is_small(b->term)) {
        /* other operands: only the form with the move and return */
        if (!moves) return false;
        load_emit_op(L, any_move_op);
        load_emit_label(L, load_arg(L, 0));
        load_emit_src(L, a);
        load_emit_src(L, b);
        load_emit_src(L, load_op_arg(L, move, 0));
        L->skip = 2;
        return true;
    }
    if (!moves && !next_is(L, GOP_return)) return false;
    load_emit_op(L, moves ? move_op : is_reg(a, GA_X, 0) ? x0_op : op);
    load_emit_label(L, load_arg(L, 0));
    load_emit_dst(L, a);
    load_emit(L, b->term);
    if (moves) load_emit_src(L, load_op_arg(L, move, 0));
    L->skip = moves ? 2 : 1;
    return true;
}

/*
 * The chain of is_tuple_arity, the element pair, two tests against immediates and the
 * return of a constant, at pos, whose registers are those of a match on the first
 * argument, f({A, B}) with the elements into x1 and x0 (binary trees' check({nil, nil})):
 * i_match_pair_x0_move_return does it all with x0 and x1 at constant addresses. Not with
 * line sites on: a breakpoint on a word inside must then be reached.
 */
static void match_pair_x0(Loader *L, size_t pos)
{
    const BeamInstr *v = L->code.v + pos;
    BeamInstr x0 = load_x_word(0), x1 = load_x_word(1);
    if (!L->sites_on && v[2] == x0 && v[3] == 2 && v[5] == x0 && v[6] == 0 && v[7] == x1 && v[8] == x0 && v[11] == x1 &&
        v[15] == x0)
        L->code.v[pos] = op_word(OP_i_match_pair_x0_move_return);
}

/* is_tuple F x; test_arity F x N */
static bool fuse_is_tuple(Loader *L)
{
    const GenOp *next = next_is(L, GOP_test_arity);
    const GenArg *fail = load_arg(L, 0), *t = load_arg(L, 1);
    if (!next || t->kind != GA_X || !load_same_reg(load_op_arg(L, next, 1), t)) return false;
    const GenArg *fail2 = load_op_arg(L, next, 0);
    if (fail2->kind != fail->kind || fail2->val != fail->val) return false;
    size_t pos = L->code.n;
    load_emit_op(L, OP_i_is_tuple_arity_x);
    load_emit_label(L, fail);
    load_emit_dst(L, t);
    load_emit_u(L, load_op_arg(L, next, 2));
    L->skip = 1;
    /* binary trees' check/1: the tuple's two elements right after (15M pairs) */
    static const ChainRule then_get_two[] = {
        {OP_i_get_two_elements, OP_i_is_tuple_arity_x_then_get_two_elements},
        {OP_i_get_two_elements_then_is_eq_exact_immed_x, OP_i_is_tuple_arity_x_then_get_two_then_is_eq},
        {OP_i_get_two_elements_then_is_eq_then_move_return, OP_i_is_tuple_arity_x_then_get_two_then_is_eq_twice},
    };
    if (next_is_at(L, 2, GOP_get_tuple_element)) chain_any(L, pos, 2, then_get_two, 3);
    if (L->code.v[pos] == op_word(OP_i_is_tuple_arity_x_then_get_two_then_is_eq_twice)) match_pair_x0(L, pos);
    return true;
}

/*
 * A difference chained (at code position pos) to a call whose two moves, at operand
 * `moves` of the second on, are x0 -> y0 and the difference's register -> x0: that chain
 * becomes `passing`, which hands the difference to x0 directly.
 */
static void pass_to_call(Loader *L, size_t pos, OpCode chained, OpCode passing, unsigned moves)
{
    const BeamInstr *v = L->code.v, *second = v + pos + 5;
    BeamInstr x0 = load_x_word(0), y0 = load_y_word(0);
    if (v[pos] == op_word(chained) && second[moves] == x0 && second[moves + 1] == y0 && second[moves + 2] == v[pos + 4] &&
        second[moves + 3] == x0)
        L->code.v[pos] = op_word(passing);
}

/* gc_bif2 F Live '-' y C D with C a small integer, and '+' y x D */
static bool fuse_gc_bif2(Loader *L)
{
    const Export *e = L->imports[load_arg(L, 2)->val];
    const GenArg *a = load_arg(L, 3), *b = load_arg(L, 4);
    if (e->module != AM_erlang || a->kind != GA_Y) return false;
    bool into_x = load_arg(L, 5)->kind == GA_X;
    OpCode op;
    if (e->function == atom_from_cstr("-") && b->kind == GA_I && is_small(b->term))
        op = into_x ? OP_i_minus_ycx : OP_i_minus_yc;
    else if (e->function == atom_from_cstr("+") && b->kind == GA_X)
        op = into_x ? OP_i_plus_yxx : OP_i_plus_yx;
    else return false;
    const GenOp *dealloc = load_peek(L, 1), *ret = load_peek(L, 2);
    bool returns = op == OP_i_plus_yxx && dealloc && dealloc->op == GOP_deallocate && ret && ret->op == GOP_return &&
                   is_reg(load_arg(L, 5), GA_X, 0);
    bool fixed_regs = returns && is_reg(a, GA_Y, 0) && is_reg(b, GA_X, 0) && load_op_arg(L, dealloc, 0)->val == 1;
    size_t pos = L->code.n;
    load_emit_op(L, fixed_regs ? OP_i_plus_y0x0_deallocate1_return : returns ? OP_i_plus_yxx_deallocate_return : op);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, a);
    load_emit_src(L, b);
    load_emit_dst(L, load_arg(L, 5));
    if (returns) {
        load_emit_u(L, load_op_arg(L, dealloc, 0));
        L->skip = 2;
    }
    /* binary trees' make/1: the second recursive call's moves and call (7.4M pairs) */
    if (op == OP_i_minus_ycx && next_is_at(L, 1, GOP_move)) {
        chain(L, pos, 1, OP_i_move2_call_xyxx, OP_i_minus_ycx_then_move2_call_xyxx);
        if (is_reg(a, GA_Y, 0)) pass_to_call(L, pos, OP_i_minus_ycx_then_move2_call_xyxx, OP_i_minus_y0c_then_pass_call, 1);
    }
    return true;
}

/*
 * The chain at pos of x + C into y, the moves y -> x, y -> y and trim + call, when it is
 * x0 + C into y0, y1 -> x0, y0 -> y1, trim 1: the second of two body calls whose results
 * are summed (binary trees' check/1, 1 + check(L) + check(R)). i_sum_then_call does it
 * with every register at a constant address. Not with line sites on (see match_pair_x0).
 */
static void sum_then_call(Loader *L, size_t pos)
{
    const BeamInstr *v = L->code.v + pos;
    BeamInstr x0 = load_x_word(0), y0 = load_y_word(0), y1 = load_y_word(1);
    if (!L->sites_on && v[0] == op_word(OP_i_plus_xc_then_move2_yxyy_then_trim_call) && v[2] == x0 && v[4] == y0 &&
        v[6] == y1 && v[7] == x0 && v[8] == y0 && v[9] == y1 && v[11] == 1)
        L->code.v[pos] = op_word(OP_i_sum_then_call);
}

/*
 * x - C into x before a body call's allocate, and x + C into y before two moves, a
 * trim and a call (binary trees' make/1 and check/1, 7.4M pairs each): the forms the
 * loader gives them anyway (i_minus_xcx, i_plus_xc), chained to what follows.
 */
static bool fuse_arith_chain(Loader *L)
{
    const Export *e = L->imports[load_arg(L, 2)->val];
    const GenArg *a = load_arg(L, 3), *b = load_arg(L, 4), *d = load_arg(L, 5);
    if (e->module != AM_erlang || a->kind != GA_X || b->kind != GA_I || !is_small(b->term)) return false;
    bool minus = e->function == atom_from_cstr("-") && d->kind == GA_X && next_is_at(L, 1, GOP_allocate);
    bool plus = e->function == atom_from_cstr("+") && d->kind != GA_X && next_is_at(L, 1, GOP_move);
    if (!minus && !plus) return false;
    size_t pos = L->code.n;
    load_emit_op(L, minus ? OP_i_minus_xcx : OP_i_plus_xc);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, a);
    load_emit_src(L, b);
    load_emit_dst(L, d);
    static const ChainRule then_moves[] = {
        {OP_i_move2_then_trim_call, OP_i_plus_xc_then_move2_then_trim_call},
        {OP_i_move2_yxyy_then_trim_call, OP_i_plus_xc_then_move2_yxyy_then_trim_call},
    };
    static const ChainRule then_allocate[] = {
        {OP_i_allocate_move2_call_xyxx, OP_i_minus_xcx_then_allocate_move2_call_xyxx},
        {OP_i_allocate1_move2_call_xyxx, OP_i_minus_xcx_then_allocate1_move2_call_xyxx},
    };
    if (minus) {
        chain_any(L, pos, 1, then_allocate, 2);
        if (is_reg(a, GA_X, 0))
            pass_to_call(L, pos, OP_i_minus_xcx_then_allocate1_move2_call_xyxx, OP_i_minus_x0c_then_allocate1_pass_call, 3);
    }
    else {
        chain_any(L, pos, 1, then_moves, 2);
        sum_then_call(L, pos);
    }
    return true;
}

/* A gc_bif2 (or bif2) of erlang:Name/2 at op. */
static bool is_erlang_bif2(const Loader *L, const GenOp *op, const char *name)
{
    if (!op || (op->op != GOP_gc_bif2 && op->op != GOP_bif2)) return false;
    const Export *e = L->imports[load_op_arg(L, op, op->op == GOP_gc_bif2 ? 2 : 1)->val];
    return e->module == AM_erlang && e->function == atom_from_cstr(name) && e->arity == 2;
}

/*
 * gc_bif2 '+' A B D (the general form, i_plus) followed by x + C into x, or by
 * element/2: spectral-norm's index arithmetic (i_plus -> i_plus_xcx 21.6M pairs,
 * i_plus -> i_element 10.8M). The second keeps its own fail label and operands.
 */
static bool fuse_plus_then(Loader *L)
{
    const GenArg *a = load_arg(L, 3), *b = load_arg(L, 4);
    const GenOp *next = load_peek(L, 1);
    if (!is_erlang_bif2(L, L->op, "+") || (a->kind == GA_X && b->kind == GA_I && is_small(b->term))) return false;
    OpCode op;
    if (is_erlang_bif2(L, next, "+") && next->op == GOP_gc_bif2 && load_op_arg(L, next, 3)->kind == GA_X &&
        load_op_arg(L, next, 4)->kind == GA_I && is_small(load_op_arg(L, next, 4)->term) &&
        load_op_arg(L, next, 5)->kind == GA_X)
        op = OP_i_plus_then_plus_xcx;
    else if (is_erlang_bif2(L, next, "element")) op = OP_i_plus_then_element;
    else return false;
    load_emit_op(L, op);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, a);
    load_emit_src(L, b);
    load_emit_dst(L, load_arg(L, 5));
    unsigned first = next->op == GOP_gc_bif2 ? 3 : 2; /* the second's first argument */
    load_emit_label(L, load_op_arg(L, next, 0));
    if (op == OP_i_plus_then_element) load_emit(L, (BeamInstr)L->imports[load_op_arg(L, next, first - 1)->val]);
    load_emit_src(L, load_op_arg(L, next, first));
    load_emit_src(L, load_op_arg(L, next, first + 1));
    load_emit_dst(L, load_op_arg(L, next, first + 2));
    L->skip = 1;
    return true;
}

/* call_ext 1 math:sqrt/1 (n-body's distances): i_call_ext_fsqrt, the BIF call with the
   float case inline */
static bool fuse_call_ext(Loader *L)
{
    const Export *e = L->imports[load_arg(L, 1)->val];
    if (e->bif != bif_math_sqrt_1 || e->dirty) return false;
    load_emit_op(L, OP_i_call_ext_fsqrt);
    load_emit(L, (BeamInstr)e);
    return true;
}

bool load_fused_translate(Loader *L)
{
    switch (L->op->op) {
    case GOP_deallocate: return fuse_deallocate(L);
    case GOP_move: return fuse_move(L);
    case GOP_allocate:
    case GOP_allocate_heap: return fuse_allocate(L);
    case GOP_get_tuple_element: return fuse_get_tuple_element(L);
    case GOP_test_heap: return fuse_test_heap(L);
    case GOP_put_tuple2: return fuse_put_tuple2(L);
    case GOP_call_ext: return fuse_call_ext(L);
    case GOP_trim: return fuse_trim(L);
    case GOP_is_eq_exact: return fuse_is_eq_exact(L);
    case GOP_is_tuple: return fuse_is_tuple(L);
    case GOP_is_nonempty_list: return fuse_is_nonempty_list(L);
    case GOP_is_lt:
        return fuse_compare_return(L, OP_i_is_lt_xc_return, OP_i_is_lt_x0c_return, OP_i_is_lt_xc_move_return,
                                   OP_i_is_lt_move_return);
    case GOP_is_ge:
        return fuse_compare_return(L, OP_i_is_ge_xc_return, OP_i_is_ge_x0c_return, OP_i_is_ge_xc_move_return,
                                   OP_i_is_ge_move_return);
    case GOP_gc_bif2: return fuse_plus_then(L) || fuse_gc_bif2(L) || fuse_arith_chain(L);
    case GOP_fmove: return fuse_fmove(L);
    case GOP_fconv: return fuse_fconv(L);
    default: return false;
    }
}
