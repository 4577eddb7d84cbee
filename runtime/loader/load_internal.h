/*
 * load_internal.h - the translation state and emitters shared by the
 * loader's translation files (load.c, and load_bs.c for binary syntax).
 * Not part of the loader's interface: see load.h.
 */
#ifndef ERBIUM_LOAD_INTERNAL_H
#define ERBIUM_LOAD_INTERNAL_H

#include "runtime/interp/interp.h"
#include "runtime/loader/load.h"

typedef struct LabelRef {
    uint32_t pos;   /* code word to patch */
    uint32_t label;
} LabelRef;

typedef struct CatchRef {
    uint32_t pos;
    uint32_t label;
    uint32_t yslot;
} CatchRef;

/* A chained word at code position pos that jumps into the code at next. */
typedef struct ChainRef {
    uint32_t pos, next;
    BeamInstr plain;
} ChainRef;

typedef struct FuncSpan {
    uint32_t start, end;
    Term function;
    uint32_t arity;
} FuncSpan;

#define VEC(type)                                                                                  \
    struct {                                                                                       \
        type *v;                                                                                   \
        size_t n, cap;                                                                             \
    }

typedef struct Loader {
    BeamFile *bf;
    Module *mod;
    const GenOp *op; /* the instruction being translated, for messages */
    VEC(BeamInstr) code;
    VEC(LabelRef) refs;
    VEC(CatchRef) catches;
    VEC(LineRef) lines;
    VEC(FuncSpan) funcs;
    VEC(ModSite) sites; /* breakpoint sites (load_sites.c), when sites_on */
    VEC(ChainRef) chains; /* chained superinstructions, when sites_on (load_site_chain) */
    bool sites_on;
    uint32_t *label_pos;
    Export **imports;
    char *err;
    size_t errlen;
    bool failed;
    bool has_on_load;     /* an on_load instruction was seen ... */
    uint32_t on_load_pos; /* ... at this code position: the -on_load function's entry */
    unsigned skip; /* how many following generic instructions were folded into this one */
    bool dumping;   /* ERBIUM_LOAD_DUMP names the module (load_dump.c) ... */
    VEC(uint32_t) dump; /* ... and these code positions start instructions */
} Loader;

#define VEC_PUSH(vec, item)                                                                        \
    do {                                                                                           \
        if ((vec).n == (vec).cap) {                                                                \
            (vec).cap = (vec).cap ? (vec).cap * 2 : 256;                                           \
            void *grown_ = realloc((vec).v, (vec).cap * sizeof *(vec).v);                          \
            if (!grown_) abort();                                                                  \
            (vec).v = grown_;                                                                      \
        }                                                                                          \
        (vec).v[(vec).n++] = (item);                                                               \
    } while (0)


/* Operand i of the instruction being translated. */
const GenArg *load_arg(const Loader *L, unsigned i);
/* The generic instruction k places after the one being translated, or NULL past the end. */
const GenOp *load_peek(const Loader *L, unsigned k);
/* Operand i of generic instruction op. */
const GenArg *load_op_arg(const Loader *L, const GenOp *op, unsigned i);
/* Records the first error ("<module>: ..."); always returns false. */
bool load_fail(Loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* put_map_assoc building a map of constant keys from the empty map, as i_new_map_lit
   (load_map.c); false (nothing emitted) for any other put_map_assoc. */
bool load_new_map_lit(Loader *L);

void load_emit(Loader *L, BeamInstr w);
void load_emit_op(Loader *L, OpCode op);
/* A label operand: 0 stays 0 ("raise instead of jumping"). */
void load_emit_label(Loader *L, const GenArg *a);
/* A source (register or constant), a destination register, a plain number. */
void load_emit_src(Loader *L, const GenArg *a);
void load_emit_dst(Loader *L, const GenArg *a);
/* The operand word of register x<n> or y<n>: a byte offset, y's with bit 2 set (interp.c's
   XB/YB undo it). */
static inline BeamInstr load_x_word(uint64_t n) { return (BeamInstr)n * 8; }
static inline BeamInstr load_y_word(uint64_t n) { return (BeamInstr)n * 8 | 4; }
void load_emit_u(Loader *L, const GenArg *a);
bool load_is_const(const GenArg *a);
/* a and b are the same x or y register. */
bool load_same_reg(const GenArg *a, const GenArg *b);
/* Breakpoint sites (load_sites.c): at the code emitted after a line, at a function's
   entry (just after its func_info), and their final list in the module. */
void load_site_line(Loader *L, const GenOp *line);
void load_site_entry(Loader *L);
void load_sites_finish(Loader *L, Module *m);
/* The word at code position pos, now the plain form of its instruction, is about
   to become a chained form that jumps into the code at position next without
   reading its word; with sites on, a breakpoint at next will undo that. */
void load_site_chain(Loader *L, size_t pos, size_t next);

/* Line instruction `line` applies from the code emitted next. */
void load_line(Loader *L, const GenOp *line);
/* Heap words an allocation operand (u or allocation list) asks for. */
BeamInstr load_heap_need(const GenArg *a);

/*
 * Translates a binary-syntax instruction (bs_*, and the binary tests);
 * returns false if L->op is not one (load_bs.c).
 */
bool load_bs_translate(Loader *L);

/*
 * Translates L->op together with the instructions after it into one
 * superinstruction when they form a common sequence (load_fused.c);
 * returns false, having emitted nothing, if they do not.
 */
bool load_fused_translate(Loader *L);

/* load_dump.c: whether ERBIUM_LOAD_DUMP names the module; prints the instructions selected
   for it (L->dump) to stderr. */
bool load_dump_wanted(Term module);
void load_dump(const Loader *L, const Module *m);

#endif
