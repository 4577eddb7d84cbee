/*
 * ms_run.c - runs a compiled match spec against one term.
 *
 * The object is read in place. Values on the stack may point into the
 * object (possibly in ETS memory) or into the program's literals: such
 * values are "foreign" and are copied onto the process heap when they
 * become part of a built term or of the result, and only then.
 */
#include "runtime/ms/ms_int.h"

#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/map.h"
#include "runtime/term/term_cmp.h"

#include <stdlib.h>

typedef struct Run {
    const MsProg *prog;
    Process *p;
    Term obj;
    bool obj_foreign;
    MsActionFn action;
    void *action_ctx;
    Term *vars;
    Term *stack;
    bool *foreign; /* parallel to stack */
    MsResult *res;
} Run;

static Term own(Run *r, Term t, bool foreign) { return foreign && !is_immed(t) ? term_copy(r->p, t) : t; }

/* A BIF failed: forget its exception, the engine decides what a failure means. */
static void clear_exception(Process *p)
{
    p->freason = EXC_NONE;
    p->fvalue = THE_NON_VALUE;
}

static bool match_head(Run *r, const Term *pc, const Term **end)
{
    Term *sp = r->stack;
    *sp++ = r->obj;
    for (;;) {
        switch ((enum MsOp)*pc++) {
        case MS_H_ANY: sp--; break;
        case MS_H_BIND: r->vars[*pc++] = *--sp; break;
        case MS_H_CHECK: {
            Term t = *--sp;
            if (!term_eq_exact(t, r->vars[*pc++])) return false;
            break;
        }
        case MS_H_EQ: {
            Term t = *--sp, lit = *pc++;
            if (t != lit && (is_immed(t) || is_immed(lit) || !term_eq_exact(t, lit))) return false;
            break;
        }
        case MS_H_TUPLE: {
            Term t = *--sp;
            size_t n = (size_t)*pc++;
            if (!is_tuple(t) || tuple_arity(t) != n) return false;
            const Term *e = tuple_elems(t);
            for (size_t i = n; i > 0; i--) *sp++ = e[i - 1];
            break;
        }
        case MS_H_CONS: {
            Term t = *--sp;
            if (!is_list(t)) return false;
            *sp++ = list_tail(t);
            *sp++ = list_head(t);
            break;
        }
        case MS_H_MAP: {
            Term t = *--sp;
            size_t n = (size_t)*pc++;
            if (!is_map(t)) return false;
            for (size_t i = n; i > 0; i--) {
                Term v = map_get(t, pc[i - 1]);
                if (v == THE_NON_VALUE) return false;
                *sp++ = v;
            }
            pc += n;
            break;
        }
        case MS_H_END: *end = pc; return true;
        default: return false;
        }
    }
}

static Term build_tuple(Run *r, Term *vals, bool *fr, size_t n)
{
    Term *hp = heap_alloc(r->p, n + 1);
    hp[0] = make_tuple_header(n);
    for (size_t i = 0; i < n; i++) hp[i + 1] = own(r, vals[i], fr[i]);
    return make_boxed(hp);
}

static Term build_vars(Run *r, const Term *slots, size_t n)
{
    Term list = NIL;
    for (size_t i = n; i > 0; i--) list = heap_cons(r->p, own(r, r->vars[slots[i - 1]], r->obj_foreign), list);
    return list;
}

/* Operands were pushed last first (see compile_args): puts them in order. */
static void flip(Term *vals, bool *fr, size_t n)
{
    for (size_t i = 0, j = n; i + 1 < j--; i++) {
        Term t = vals[i];
        vals[i] = vals[j];
        vals[j] = t;
        bool f = fr[i];
        fr[i] = fr[j];
        fr[j] = f;
    }
}

/* vals: the n keys, then the n values (flipped from the stack). */
static Term build_map(Run *r, Term *vals, bool *fr, size_t n)
{
    Term small[16], *keys = n <= 8 ? small : malloc(2 * n * sizeof(Term));
    if (!keys) return THE_NON_VALUE;
    Term *values = keys + n;
    for (size_t i = 0; i < n; i++) {
        keys[i] = own(r, vals[i], fr[i]);
        values[i] = own(r, vals[n + i], fr[n + i]);
    }
    Term m = map_from_pairs(r->p, keys, values, n);
    if (keys != small) free(keys);
    return m;
}

/* {and, ...} / {or, ...}: every operand must be a boolean. */
static Term bool_fold(const Term *vals, size_t n, bool is_and)
{
    bool acc = is_and;
    for (size_t i = 0; i < n; i++) {
        if (vals[i] != AM_true && vals[i] != AM_false) return THE_NON_VALUE;
        if (is_and) acc = acc && vals[i] == AM_true;
        else acc = acc || vals[i] == AM_true;
    }
    return acc ? AM_true : AM_false;
}

static Term call_action(Run *r, MsAction act, const Term *args, size_t n, bool *fr)
{
    Term owned[3];
    for (size_t i = 0; i < n; i++) owned[i] = own(r, args[i], fr[i]);
    Term v = r->action(r->action_ctx, r->p, act, owned);
    if (v == THE_NON_VALUE) clear_exception(r->p);
    return v;
}

/* Runs conditions and body; false when the clause fails. */
static bool run_exprs(Run *r, const Term *pc)
{
    Term *sp = r->stack;
    bool *fp = r->foreign;
#define PUSH(v, f) (*sp++ = (v), *fp++ = (f))
#define DROP(n) (sp -= (n), fp -= (n))
    for (;;) {
        switch ((enum MsOp)*pc++) {
        case MS_E_LIT: PUSH(*pc++, true); break;
        case MS_E_VAR: PUSH(r->vars[*pc++], r->obj_foreign); break;
        case MS_E_OBJ: PUSH(r->obj, r->obj_foreign); break;
        case MS_E_VARS: {
            size_t n = (size_t)*pc++;
            PUSH(build_vars(r, pc, n), false);
            pc += n;
            break;
        }
        case MS_E_TUPLE: {
            size_t n = (size_t)*pc++;
            flip(sp - n, fp - n, n);
            Term t = build_tuple(r, sp - n, fp - n, n);
            DROP(n);
            PUSH(t, false);
            break;
        }
        case MS_E_CONS: {
            Term tail = own(r, sp[-1], fp[-1]), head = own(r, sp[-2], fp[-2]);
            DROP(2);
            PUSH(heap_cons(r->p, head, tail), false);
            break;
        }
        case MS_E_MAP: {
            size_t n = (size_t)*pc++;
            flip(sp - 2 * n, fp - 2 * n, 2 * n);
            Term m = build_map(r, sp - 2 * n, fp - 2 * n, n);
            DROP(2 * n);
            if (m == THE_NON_VALUE) return false;
            PUSH(m, false);
            break;
        }
        case MS_E_CALL: {
            bool guard = pc[0];
            BifFn fn = (BifFn)(uintptr_t)pc[1];
            size_t n = (size_t)pc[2];
            pc += 3;
            bool any_foreign = false;
            for (size_t i = 1; i <= n; i++) any_foreign |= fp[-(ptrdiff_t)i];
            flip(sp - n, fp - n, n);
            Term v = fn(r->p, sp - n);
            DROP(n);
            if (v == THE_NON_VALUE) {
                clear_exception(r->p);
                if (guard) return false;
                PUSH(AM_EXIT, false);
            } else {
                PUSH(v, any_foreign && !is_immed(v));
            }
            break;
        }
        case MS_E_AND:
        case MS_E_OR: {
            bool guard = pc[0];
            size_t n = (size_t)pc[1];
            Term v = bool_fold(sp - n, n, pc[-1] == MS_E_AND);
            pc += 2;
            DROP(n);
            if (v == THE_NON_VALUE && guard) return false;
            PUSH(v == THE_NON_VALUE ? AM_EXIT : v, false);
            break;
        }
        case MS_E_ANDALSO:
        case MS_E_ORELSE: {
            Term stop = pc[-1] == MS_E_ANDALSO ? AM_false : AM_true;
            bool guard = pc[0];
            size_t target = (size_t)pc[1];
            pc += 2;
            Term v = sp[-1];
            if (v == stop) {
                pc = r->prog->code + target;
            } else if (v == AM_true || v == AM_false) {
                DROP(1);
            } else {
                if (guard) return false;
                sp[-1] = AM_EXIT;
                fp[-1] = false;
                pc = r->prog->code + target;
            }
            break;
        }
        case MS_E_FLAG:
            r->res->flags |= (unsigned)*pc++;
            PUSH(AM_true, false);
            break;
        case MS_E_MESSAGE:
            r->res->value = own(r, sp[-1], fp[-1]);
            sp[-1] = AM_true;
            fp[-1] = false;
            break;
        case MS_E_SILENT:
            if (sp[-1] == AM_true) r->res->flags = (r->res->flags & ~MS_FLAG_SILENT_CLEAR) | MS_FLAG_SILENT_SET;
            else if (sp[-1] == AM_false) r->res->flags = (r->res->flags & ~MS_FLAG_SILENT_SET) | MS_FLAG_SILENT_CLEAR;
            sp[-1] = AM_true;
            fp[-1] = false;
            break;
        case MS_E_ACTION: {
            MsAction act = (MsAction)pc[0];
            size_t n = (size_t)pc[1];
            pc += 2;
            flip(sp - n, fp - n, n);
            Term v = call_action(r, act, sp - n, n, fp - n);
            DROP(n);
            PUSH(v == THE_NON_VALUE ? AM_EXIT : v, false);
            break;
        }
        case MS_C_TEST:
            DROP(1);
            if (*sp != AM_true) return false;
            break;
        case MS_C_POP: DROP(1); break;
        case MS_C_END:
            if (r->prog->dialect == MS_TABLE) r->res->value = own(r, sp[-1], fp[-1]);
            return true;
        default: return false;
        }
    }
#undef PUSH
#undef DROP
}

bool ms_run(const MsProg *prog, Process *p, Term obj, const MsRunCtx *ctx, MsResult *res)
{
    Term vars_small[16], stack_small[64];
    bool foreign_small[64];
    size_t nstack = prog->max_stack + 1;
    Term *vars = prog->max_vars <= 16 ? vars_small : malloc(prog->max_vars * sizeof(Term));
    Term *stack = nstack <= 64 ? stack_small : malloc(nstack * sizeof(Term));
    bool *foreign = nstack <= 64 ? foreign_small : malloc(nstack * sizeof(bool));
    bool matched = false;
    if (vars && stack && foreign) {
        Run r = {
            .prog = prog,
            .p = p,
            .obj = obj,
            .obj_foreign = !(ctx && ctx->obj_on_heap),
            .action = ctx && ctx->action ? ctx->action : ms_default_action,
            .action_ctx = ctx ? ctx->action_ctx : NULL,
            .vars = vars,
            .stack = stack,
            .foreign = foreign,
            .res = res,
        };
        for (size_t i = 0; i < prog->nclauses && !matched; i++) {
            const Term *body;
            res->value = AM_true;
            res->flags = 0;
            if (!match_head(&r, prog->code + prog->clauses[i].code, &body)) continue;
            matched = run_exprs(&r, body);
        }
    }
    if (vars != vars_small) free(vars);
    if (stack != stack_small) free(stack);
    if (foreign != foreign_small) free(foreign);
    return matched;
}
