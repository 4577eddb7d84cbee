/*
 * load_dump.c - prints the instructions the loader selected for a module,
 * for looking at instruction selection (which superinstructions and chains
 * a function got). Off unless the environment variable ERBIUM_LOAD_DUMP
 * names the module (a comma-separated list of module names, or `all`); the
 * listing goes to stderr as the module is loaded:
 *
 *   fib:fib/1
 *         57  i_func_info 'fib' 'fib' 1 0
 *         62  i_is_lt_xc_return @66 x0 2
 *         66  i_minus_xcx_then_allocate1_move2_call_xyxx 0 x0 1 x1
 *         71  i_allocate1_move2_call_xyxx 1 2 x0 y0 x1 x0 @62
 *
 * Each line: the word offset in the module's code, the instruction, its
 * operands as its signature reads them (x/y registers, constants, labels as
 * @offset, 0 for "none"); a variable-length instruction's operands after its
 * count are shown as raw words.
 */
#include "runtime/loader/load_internal.h"
#include "runtime/loader/export.h"
#include "runtime/term/atom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[OP_COUNT] = {
#define OP(name, sig) #name,
#include "runtime/interp/ops.def"
#undef OP
};

bool load_dump_wanted(Term module)
{
    const char *list = getenv("ERBIUM_LOAD_DUMP");
    if (!list) return false;
    const char *name = atom_text(module);
    size_t n = strlen(name);
    for (const char *s = list; *s;) {
        size_t len = strcspn(s, ",");
        if ((len == 3 && strncmp(s, "all", 3) == 0) || (len == n && strncmp(s, name, n) == 0)) return true;
        s += len + (s[len] == ',');
    }
    return false;
}

/* The op whose handler (or breakpoint handler) word is w, or OP_COUNT. */
static OpCode op_of_word(BeamInstr w)
{
    for (int i = 0; i < OP_COUNT; i++)
        if (w == op_word((OpCode)i)) return (OpCode)i;
    return OP_COUNT;
}

static void print_term(Term t)
{
    if (t == NIL) fprintf(stderr, " []");
    else if (is_small(t)) fprintf(stderr, " %ld", (long)small_val(t));
    else if (is_atom(t)) fprintf(stderr, " '%s'", atom_text(t));
    else fprintf(stderr, " #%#lx", (unsigned long)t);
}

/* One operand word w of signature letter c; a 'p' of a call to another module is its Export. */
static void print_operand(const Module *m, OpCode op, char c, BeamInstr w)
{
    if (c == 'p' && strncmp(op_names[op], "i_call_ext", 10) == 0) {
        const Export *e = (const Export *)w;
        fprintf(stderr, " %s:%s/%u", atom_text(e->module), atom_text(e->function), e->arity);
        return;
    }
    switch (c) {
    case 'x': case 'y': case 'd': case 'S': case 'c':
        if (w & 3) print_term((Term)w);
        else fprintf(stderr, " %c%lu", (w & 4) ? 'y' : 'x', (unsigned long)(w >> 3));
        break;
    case 'L': case 'f':
        if (w == 0) fprintf(stderr, " 0");
        else fprintf(stderr, " @%ld", (long)((const BeamInstr *)w - m->code));
        break;
    case 'p': fprintf(stderr, " %#lx", (unsigned long)w); break;
    default: fprintf(stderr, " %lu", (unsigned long)w); break;
    }
}

/* Prints code words [at, end) as one instruction. */
static void print_instr(const Module *m, size_t at, size_t end)
{
    OpCode op = op_of_word(m->code[at]);
    if (op == OP_COUNT) {
        fprintf(stderr, "  %6zu  ?%#lx\n", at, (unsigned long)m->code[at]);
        return;
    }
    fprintf(stderr, "  %6zu  %s", at, op_names[op]);
    const char *sig = op_signature[op];
    size_t w = at + 1;
    for (; *sig && *sig != '#' && w < end; sig++, w++) print_operand(m, op, *sig, m->code[w]);
    for (; w < end; w++) fprintf(stderr, " %lu", (unsigned long)m->code[w]);
    fputc('\n', stderr);
}

void load_dump(const Loader *L, const Module *m)
{
    size_t f = 0;
    for (size_t i = 0; i < L->dump.n; i++) {
        size_t at = L->dump.v[i], end = i + 1 < L->dump.n ? L->dump.v[i + 1] : m->code_words;
        for (; f < L->funcs.n && L->funcs.v[f].start <= at; f++)
            fprintf(stderr, "%s:%s/%u\n", atom_text(m->name), atom_text(L->funcs.v[f].function), L->funcs.v[f].arity);
        print_instr(m, at, end);
    }
}
