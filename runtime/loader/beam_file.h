/*
 * beam_file.h - reading and validating a .beam file (stage 1 of loading).
 *
 * beam_file_read() parses the IFF container and the chunks, decodes the
 * instruction stream into generic instructions with decoded operands, builds
 * the literals (in a LiteralArea owned by the result), and checks everything
 * a later stage relies on, so that translation (stage 2, load.c) never sees
 * an out-of-range index. Any problem gives a message naming the file and
 * the problem; nothing is ever read outside the buffer.
 *
 * Checked here: container and chunk sizes, padding tolerance, chunk data
 * consumed exactly; atom count and UTF-8; every opcode known to OTP 25
 * (unknown or obsolete ones reported by name, e.g. "obsolete opcode
 * put_tuple/2"); operand count per opcode; atom, import, export, literal,
 * lambda, StrT, line and type indices in range; labels defined once, in
 * range, and every used label defined; x registers < 1024, y < 1024; the
 * code ends with int_code_end; func_info directly followed by the entry
 * label of each exported/local function; LitT inflates to the stated size.
 */
#ifndef ERBIUM_BEAM_FILE_H
#define ERBIUM_BEAM_FILE_H

#include "runtime/term/literal.h"
#include "runtime/term/term.h"

/* Operand kinds after decoding. */
enum gen_arg_kind {
    GA_U,     /* unsigned number: val */
    GA_I,     /* integer constant: term (small, or a bignum in the literal area) */
    GA_A,     /* atom: term (global atom; index 0 decodes to NIL, kind GA_NIL) */
    GA_NIL,   /* [] : term == NIL */
    GA_X,     /* x register: val (type index in type_idx, 0 if untyped) */
    GA_Y,     /* y register: val */
    GA_F,     /* label: val (0 = no label) */
    GA_LIT,   /* literal: term (in the literal area) */
    GA_FR,    /* float register: val */
    GA_LIST,  /* extended list: val = N; the N elements follow as the next args */
    GA_ALLOC, /* allocation list: words, floats, funs */
};

typedef struct GenArg {
    uint8_t kind;      /* enum gen_arg_kind */
    uint32_t type_idx; /* for typed registers (GA_X/GA_Y); else 0 */
    uint64_t val;
    Term term;
    struct { uint32_t words, floats, funs; } alloc; /* GA_ALLOC; a plain u heap need is GA_U */
} GenArg;

/* One generic instruction: `nargs` operands starting at args[first_arg]
   (a list operand's elements are counted in nargs and follow it). */
typedef struct GenOp {
    uint16_t op;       /* generic opcode number (genop.tab), see gen_op_name() */
    uint16_t nargs;
    uint32_t first_arg;
} GenOp;

typedef struct BeamImport { Term module, function; uint32_t arity; } BeamImport;
typedef struct BeamExport { Term function; uint32_t arity, label; } BeamExport;
typedef struct BeamLambda {
    Term function;      /* the lifted local function's name */
    uint32_t arity;     /* arity of the lifted function = fun arity + num_free */
    uint32_t label;     /* entry label */
    uint32_t index;
    uint32_t num_free;
    uint32_t old_uniq;
} BeamLambda;
typedef struct BeamLineItem { uint32_t file; uint32_t line; } BeamLineItem;

typedef struct BeamFile {
    Term module;              /* atom 1 */
    uint32_t num_atoms;
    Term *atoms;              /* atoms[1..num_atoms] are global atoms; atoms[0] = NIL */

    uint32_t label_count;     /* labels 1..label_count-1 */
    uint32_t function_count;
    uint32_t max_opcode;

    GenOp *ops;
    uint32_t num_ops;
    GenArg *args;
    uint32_t num_args;

    BeamImport *imports; uint32_t num_imports;
    BeamExport *exports; uint32_t num_exports;
    BeamExport *locals;  uint32_t num_locals;
    BeamLambda *lambdas; uint32_t num_lambdas;

    LiteralArea *literals;    /* owns every literal and bignum operand; handed to the module */
    Term *literal_terms; uint32_t num_literals;

    uint8_t *strtab; uint32_t strtab_size;

    BeamLineItem *line_items; uint32_t num_line_items; /* item 0 = none; 1.. stored */
    char **file_names; uint32_t num_file_names;        /* file_names[0] = "<module>.erl" */

    Term attributes;          /* decoded Attr chunk (in the literal area), or NIL */
    Term compile_info;        /* decoded CInf chunk, or NIL */
    uint8_t md5[16];          /* module MD5 as in BEAM_FORMAT.md 1.13 */
} BeamFile;

/* Reads `size` bytes of a .beam. Returns 0, or -1 with a message in err
   ("<name>: <problem>"). On success the caller frees with beam_file_free. */
int beam_file_read(const uint8_t *data, size_t size, const char *name, BeamFile *out,
                   char *err, size_t errlen);
void beam_file_free(BeamFile *bf);

/* Name and operand count of a generic opcode (1..180), or NULL/-1 if none. */
const char *gen_op_name(unsigned op);
int gen_op_arity(unsigned op);

/* Generic opcode numbers erlc 25 emits (BEAM_FORMAT.md 3.2). */
enum gen_opcode {
    GOP_label = 1, GOP_func_info = 2, GOP_int_code_end = 3, GOP_call = 4, GOP_call_last = 5,
    GOP_call_only = 6, GOP_call_ext = 7, GOP_call_ext_last = 8, GOP_bif0 = 9, GOP_bif1 = 10,
    GOP_bif2 = 11, GOP_allocate = 12, GOP_allocate_heap = 13, GOP_test_heap = 16,
    GOP_deallocate = 18, GOP_return = 19, GOP_send = 20, GOP_remove_message = 21,
    GOP_timeout = 22, GOP_loop_rec = 23, GOP_loop_rec_end = 24, GOP_wait = 25,
    GOP_wait_timeout = 26, GOP_is_lt = 39, GOP_is_ge = 40, GOP_is_eq = 41, GOP_is_ne = 42,
    GOP_is_eq_exact = 43, GOP_is_ne_exact = 44, GOP_is_integer = 45, GOP_is_float = 46,
    GOP_is_number = 47, GOP_is_atom = 48, GOP_is_pid = 49, GOP_is_reference = 50,
    GOP_is_port = 51, GOP_is_nil = 52, GOP_is_binary = 53, GOP_is_list = 55,
    GOP_is_nonempty_list = 56, GOP_is_tuple = 57, GOP_test_arity = 58, GOP_select_val = 59,
    GOP_select_tuple_arity = 60, GOP_jump = 61, GOP_catch = 62, GOP_catch_end = 63,
    GOP_move = 64, GOP_get_list = 65, GOP_get_tuple_element = 66, GOP_set_tuple_element = 67,
    GOP_put_list = 69, GOP_badmatch = 72, GOP_if_end = 73, GOP_case_end = 74,
    GOP_call_fun = 75, GOP_is_function = 77, GOP_call_ext_only = 78, GOP_fmove = 96,
    GOP_fconv = 97, GOP_fadd = 98, GOP_fsub = 99, GOP_fmul = 100, GOP_fdiv = 101,
    GOP_fnegate = 102, GOP_try = 104, GOP_try_end = 105, GOP_try_case = 106,
    GOP_try_case_end = 107, GOP_raise = 108, GOP_apply = 112, GOP_apply_last = 113,
    GOP_is_boolean = 114, GOP_is_function2 = 115, GOP_bs_get_integer2 = 117,
    GOP_bs_get_float2 = 118, GOP_bs_get_binary2 = 119, GOP_bs_skip_bits2 = 120,
    GOP_bs_test_tail2 = 121, GOP_gc_bif1 = 124, GOP_gc_bif2 = 125, GOP_is_bitstr = 129,
    GOP_bs_test_unit = 131, GOP_bs_match_string = 132, GOP_bs_init_writable = 133,
    GOP_trim = 136, GOP_bs_get_utf8 = 138, GOP_bs_skip_utf8 = 139, GOP_bs_get_utf16 = 140,
    GOP_bs_skip_utf16 = 141, GOP_bs_get_utf32 = 142, GOP_bs_skip_utf32 = 143,
    GOP_on_load = 149, GOP_gc_bif3 = 152, GOP_line = 153, GOP_put_map_assoc = 154,
    GOP_put_map_exact = 155, GOP_is_map = 156, GOP_has_map_fields = 157,
    GOP_get_map_elements = 158, GOP_is_tagged_tuple = 159, GOP_build_stacktrace = 160,
    GOP_raw_raise = 161, GOP_get_hd = 162, GOP_get_tl = 163, GOP_put_tuple2 = 164,
    GOP_bs_get_tail = 165, GOP_bs_start_match3 = 166, GOP_bs_get_position = 167,
    GOP_bs_set_position = 168, GOP_swap = 169, GOP_bs_start_match4 = 170,
    GOP_make_fun3 = 171, GOP_init_yregs = 172, GOP_recv_marker_bind = 173,
    GOP_recv_marker_clear = 174, GOP_recv_marker_reserve = 175, GOP_recv_marker_use = 176,
    GOP_bs_create_bin = 177, GOP_call_fun2 = 178, GOP_nif_start = 179, GOP_badrecord = 180,
};

#endif
