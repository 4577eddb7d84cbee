/*
 * beam_code.c - the Code chunk: its header, the instruction stream decoded
 * into generic instructions (GenOp/GenArg, see beam_file.h), and the checks
 * that let stage 2 trust every index it meets.
 *
 * Each opcode's operands are read by its signature (gen_ops.h), which both
 * drives decoding and states the kind each operand must have. Per-opcode
 * checks follow (labels, func_info, import arities, operand lists, StrT
 * ranges); once the whole stream is read, every used label must be defined
 * and every call, export and lambda must target a function's entry label,
 * the label right after its func_info, with a matching name and arity.
 */
#include "runtime/loader/beam_read.h"

#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/loader/compact.h"
#include "runtime/loader/gen_ops.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_REGS 1024        /* x, y and fr registers */
#define MAX_ARITY 255
#define HIGHEST_OPCODE 180   /* OTP 25 */
#define CODE_HEADER_MIN 16
#define NO_OP UINT32_MAX     /* label_op entry of an undefined label */

typedef struct CodeReader {
    BeamReader *r;
    BeamFile *bf;
    CompactCursor cc;
    uint32_t *label_op;      /* label -> index of its `label` instruction, or NO_OP */
    uint32_t ops_cap, args_cap;
    uint32_t func_infos;
    uint32_t op_index;       /* instruction being read, for messages */
    unsigned op;
} CodeReader;

/* ---- messages ---- */

static int op_error(CodeReader *cr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int op_error(CodeReader *cr, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return beam_error(cr->r, "%s in %s/%d at instruction %u", msg, gen_op_name(cr->op),
                      gen_op_arity(cr->op), cr->op_index);
}

/* ---- header ---- */

int beam_read_code_header(BeamReader *r)
{
    BeamFile *bf = r->bf;
    ByteCursor c = byte_cursor(&r->chunks[CH_CODE]);
    uint32_t header, format;
    if (cursor_u32(&c, &header) < 0 || header < CODE_HEADER_MIN || header > cursor_left(&c))
        return beam_error(r, "truncated Code chunk");
    format = cursor_get_u32(&c);
    bf->max_opcode = cursor_get_u32(&c);
    bf->label_count = cursor_get_u32(&c);
    bf->function_count = cursor_get_u32(&c);
    /* the instructions follow the header, which may be longer than the fields read here */
    r->code = c.p + (header - CODE_HEADER_MIN);
    r->code_size = cursor_left(&c) - (header - CODE_HEADER_MIN);
    if (format != 0) return beam_error(r, "unknown instruction set %u", format);
    if (bf->max_opcode > HIGHEST_OPCODE)
        return beam_error(r, "compiled for a later runtime (max opcode %u, OTP 25 knows %u)",
                          bf->max_opcode, HIGHEST_OPCODE);
    /* a label definition takes 2 bytes, a func_info at least 4 */
    if (bf->label_count > r->code_size / 2 + 1)
        return beam_error(r, "label count %u does not fit the code", bf->label_count);
    if (bf->function_count > r->code_size / 4)
        return beam_error(r, "function count %u does not fit the code", bf->function_count);
    return 0;
}

/* ---- storage ---- */

static int push_arg(CodeReader *cr, const GenArg *a)
{
    BeamFile *bf = cr->bf;
    if (bf->num_args == cr->args_cap) {
        uint32_t cap = cr->args_cap ? cr->args_cap * 2 : 1024;
        GenArg *p = realloc(bf->args, (size_t)cap * sizeof *p);
        if (!p) return beam_error(cr->r, "out of memory");
        bf->args = p;
        cr->args_cap = cap;
    }
    bf->args[bf->num_args++] = *a;
    return 0;
}

static int push_op(CodeReader *cr, const GenOp *g)
{
    BeamFile *bf = cr->bf;
    if (bf->num_ops == cr->ops_cap) {
        uint32_t cap = cr->ops_cap ? cr->ops_cap * 2 : 512;
        GenOp *p = realloc(bf->ops, (size_t)cap * sizeof *p);
        if (!p) return beam_error(cr->r, "out of memory");
        bf->ops = p;
        cr->ops_cap = cap;
    }
    bf->ops[bf->num_ops++] = *g;
    return 0;
}

static GenArg *op_arg(const CodeReader *cr, const GenOp *g, unsigned k)
{
    return &cr->bf->args[g->first_arg + k];
}

/* ---- one operand ---- */

static int read_u32(CodeReader *cr, uint32_t *out)
{
    if (compact_read_u32(&cr->cc, out) < 0) return op_error(cr, "%s", cr->cc.error);
    return 0;
}

static int integer_operand(CodeReader *cr, const CompactValue *v, GenArg *a)
{
    a->kind = GA_I;
    if (v->fits && small_fits((intptr_t)v->val)) {
        a->term = make_small((intptr_t)v->val);
        return 0;
    }
    a->term = big_from_be_twos_complement(v->bytes, v->nbytes, literal_allocator(cr->bf->literals));
    return a->term == THE_NON_VALUE ? op_error(cr, "out of memory") : 0;
}

/* z5: an x or y register, then its type index. */
static int typed_register(CodeReader *cr, GenArg *a)
{
    CompactValue v;
    if (compact_read(&cr->cc, &v) < 0) return op_error(cr, "%s", cr->cc.error);
    if ((v.tag != CT_X && v.tag != CT_Y) || !v.fits || v.val < 0 || v.val >= MAX_REGS)
        return op_error(cr, "bad typed register");
    uint32_t type;
    if (read_u32(cr, &type) < 0) return -1;
    if (cr->r->num_types && type >= cr->r->num_types)
        return op_error(cr, "type index %u out of range (%u types)", type, cr->r->num_types);
    a->kind = v.tag == CT_X ? GA_X : GA_Y;
    a->val = (uint64_t)v.val;
    a->type_idx = cr->r->num_types ? type : 0;
    return 0;
}

/* z3: K pairs (kind, count); kind 0 = words, 1 = floats, 2 = funs. */
static int alloc_list(CodeReader *cr, GenArg *a)
{
    uint32_t k, sums[3] = {0, 0, 0};
    if (read_u32(cr, &k) < 0) return -1;
    for (uint32_t i = 0; i < k; i++) {
        uint32_t kind, count;
        if (read_u32(cr, &kind) < 0 || read_u32(cr, &count) < 0) return -1;
        if (kind > 2) return op_error(cr, "unknown allocation kind %u", kind);
        if (count > UINT32_MAX - sums[kind]) return op_error(cr, "allocation list overflows");
        sums[kind] += count;
    }
    a->kind = GA_ALLOC;
    a->alloc.words = sums[0];
    a->alloc.floats = sums[1];
    a->alloc.funs = sums[2];
    return 0;
}

static int extended_operand(CodeReader *cr, int64_t kind, GenArg *a)
{
    uint32_t n;
    switch (kind) {
    case CZ_FLOAT: return op_error(cr, "inline float operands (z0) are obsolete");
    case CZ_LIST:
        if (read_u32(cr, &n) < 0) return -1;
        if (n > compact_left(&cr->cc)) return op_error(cr, "operand list longer than the code");
        a->kind = GA_LIST;
        a->val = n;
        return 0;
    case CZ_FR:
        if (read_u32(cr, &n) < 0) return -1;
        if (n >= MAX_REGS) return op_error(cr, "float register %u out of range", n);
        a->kind = GA_FR;
        a->val = n;
        return 0;
    case CZ_ALLOC: return alloc_list(cr, a);
    case CZ_LITERAL:
        if (read_u32(cr, &n) < 0) return -1;
        if (n >= cr->bf->num_literals)
            return op_error(cr, "literal %u out of range (%u literals)", n, cr->bf->num_literals);
        a->kind = GA_LIT;
        a->val = n;
        a->term = cr->bf->literal_terms[n];
        return 0;
    case CZ_TYPED: return typed_register(cr, a);
    default: return op_error(cr, "unknown extended operand kind %d", (int)kind);
    }
}

/* Tags u, a, x, y, f: a non-negative value that fits a uint32. */
static int plain_operand(CodeReader *cr, const CompactValue *v, GenArg *a)
{
    static const uint8_t kinds[] = {
        [CT_U] = GA_U, [CT_A] = GA_A, [CT_X] = GA_X, [CT_Y] = GA_Y, [CT_F] = GA_F,
    };
    if (!v->fits || v->val < 0 || v->val > UINT32_MAX) return op_error(cr, "operand value out of range");
    a->kind = kinds[v->tag];
    a->val = (uint64_t)v->val;
    if (v->tag == CT_A) {
        if (a->val > cr->bf->num_atoms)
            return op_error(cr, "atom %u out of range (%u atoms)", (unsigned)a->val, cr->bf->num_atoms);
        a->term = cr->bf->atoms[a->val];
        if (a->val == 0) a->kind = GA_NIL;
    }
    if ((v->tag == CT_X || v->tag == CT_Y) && a->val >= MAX_REGS)
        return op_error(cr, "register %u out of range", (unsigned)a->val);
    if (v->tag == CT_F && a->val >= cr->bf->label_count)
        return op_error(cr, "label %u out of range (label count %u)", (unsigned)a->val, cr->bf->label_count);
    return 0;
}

static int read_arg(CodeReader *cr, GenArg *a)
{
    CompactValue v;
    memset(a, 0, sizeof *a);
    if (compact_read(&cr->cc, &v) < 0) return op_error(cr, "%s", cr->cc.error);
    switch (v.tag) {
    case CT_I: return integer_operand(cr, &v, a);
    case CT_H: return op_error(cr, "character operands (tag h) are not supported");
    case CT_Z: return extended_operand(cr, v.val, a);
    default: return plain_operand(cr, &v, a);
    }
}

/* ---- operand kinds (letters: see gen_ops.h) ---- */

static bool is_source(const GenArg *a)
{
    return a->kind == GA_X || a->kind == GA_Y || a->kind == GA_I || a->kind == GA_A ||
           a->kind == GA_NIL || a->kind == GA_LIT;
}

static bool kind_ok(char letter, const GenArg *a)
{
    uint8_t k = a->kind;
    switch (letter) {
    case 'u': case 'l': case 'I': case 'F': case 'n': return k == GA_U;
    case 'a': return k == GA_A;
    case 'x': return k == GA_X;
    case 'y': return k == GA_Y;
    case 'd': return k == GA_X || k == GA_Y;
    case 's': return is_source(a);
    case 'f': return k == GA_F;
    case 'L': return k == GA_F && a->val != 0;
    case 'r': return k == GA_FR;
    case 'R': return k == GA_FR || is_source(a);
    case 'D': return k == GA_FR || k == GA_X || k == GA_Y;
    case 'h': return k == GA_U || k == GA_ALLOC;
    case 'T': return k == GA_U || (k == GA_A && (a->term == AM_safe || a->term == AM_unsafe));
    case 'B': return k == GA_F || (k == GA_A && (a->term == AM_no_fail || a->term == AM_resume));
    case 'v': return k == GA_I || k == GA_A || (k == GA_LIT && is_float(a->term)); /* select_val */
    case 'V': return k == GA_U || is_source(a); /* bs_create_bin value or size */
    default: return false;
    }
}

static const char *kind_text(char letter)
{
    switch (letter) {
    case 'u': case 'l': case 'I': case 'F': case 'n': return "an unsigned number";
    case 'a': return "an atom";
    case 'x': return "an x register";
    case 'y': return "a y register";
    case 'd': case 'D': return "a destination register";
    case 's': case 'R': case 'V': return "a source";
    case 'f': case 'B': return "a label";
    case 'L': return "a non-zero label";
    case 'r': return "a float register";
    case 'h': return "a heap need";
    case 'T': return "a lambda index or safe/unsafe";
    case 'v': return "an integer, atom or float";
    case '*': return "an operand list";
    default: return "?";
    }
}

/* Index operands: imports, lambdas, line items, label definitions. */
static int check_index(CodeReader *cr, char letter, GenArg *a)
{
    BeamFile *bf = cr->bf;
    if (letter == 'I' && a->val >= bf->num_imports)
        return op_error(cr, "import %u out of range (%u imports)", (unsigned)a->val, bf->num_imports);
    if ((letter == 'F' || (letter == 'T' && a->kind == GA_U)) && a->val >= bf->num_lambdas)
        return op_error(cr, "lambda %u out of range (%u lambdas)", (unsigned)a->val, bf->num_lambdas);
    if (letter == 'l' && (a->val == 0 || a->val >= bf->label_count))
        return op_error(cr, "label %u out of range (label count %u)", (unsigned)a->val, bf->label_count);
    if (letter == 'n' && a->val >= bf->num_line_items) {
        if (cr->r->line_table)
            return op_error(cr, "line item %u out of range (%u items)", (unsigned)a->val,
                            bf->num_line_items - 1);
        a->val = 0; /* no usable Line chunk: erts ignores line instructions */
    }
    return 0;
}

/* Reads the operand at signature position pos (a list brings its elements). */
static int read_operand(CodeReader *cr, const char *sig, int pos)
{
    GenArg a;
    if (read_arg(cr, &a) < 0) return -1;
    if ((a.kind == GA_LIST) != (sig[pos] == '*') || (a.kind != GA_LIST && !kind_ok(sig[pos], &a)))
        return op_error(cr, "operand %d should be %s", pos + 1, kind_text(sig[pos]));
    if (check_index(cr, sig[pos], &a) < 0 || push_arg(cr, &a) < 0) return -1;
    for (uint64_t i = 0; a.kind == GA_LIST && i < a.val; i++) {
        GenArg e;
        if (read_arg(cr, &e) < 0) return -1;
        if (e.kind == GA_LIST) return op_error(cr, "operand list inside an operand list");
        if (push_arg(cr, &e) < 0) return -1;
    }
    return 0;
}

/* ---- per-instruction checks ---- */

/* The list operand at position pos: elements cycle through `pattern`. */
static int check_list(CodeReader *cr, const GenOp *g, unsigned pos, const char *pattern)
{
    GenArg *list = op_arg(cr, g, pos);
    size_t plen = strlen(pattern);
    if (list->val % plen != 0)
        return op_error(cr, "operand list length %u is not a multiple of %zu", (unsigned)list->val, plen);
    for (uint64_t i = 0; i < list->val; i++) {
        char letter = pattern[i % plen];
        if (!kind_ok(letter, list + 1 + i))
            return op_error(cr, "list element %u should be %s", (unsigned)i + 1, kind_text(letter));
    }
    return 0;
}

static int define_label(CodeReader *cr, uint32_t label)
{
    if (cr->label_op[label] != NO_OP) return op_error(cr, "label %u defined twice", label);
    cr->label_op[label] = cr->op_index;
    return 0;
}

static int check_func_info(CodeReader *cr, const GenOp *g)
{
    Term module = cr->bf->module;
    uint64_t arity = op_arg(cr, g, 2)->val;
    if (op_arg(cr, g, 0)->term != module) return op_error(cr, "module is not %s", atom_text(module));
    if (arity > MAX_ARITY) return op_error(cr, "arity %u too large", (unsigned)arity);
    cr->func_infos++;
    return 0;
}

/* The import at operand position imp must take `arity` arguments. */
static int check_import_arity(CodeReader *cr, const GenOp *g, unsigned imp, uint64_t arity)
{
    const BeamImport *e = &cr->bf->imports[op_arg(cr, g, imp)->val];
    if (e->arity != arity)
        return op_error(cr, "import %s:%s/%u used with %u arguments", atom_text(e->module),
                        atom_text(e->function), e->arity, (unsigned)arity);
    return 0;
}

static int check_string_range(CodeReader *cr, uint64_t offset, uint64_t bytes)
{
    if (offset > cr->bf->strtab_size || bytes > cr->bf->strtab_size - offset)
        return op_error(cr, "string at offset %llu (%llu bytes) outside StrT (%u bytes)",
                        (unsigned long long)offset, (unsigned long long)bytes, cr->bf->strtab_size);
    return 0;
}

/* A string segment's size in bytes: a u or a non-negative small i operand. */
static bool string_size(const GenArg *a, uint64_t *bytes)
{
    if (a->kind == GA_U) {
        *bytes = a->val;
        return true;
    }
    if (a->kind != GA_I || !is_small(a->term) || small_val(a->term) < 0) return false;
    *bytes = (uint64_t)small_val(a->term);
    return true;
}

/* bs_create_bin segments: Type Seg Unit Flags Value Size; `string` copies from StrT. */
static int check_segments(CodeReader *cr, const GenOp *g)
{
    if (check_list(cr, g, 5, "auusVV") < 0) return -1;
    GenArg *list = op_arg(cr, g, 5);
    for (uint64_t i = 0; i < list->val; i += 6) {
        const GenArg *seg = list + 1 + i;
        uint64_t bytes;
        if (seg[0].term != AM_string) continue;
        if (seg[4].kind != GA_U || !string_size(&seg[5], &bytes)) return op_error(cr, "bad string segment");
        if (check_string_range(cr, seg[4].val, bytes) < 0) return -1;
    }
    return 0;
}

/* select_val: value/label pairs; the values are all integers, all atoms or all floats. */
static int check_select_val(CodeReader *cr, const GenOp *g)
{
    if (check_list(cr, g, 2, "vL") < 0) return -1;
    const GenArg *list = op_arg(cr, g, 2);
    for (uint64_t i = 2; i < list->val; i += 2)
        if (list[1 + i].kind != list[1].kind) return op_error(cr, "values of different kinds");
    return 0;
}

static int check_make_fun(CodeReader *cr, const GenOp *g)
{
    const BeamLambda *l = &cr->bf->lambdas[op_arg(cr, g, 0)->val];
    if (op_arg(cr, g, 2)->val != l->num_free)
        return op_error(cr, "lambda %u captures %u values, not %u", l->index, l->num_free,
                        (unsigned)op_arg(cr, g, 2)->val);
    return check_list(cr, g, 2, "s");
}

static int check_instruction(CodeReader *cr, const GenOp *g)
{
    switch (g->op) {
    case GOP_label: return define_label(cr, (uint32_t)op_arg(cr, g, 0)->val);
    case GOP_func_info: return check_func_info(cr, g);
    case GOP_call_ext:
    case GOP_call_ext_last:
    case GOP_call_ext_only: return check_import_arity(cr, g, 1, op_arg(cr, g, 0)->val);
    case GOP_bif0: return check_import_arity(cr, g, 0, 0);
    case GOP_bif1: return check_import_arity(cr, g, 1, 1);
    case GOP_bif2: return check_import_arity(cr, g, 1, 2);
    case GOP_gc_bif1: return check_import_arity(cr, g, 2, 1);
    case GOP_gc_bif2: return check_import_arity(cr, g, 2, 2);
    case GOP_gc_bif3: return check_import_arity(cr, g, 2, 3);
    case GOP_select_val: return check_select_val(cr, g);
    case GOP_select_tuple_arity: return check_list(cr, g, 2, "uL");
    case GOP_get_map_elements: return check_list(cr, g, 2, "sd");
    case GOP_put_map_assoc:
    case GOP_put_map_exact: return check_list(cr, g, 4, "ss");
    case GOP_has_map_fields: return check_list(cr, g, 2, "s");
    case GOP_init_yregs: return check_list(cr, g, 0, "y");
    case GOP_put_tuple2: return check_list(cr, g, 1, "s");
    case GOP_make_fun3: return check_make_fun(cr, g);
    case GOP_bs_match_string:
        return check_string_range(cr, op_arg(cr, g, 3)->val, (op_arg(cr, g, 2)->val + 7) / 8);
    case GOP_bs_create_bin: return check_segments(cr, g);
    default: return 0;
    }
}

/* ---- the instruction stream ---- */

static int read_instruction(CodeReader *cr)
{
    BeamFile *bf = cr->bf;
    unsigned op = *cr->cc.p++;
    unsigned prev = bf->num_ops ? bf->ops[bf->num_ops - 1].op : 0;
    cr->op = op;
    cr->op_index = bf->num_ops;
    if (!gen_op_name(op)) return beam_error(cr->r, "unknown opcode %u", op);
    const char *sig = gen_op_signature(op);
    if (!sig) return beam_error(cr->r, "obsolete opcode %s/%d", gen_op_name(op), gen_op_arity(op));
    if (prev == GOP_func_info && op != GOP_label) return op_error(cr, "func_info not followed by a label");
    GenOp g = {(uint16_t)op, 0, bf->num_args};
    for (int pos = 0; sig[pos]; pos++)
        if (read_operand(cr, sig, pos) < 0) return -1;
    if (bf->num_args - g.first_arg > UINT16_MAX) return op_error(cr, "too many operands");
    g.nargs = (uint16_t)(bf->num_args - g.first_arg);
    if (push_op(cr, &g) < 0) return -1;
    return check_instruction(cr, &g);
}

static int read_instructions(CodeReader *cr)
{
    BeamFile *bf = cr->bf;
    while (!compact_at_end(&cr->cc)) {
        if (read_instruction(cr) < 0) return -1;
        if (bf->ops[bf->num_ops - 1].op == GOP_int_code_end) break;
    }
    if (bf->num_ops == 0 || bf->ops[bf->num_ops - 1].op != GOP_int_code_end)
        return beam_error(cr->r, "code does not end with int_code_end");
    if (!compact_at_end(&cr->cc)) return beam_error(cr->r, "bytes after int_code_end");
    if (cr->func_infos != bf->function_count)
        return beam_error(cr->r, "function count %u in the Code header, but %u functions",
                          bf->function_count, cr->func_infos);
    return 0;
}

/* ---- whole-module checks ---- */

static int check_labels_defined(CodeReader *cr)
{
    BeamFile *bf = cr->bf;
    for (uint32_t i = 0; i < bf->num_ops; i++) {
        const GenOp *g = &bf->ops[i];
        for (unsigned k = 0; k < g->nargs; k++) {
            const GenArg *a = op_arg(cr, g, k);
            if (a->kind != GA_F || a->val == 0 || cr->label_op[a->val] != NO_OP) continue;
            cr->op = g->op;
            cr->op_index = i;
            return op_error(cr, "label %u is not defined", (unsigned)a->val);
        }
    }
    return 0;
}

/* The func_info before the entry label, or NULL if the label is no function entry. */
static const GenOp *entry_func_info(const CodeReader *cr, uint64_t label)
{
    uint32_t at = cr->label_op[label];
    if (at == NO_OP || at == 0 || cr->bf->ops[at - 1].op != GOP_func_info) return NULL;
    return &cr->bf->ops[at - 1];
}

static int check_entry(CodeReader *cr, const char *table, uint32_t i, Term function, uint32_t arity,
                       uint32_t label)
{
    const GenOp *fi = entry_func_info(cr, label);
    if (!fi || op_arg(cr, fi, 1)->term != function || op_arg(cr, fi, 2)->val != arity)
        return beam_error(cr->r, "%s entry %u (%s/%u): label %u is not the entry of that function",
                          table, i, atom_text(function), arity, label);
    return 0;
}

static int check_function_table(CodeReader *cr, const char *table, const BeamExport *t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (check_entry(cr, table, i, t[i].function, t[i].arity, t[i].label) < 0) return -1;
    return 0;
}

static int check_entries(CodeReader *cr)
{
    BeamFile *bf = cr->bf;
    if (check_function_table(cr, "ExpT", bf->exports, bf->num_exports) < 0 ||
        check_function_table(cr, "LocT", bf->locals, bf->num_locals) < 0)
        return -1;
    for (uint32_t i = 0; i < bf->num_lambdas; i++) {
        const BeamLambda *l = &bf->lambdas[i];
        if (check_entry(cr, "FunT", i, l->function, l->arity, l->label) < 0) return -1;
    }
    return 0;
}

/* Local calls must enter a function of the arity they pass. */
static int check_calls(CodeReader *cr)
{
    BeamFile *bf = cr->bf;
    for (uint32_t i = 0; i < bf->num_ops; i++) {
        const GenOp *g = &bf->ops[i];
        if (g->op != GOP_call && g->op != GOP_call_last && g->op != GOP_call_only) continue;
        const GenOp *fi = entry_func_info(cr, op_arg(cr, g, 1)->val);
        if (fi && op_arg(cr, fi, 2)->val == op_arg(cr, g, 0)->val) continue;
        cr->op = g->op;
        cr->op_index = i;
        return op_error(cr, "label %u is not the entry of a function of arity %u",
                        (unsigned)op_arg(cr, g, 1)->val, (unsigned)op_arg(cr, g, 0)->val);
    }
    return 0;
}

int beam_read_code(BeamReader *r)
{
    BeamFile *bf = r->bf;
    CodeReader cr = {.r = r, .bf = bf};
    compact_init(&cr.cc, r->code, r->code_size);
    cr.label_op = malloc(((size_t)bf->label_count + 1) * sizeof *cr.label_op);
    if (!cr.label_op) return beam_error(r, "out of memory");
    for (uint32_t i = 0; i <= bf->label_count; i++) cr.label_op[i] = NO_OP;
    int rc = read_instructions(&cr);
    if (rc == 0) rc = check_labels_defined(&cr);
    if (rc == 0) rc = check_entries(&cr);
    if (rc == 0) rc = check_calls(&cr);
    free(cr.label_op);
    return rc;
}
