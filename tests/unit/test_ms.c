/*
 * test_ms.c - the match-spec engine's internals: the instruction layout the
 * compiler emits, results built on the process heap from objects that live
 * outside it (the static arena of term_build.h stands for ETS memory), the
 * queries ETS makes, the trace action hook and compiled-ms references.
 */
#include "runtime/ms/ms_int.h"
#include "runtime/proc/heap.h"
#include "runtime/term/term_print.h"

#include "term_build.h"

static Process proc;

static void setup(void)
{
    atom_init();
    tb_reset();
    memset(&proc, 0, sizeof proc);
    cr_assert_eq(heap_init(&proc, 0), 0);
    proc.fvalue = proc.ftrace = proc.fargs = THE_NON_VALUE;
}

static void teardown(void) { heap_destroy(&proc); }

TestSuite(ms, .init = setup, .fini = teardown);

static bool in_arena(Term t)
{
    if (is_immed(t)) return false;
    const Term *w = is_list(t) ? list_val(t) : boxed_val(t);
    return w >= arena && w < arena + sizeof arena / sizeof arena[0];
}

/* No word of the term (at any depth) lies in the arena. */
static bool owned(Term t)
{
    if (is_immed(t)) return true;
    if (in_arena(t)) return false;
    if (is_list(t)) return owned(list_head(t)) && owned(list_tail(t));
    if (is_tuple(t))
        for (size_t i = 0; i < tuple_arity(t); i++)
            if (!owned(tuple_elems(t)[i])) return false;
    return true;
}

static MsProg *compile(Term spec, MsDialect d)
{
    MsProg *prog = ms_compile(spec, d, NULL, NULL);
    cr_assert_not_null(prog);
    return prog;
}

static Term clause(Term head, Term conds, Term body) { return T(3, head, conds, body); }

Test(ms, head_layout)
{
    MsProg *prog = compile(L(1, clause(T(2, A("$1"), A("k")), NIL, L(1, A("$1")))), MS_TABLE);
    const Term want[] = {MS_H_TUPLE, 2, MS_H_BIND, 0, MS_H_EQ, A("k"), MS_H_END, MS_E_VAR, 0, MS_C_END};
    cr_assert_eq(prog->ncode, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < prog->ncode; i++) cr_assert_eq(prog->code[i], want[i], "word %zu", i);
    cr_assert_eq(prog->max_vars, 1);
    ms_release(prog);
}

Test(ms, repeated_variable_checks)
{
    MsProg *prog = compile(L(1, clause(T(2, A("$1"), A("$1")), NIL, L(1, A("same")))), MS_TABLE);
    cr_assert_eq(prog->code[4], MS_H_CHECK);
    MsResult res;
    cr_assert(ms_run(prog, &proc, T(2, I(1), I(1)), NULL, &res));
    cr_assert_eq(res.value, A("same"));
    cr_assert_not(ms_run(prog, &proc, T(2, I(1), I(2)), NULL, &res));
    ms_release(prog);
}

Test(ms, results_leave_the_arena)
{
    Term obj = T(3, A("k"), L(2, I(1), I(2)), T(1, F(2.5)));
    Term body = L(1, T(1, T(3, A("$2"), A("$_"), L(1, A("$3")))));
    MsProg *prog = compile(L(1, clause(T(3, A("_"), A("$2"), A("$3")), NIL, body)), MS_TABLE);
    MsResult res;
    cr_assert(ms_run(prog, &proc, obj, NULL, &res));
    cr_assert(owned(res.value));
    cr_assert(term_eq_exact(tuple_elems(res.value)[1], obj));
    ms_release(prog);
}

Test(ms, whole_object_is_copied_unless_on_heap)
{
    Term obj = T(2, A("k"), S("text"));
    MsProg *prog = compile(L(1, clause(A("_"), NIL, L(1, A("$_")))), MS_TABLE);
    MsResult res;
    cr_assert(ms_run(prog, &proc, obj, NULL, &res));
    cr_assert_neq(res.value, obj);
    cr_assert(owned(res.value) && term_eq_exact(res.value, obj));
    MsRunCtx ctx = {.obj_on_heap = true};
    cr_assert(ms_run(prog, &proc, obj, &ctx, &res));
    cr_assert_eq(res.value, obj);
    ms_release(prog);
}

Test(ms, guard_failure_tries_next_clause)
{
    Term c1 = clause(T(1, A("$1")), L(2, T(2, A("is_integer"), A("$1")), T(3, A(">"), A("$1"), I(10))),
                     L(1, A("big")));
    Term c2 = clause(T(1, A("$1")), L(1, T(3, A("=="), T(2, A("hd"), A("$1")), I(1))), L(1, A("list")));
    Term c3 = clause(A("_"), NIL, L(1, A("other")));
    MsProg *prog = compile(L(3, c1, c2, c3), MS_TABLE);
    MsResult res;
    cr_assert(ms_run(prog, &proc, T(1, I(50)), NULL, &res));
    cr_assert_eq(res.value, A("big"));
    cr_assert(ms_run(prog, &proc, T(1, L(1, I(1))), NULL, &res));
    cr_assert_eq(res.value, A("list"));
    cr_assert(ms_run(prog, &proc, T(1, I(5)), NULL, &res));
    cr_assert_eq(res.value, A("other"));
    cr_assert_eq(proc.freason, EXC_NONE);
    ms_release(prog);
}

Test(ms, body_exception_is_exit)
{
    MsProg *prog = compile(L(1, clause(A("_"), NIL, L(1, T(1, T(1, T(2, A("hd"), A("a"))))))), MS_TABLE);
    MsResult res;
    cr_assert(ms_run(prog, &proc, T(1, I(1)), NULL, &res));
    cr_assert(term_eq_exact(res.value, T(1, A("EXIT"))));
    ms_release(prog);
}

Test(ms, short_circuit_jumps_past_the_rest)
{
    Term g = T(4, A("andalso"), A("false"), T(2, A("hd"), A("a")), A("true"));
    MsProg *prog = compile(L(1, clause(A("_"), NIL, L(1, g))), MS_TABLE);
    MsResult res;
    cr_assert(ms_run(prog, &proc, T(1, I(1)), NULL, &res));
    cr_assert_eq(res.value, A("false"));
    ms_release(prog);
}

Test(ms, queries_for_ets)
{
    MsProg *key = compile(L(2, clause(T(2, A("k"), A("$1")), NIL, L(1, A("$_"))),
                            clause(T(2, A("k"), I(1)), NIL, L(1, A("$_")))), MS_TABLE);
    cr_assert_eq(ms_bound_key(key, 1), A("k"));
    cr_assert_eq(ms_bound_key(key, 2), THE_NON_VALUE);
    cr_assert_eq(ms_bound_key(key, 3), THE_NON_VALUE);
    cr_assert(ms_is_plain_match(key));
    cr_assert_not(ms_returns_object(key));
    ms_release(key);
    MsProg *mixed = compile(L(2, clause(T(2, A("k"), A("_")), NIL, L(1, A("$_"))),
                              clause(T(2, A("j"), A("_")), NIL, L(1, A("$_")))), MS_TABLE);
    cr_assert_eq(ms_bound_key(mixed, 1), THE_NON_VALUE);
    ms_release(mixed);
    MsProg *one = compile(L(1, clause(A("_"), L(1, A("true")), L(1, A("$_")))), MS_TABLE);
    cr_assert(ms_returns_object(one));
    cr_assert_not(ms_is_plain_match(one));
    ms_release(one);
}

static Term error_text(Term errors)
{
    cr_assert(is_list(errors));
    Term e = list_head(errors);
    cr_assert(is_tuple(e) && tuple_arity(e) == 2);
    return tuple_elems(e)[1];
}

Test(ms, errors_name_the_problem)
{
    Term errors;
    cr_assert_null(ms_compile(L(1, clause(A("_"), NIL, L(1, A("$3")))), MS_TABLE, &proc, &errors));
    cr_assert(term_eq_exact(error_text(errors), S("Variable $3 is unbound.")));
    cr_assert_eq(ms_compile_failure(), AM_badarg);
    Term msg = L(1, T(2, A("message"), I(1)));
    cr_assert_null(ms_compile(L(1, clause(A("_"), NIL, msg)), MS_TABLE, &proc, &errors));
    cr_assert(term_eq_exact(error_text(errors), S("Special form 'message' used in wrong dialect.")));
    MsProg *trace = compile(L(1, clause(A("_"), NIL, msg)), MS_TRACE);
    ms_release(trace);
    cr_assert_null(ms_compile(NIL, MS_TABLE, NULL, NULL));
    cr_assert_null(ms_compile(A("x"), MS_TRACE, NULL, NULL));
}

Test(ms, deep_body_is_a_system_limit)
{
    Term t = A("x");
    for (int i = 0; i < 20000; i++) t = T(1, T(1, t));
    cr_assert_null(ms_compile(L(1, clause(A("_"), NIL, L(1, t))), MS_TABLE, NULL, NULL));
    cr_assert_eq(ms_compile_failure(), AM_system_limit);
}

typedef struct Seen {
    MsAction acts[8];
    Term args[8];
    int n;
} Seen;

static Term hook(void *ctx, Process *p, MsAction act, const Term *args)
{
    Seen *s = ctx;
    s->acts[s->n] = act;
    s->args[s->n++] = act == MS_ACT_ENABLE1 ? args[0] : NIL;
    if (act == MS_ACT_CALLER) return A("caller_mfa");
    return act == MS_ACT_ENABLE1 ? THE_NON_VALUE : heap_tuple2(p, A("done"), I(s->n));
}

Test(ms, trace_actions_go_through_the_hook)
{
    Term body = L(4, T(1, A("return_trace")), T(2, A("enable_trace"), A("send")),
                  T(2, A("message"), T(1, T(2, T(1, A("caller")), T(2, A("enable_trace"), A("call"))))),
                  T(2, A("silent"), A("true")));
    MsProg *prog = compile(L(1, clause(L(1, A("$1")), NIL, body)), MS_TRACE);
    Seen seen = {0};
    MsRunCtx ctx = {.action = hook, .action_ctx = &seen, .obj_on_heap = true};
    MsResult res;
    cr_assert(ms_run(prog, &proc, L(1, I(7)), &ctx, &res));
    cr_assert_eq(res.flags, MS_FLAG_RETURN_TRACE | MS_FLAG_SILENT_SET);
    cr_assert_eq(seen.n, 3);
    cr_assert_eq(seen.acts[0], MS_ACT_ENABLE1);
    cr_assert_eq(seen.args[0], A("send"));
    /* {{A, B}} evaluates B first, as OTP does */
    cr_assert_eq(seen.acts[1], MS_ACT_ENABLE1);
    cr_assert_eq(seen.args[1], A("call"));
    cr_assert_eq(seen.acts[2], MS_ACT_CALLER);
    cr_assert(term_eq_exact(res.value, T(2, A("caller_mfa"), A("EXIT"))));
    cr_assert_not(ms_run(prog, &proc, L(2, I(7), I(8)), &ctx, &res));
    ms_release(prog);
}

Test(ms, compiled_references)
{
    Term spec = L(1, clause(A("_"), NIL, L(1, A("$_"))));
    MsProg *prog = compile(spec, MS_TABLE);
    Term r1 = ms_ref_make(&proc, prog);
    Term r2 = ms_ref_make(&proc, prog);
    cr_assert_eq(atomic_load(&prog->refc), 3); /* ours and one per compiled-ms term */
    cr_assert(is_ref(r1));
    cr_assert_not(term_eq_exact(r1, r2));
    cr_assert_eq(ms_ref_prog(r1), prog);
    cr_assert_eq(ms_ref_prog(r2), prog);
    MsResult res;
    cr_assert(ms_run(ms_ref_prog(r1), &proc, T(1, I(3)), NULL, &res));
    cr_assert(term_eq_exact(res.value, T(1, I(3))));
    /* a plain reference with the same id is no compiled ms */
    Term *hp = heap_alloc(&proc, 1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = boxed_val(r1)[1];
    hp[2] = boxed_val(r1)[2];
    cr_assert(term_eq_exact(make_boxed(hp), r1));
    cr_assert_null(ms_ref_prog(make_boxed(hp)));
    /* a collection that keeps only r1 drops r2's reference */
    Term x[1] = {r1};
    cr_assert_eq(heap_gc_major(&proc, 0, x, 1), 0);
    cr_assert_eq(atomic_load(&prog->refc), 2);
    cr_assert_eq(ms_ref_prog(x[0]), prog);
    ms_release(prog); /* the term keeps it alive */
    cr_assert(ms_run(ms_ref_prog(x[0]), &proc, T(1, I(4)), NULL, &res));
}
