/*
 * ms_int.h - the compiled form of a match spec, shared by ms_compile.c and
 * ms_run.c (not part of the engine's interface: see ms.h).
 *
 * Each clause is a run of instruction words in one flat array. An
 * instruction is an opcode word followed by its operands (raw integers,
 * C pointers or terms inside the program's private copy of the spec).
 *
 * The head runs first on a stack of terms still to match (the object is
 * pushed first); each pattern instruction pops one term. Conditions and the
 * body then run on a value stack, in postfix order. Variables live in slots
 * numbered by first occurrence in the head.
 */
#ifndef ERBIUM_MS_INT_H
#define ERBIUM_MS_INT_H

#include "runtime/bif/bif.h"
#include "runtime/ms/ms.h"

#include <stdatomic.h>

enum MsOp {
    /* head: each pops the term to match */
    MS_H_ANY,   /* '_' */
    MS_H_BIND,  /* slot: first occurrence of a variable */
    MS_H_CHECK, /* slot: a later occurrence, must be =:= */
    MS_H_EQ,    /* literal: must be =:= */
    MS_H_TUPLE, /* arity: pushes the elements, the first on top */
    MS_H_CONS,  /* pushes the tail, then the head */
    MS_H_MAP,   /* n, key1..keyn: map holding those keys; pushes their values, the first on top */
    MS_H_END,   /* the head matched */
    /* expressions: each pushes one value */
    MS_E_LIT,     /* literal */
    MS_E_VAR,     /* slot */
    MS_E_OBJ,     /* '$_' */
    MS_E_VARS,    /* n, slot1..slotn: '$$' */
    MS_E_TUPLE,   /* arity: pops the elements */
    MS_E_CONS,    /* pops the tail, then the head */
    MS_E_MAP,     /* n: pops n keys and values (k1 v1 ... kn vn) */
    MS_E_CALL,    /* guard, BifFn, arity: pops the arguments */
    MS_E_AND,     /* guard, n */
    MS_E_OR,      /* guard, n */
    MS_E_ANDALSO, /* guard, target: false jumps keeping false, true pops and goes on */
    MS_E_ORELSE,  /* guard, target */
    MS_E_FLAG,    /* MS_FLAG_*: return_trace / exception_trace; pushes true */
    MS_E_MESSAGE, /* pops the message; pushes true */
    MS_E_SILENT,  /* pops the flag; pushes true */
    MS_E_ACTION,  /* MsAction, arity: pops the arguments, pushes the action's value */
    /* clause control */
    MS_C_TEST,  /* pops a condition: anything but true fails the clause */
    MS_C_POP,   /* drops a body value that is not the last */
    MS_C_END,   /* the clause succeeded; the top value is the table result */
};

typedef struct MsClause {
    size_t code;       /* offset of its first instruction */
    Term head, conds, body; /* inside the program's copy of the spec */
} MsClause;

struct MsProg {
    atomic_size_t refc;
    MsDialect dialect;
    size_t nclauses;
    MsClause *clauses;
    Term *code;
    size_t ncode;
    Term spec;       /* the private copy: every literal operand points into it */
    Term *spec_words;
    size_t spec_nwords;
    size_t max_vars;  /* slots any clause needs */
    size_t max_stack; /* deepest head or value stack of any clause */
};

/* N for a variable '$N' (0 <= N <= MS_MAX_VAR, no leading zeros), else -1. */
long ms_var_number(Term t);

#endif
