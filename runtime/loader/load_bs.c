/*
 * load_bs.c - translating the binary-syntax instructions (see
 * load_internal.h; the internal instructions are in ops_bs.def).
 *
 * Operands are in file order (BEAM_FORMAT.md pitfall 9): bs_get_integer2
 * is Fail Ctx Live Size Unit Flags D, and so on. When a field's size is a
 * constant the loader multiplies it by the unit once and picks a variant
 * that needs no size check at run time; `native` flags become `little` or
 * nothing for the machine erbium runs on.
 */
#include "runtime/loader/load_internal.h"

#include "runtime/term/binary.h"

/* Little when native means little on this machine. */
static unsigned resolve_flags(uint64_t flags)
{
    unsigned f = (unsigned)flags & (BITS_LITTLE | BITS_SIGNED);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (flags & BITS_NATIVE) f |= BITS_LITTLE;
#endif
    return f;
}

/* A constant size operand times unit; false when not a small constant or too large. */
static bool const_bits(const GenArg *size, uint64_t unit, size_t *bits)
{
    return size->kind == GA_I && binary_size_bits(size->term, (size_t)unit, bits);
}

/* Operand i of the generic instruction after the one being translated, if it is `op`; else NULL. */
static const GenArg *next_arg(const Loader *L, unsigned op, unsigned i)
{
    const GenOp *next = L->op + 1;
    if (next >= L->bf->ops + L->bf->num_ops || next->op != op) return NULL;
    return &L->bf->args[next->first_arg + i];
}

/*
 * bs_start_match3 F Bin Live D; bs_start_match4 Fail Live Src D (Fail: label, no_fail or resume).
 * A following bs_get_position Ctx D2 Live on the new context is folded in.
 */
static void tr_start_match(Loader *L, bool v4)
{
    const GenArg *fail = load_arg(L, 0);
    const GenArg *src = load_arg(L, v4 ? 2 : 1), *live = load_arg(L, v4 ? 1 : 2), *dst = load_arg(L, 3);
    if (fail->kind == GA_A && fail->term == AM_resume) { /* src already is a context */
        if (src->kind == dst->kind && src->val == dst->val) return;
        load_emit_op(L, OP_i_move);
        load_emit_src(L, src);
        load_emit_dst(L, dst);
        return;
    }
    const GenArg *pos_ctx = next_arg(L, GOP_bs_get_position, 0);
    bool with_pos = pos_ctx && load_same_reg(pos_ctx, dst);
    load_emit_op(L, with_pos ? OP_i_bs_start_match_pos : OP_i_bs_start_match);
    load_emit_label(L, fail); /* no_fail is not a label: 0 */
    load_emit_src(L, src);
    load_emit_u(L, live);
    load_emit_dst(L, dst);
    if (with_pos) {
        load_emit_dst(L, next_arg(L, GOP_bs_get_position, 1));
        L->skip = 1;
    }
}

/* bs_get_integer2 Fail Ctx Live Size Unit Flags D */
static void tr_get_integer(Loader *L)
{
    const GenArg *size = load_arg(L, 3);
    unsigned flags = resolve_flags(load_arg(L, 5)->val);
    size_t bits;
    if (const_bits(size, load_arg(L, 4)->val, &bits) && bits < 60) {
        bool byte = bits == 8 && !(flags & (BITS_LITTLE | BITS_SIGNED));
        /* a following bs_test_unit Fail Ctx Unit with the same label and context is folded in */
        const GenArg *unit = next_arg(L, GOP_bs_test_unit, 0);
        bool with_unit = byte && unit && unit[0].kind == GA_F && unit[0].val == load_arg(L, 0)->val &&
                         load_arg(L, 0)->kind == GA_F && load_same_reg(&unit[1], load_arg(L, 1));
        load_emit_op(L, with_unit ? OP_i_bs_get_integer8_unit
                        : byte    ? OP_i_bs_get_integer8
                                  : OP_i_bs_get_integer_imm);
        load_emit_label(L, load_arg(L, 0));
        load_emit_src(L, load_arg(L, 1));
        if (!byte) {
            load_emit(L, bits);
            load_emit(L, flags);
        }
        load_emit_dst(L, load_arg(L, 6));
        if (with_unit) {
            load_emit_u(L, &unit[2]);
            L->skip = 1;
        }
        return;
    }
    load_emit_op(L, OP_i_bs_get_integer);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, load_arg(L, 1));
    load_emit_u(L, load_arg(L, 2));
    load_emit_src(L, size);
    load_emit_u(L, load_arg(L, 4));
    load_emit(L, flags);
    load_emit_dst(L, load_arg(L, 6));
}

/* bs_get_float2 Fail Ctx Live Size Unit Flags D */
static void tr_get_float(Loader *L)
{
    load_emit_op(L, OP_i_bs_get_float);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, load_arg(L, 1));
    load_emit_u(L, load_arg(L, 2));
    load_emit_src(L, load_arg(L, 3));
    load_emit_u(L, load_arg(L, 4));
    load_emit(L, resolve_flags(load_arg(L, 5)->val));
    load_emit_dst(L, load_arg(L, 6));
}

/* bs_get_binary2 Fail Ctx Live Size Unit Flags D */
static void tr_get_binary(Loader *L)
{
    const GenArg *size = load_arg(L, 3), *unit = load_arg(L, 4);
    size_t bits;
    bool all = size->kind == GA_A && size->term == AM_all;
    bool imm = !all && const_bits(size, unit->val, &bits);
    load_emit_op(L, all ? OP_i_bs_get_binary_all : imm ? OP_i_bs_get_binary_imm : OP_i_bs_get_binary);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, load_arg(L, 1));
    load_emit_u(L, load_arg(L, 2));
    if (imm) {
        load_emit(L, bits);
    } else if (all) {
        load_emit_u(L, unit);
    } else {
        load_emit_src(L, size);
        load_emit_u(L, unit);
    }
    load_emit_dst(L, load_arg(L, 6));
}

/* bs_skip_bits2 Fail Ctx Size Unit Flags */
static void tr_skip_bits(Loader *L)
{
    const GenArg *size = load_arg(L, 2), *unit = load_arg(L, 3);
    size_t bits;
    bool imm = const_bits(size, unit->val, &bits);
    load_emit_op(L, imm ? OP_i_bs_skip_bits_imm : OP_i_bs_skip_bits);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, load_arg(L, 1));
    if (imm) {
        load_emit(L, bits);
    } else {
        load_emit_src(L, size);
        load_emit_u(L, unit);
    }
}

/* bs_test_tail2 / bs_test_unit Fail Ctx N */
static void tr_test(Loader *L, OpCode op)
{
    load_emit_op(L, op);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, load_arg(L, 1));
    load_emit_u(L, load_arg(L, 2));
}

/* bs_match_string Fail Ctx Bits Offset: the bytes are the module's StrT from Offset. */
static void tr_match_string(Loader *L)
{
    tr_test(L, OP_i_bs_match_string);
    load_emit(L, (BeamInstr)(L->bf->strtab + load_arg(L, 3)->val));
}

/* bs_get_utfN Fail Ctx Live Flags [D]: utf8 ignores the flags. */
static void tr_utf(Loader *L, OpCode op, bool get, bool flags)
{
    load_emit_op(L, op);
    load_emit_label(L, load_arg(L, 0));
    load_emit_src(L, load_arg(L, 1));
    if (flags) load_emit(L, resolve_flags(load_arg(L, 3)->val));
    if (get) load_emit_dst(L, load_arg(L, 4));
}

/* bs_get_tail Ctx D Live; bs_get_position Ctx D Live (which never allocates: no Live). */
static void tr_ctx_dst(Loader *L, OpCode op, bool live)
{
    load_emit_op(L, op);
    load_emit_src(L, load_arg(L, 0));
    load_emit_dst(L, load_arg(L, 1));
    if (live) load_emit_u(L, load_arg(L, 2));
}

/* ---- bs_create_bin ---- */

static bool seg_type(Term type, unsigned *out)
{
    static const struct {
        const Term *atom;
        unsigned type;
    } types[] = {
        {&AM_integer, BSEG_INTEGER}, {&AM_float, BSEG_FLOAT},   {&AM_binary, BSEG_BINARY},
        {&AM_string, BSEG_STRING},   {&AM_utf8, BSEG_UTF8},     {&AM_utf16, BSEG_UTF16},
        {&AM_utf32, BSEG_UTF32},     {&AM_append, BSEG_APPEND}, {&AM_private_append, BSEG_APPEND},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (*types[i].atom == type) {
            *out = types[i].type;
            return true;
        }
    }
    return false;
}

/* A segment's flags operand: [] or a literal list of atoms. */
static unsigned seg_flags(const GenArg *a)
{
    unsigned f = 0;
    if (a->kind != GA_LIT) return 0;
    for (Term l = a->term; is_list(l); l = list_tail(l)) {
        Term flag = list_head(l);
        if (flag == AM_little) f |= BITS_LITTLE;
        else if (flag == AM_signed) f |= BITS_SIGNED;
        else if (flag == AM_native) f |= BITS_NATIVE;
    }
    return resolve_flags(f);
}

/* A value or size operand; a u operand (string offsets and sizes) becomes a small integer. */
static void emit_seg_operand(Loader *L, const GenArg *a)
{
    if (a->kind == GA_U) load_emit(L, make_small((intptr_t)a->val));
    else load_emit_src(L, a);
}

/* Segment i's bits if it is an integer of constant size up to 64 bits, else 0 (or none: also 0). */
static size_t int_seg_bits(Loader *L, size_t i)
{
    const GenArg *seg = load_arg(L, 6 + 6 * (unsigned)i);
    size_t bits;
    if (seg[0].term != AM_integer || !const_bits(&seg[5], seg[2].val, &bits) || bits > 64) return 0;
    return bits;
}

/*
 * The integer segments [first, n) as i_bs_create_ints / i_bs_append_ints
 * want them, if they all are of constant sizes up to 64 bits (and none is
 * empty); false otherwise. *total gets their bits.
 */
static bool int_segs(Loader *L, size_t first, size_t n, size_t *total)
{
    *total = 0;
    for (size_t i = first; i < n; i++) {
        size_t bits = int_seg_bits(L, i);
        if (bits == 0) return false;
        *total += bits;
    }
    return n > first;
}

static void emit_int_segs(Loader *L, size_t first, size_t n)
{
    load_emit(L, n - first);
    for (size_t i = first; i < n; i++) emit_seg_operand(L, load_arg(L, 6 + 6 * (unsigned)i + 4));
    for (size_t i = first; i < n; i++)
        load_emit(L, BSEG_INT_DESC(int_seg_bits(L, i), seg_flags(load_arg(L, 6 + 6 * (unsigned)i + 3)),
                                   load_arg(L, 6 + 6 * (unsigned)i + 1)->val));
}

/* The fast variants (see ops_bs.def); false when the segments do not fit them. */
static bool tr_create_ints(Loader *L, size_t n)
{
    size_t total;
    const GenArg *first = load_arg(L, 6);
    bool append = n > 1 && (first[0].term == AM_append || first[0].term == AM_private_append);
    if (!int_segs(L, append ? 1 : 0, n, &total)) return false;
    if (!append && total > 8 * BINARY_HEAP_MAX) return false;
    load_emit_op(L, append ? OP_i_bs_append_ints : OP_i_bs_create_ints);
    load_emit_label(L, load_arg(L, 0));
    load_emit(L, load_heap_need(load_arg(L, 1)));
    load_emit_u(L, load_arg(L, 2));
    load_emit_dst(L, load_arg(L, 4));
    if (append) { /* the base, and its unit with its segment number above (error_info) */
        load_emit_src(L, &first[4]);
        load_emit(L, (BeamInstr)first[2].val | (BeamInstr)first[1].val << 32);
    }
    load_emit(L, total);
    emit_int_segs(L, append ? 1 : 0, n);
    return true;
}

/* bs_create_bin Fail Alloc Live Unit D [Type Seg Unit Flags Value Size ...] */
static void tr_create_bin(Loader *L)
{
    size_t n = load_arg(L, 5)->val / 6;
    if (tr_create_ints(L, n)) return;
    load_emit_op(L, OP_i_bs_create_bin);
    load_emit_label(L, load_arg(L, 0));
    load_emit(L, load_heap_need(load_arg(L, 1)));
    load_emit_u(L, load_arg(L, 2));
    load_emit_dst(L, load_arg(L, 4));
    load_emit(L, (BeamInstr)L->bf->strtab);
    load_emit(L, n);
    for (size_t i = 0; i < n; i++) {
        const GenArg *seg = load_arg(L, 6 + 6 * (unsigned)i);
        unsigned type;
        if (!seg_type(seg[0].term, &type)) {
            load_fail(L, "unknown bs_create_bin segment type %s", atom_text(seg[0].term));
            return;
        }
        uint64_t unit = type == BSEG_STRING ? 8 : seg[2].val;
        if (unit > UINT16_MAX) {
            load_fail(L, "bs_create_bin unit %llu too large", (unsigned long long)unit);
            return;
        }
        load_emit(L, BSEG_DESC(type, seg_flags(&seg[3]), unit, seg[1].val));
    }
    for (size_t i = 0; i < n; i++) emit_seg_operand(L, load_arg(L, 6 + 6 * (unsigned)i + 4));
    for (size_t i = 0; i < n; i++) emit_seg_operand(L, load_arg(L, 6 + 6 * (unsigned)i + 5));
}

bool load_bs_translate(Loader *L)
{
    switch (L->op->op) {
    case GOP_bs_start_match3: tr_start_match(L, false); break;
    case GOP_bs_start_match4: tr_start_match(L, true); break;
    case GOP_bs_get_integer2: tr_get_integer(L); break;
    case GOP_bs_get_float2: tr_get_float(L); break;
    case GOP_bs_get_binary2: tr_get_binary(L); break;
    case GOP_bs_skip_bits2: tr_skip_bits(L); break;
    case GOP_bs_test_tail2: tr_test(L, OP_i_bs_test_tail); break;
    case GOP_bs_test_unit: tr_test(L, OP_i_bs_test_unit); break;
    case GOP_bs_match_string: tr_match_string(L); break;
    case GOP_bs_get_tail: tr_ctx_dst(L, OP_i_bs_get_tail, true); break;
    case GOP_bs_get_position: tr_ctx_dst(L, OP_i_bs_get_position, false); break;
    case GOP_bs_set_position:
        load_emit_op(L, OP_i_bs_set_position);
        load_emit_src(L, load_arg(L, 0));
        load_emit_src(L, load_arg(L, 1));
        break;
    case GOP_bs_get_utf8: tr_utf(L, OP_i_bs_get_utf8, true, false); break;
    case GOP_bs_skip_utf8: tr_utf(L, OP_i_bs_skip_utf8, false, false); break;
    case GOP_bs_get_utf16: tr_utf(L, OP_i_bs_get_utf16, true, true); break;
    case GOP_bs_skip_utf16: tr_utf(L, OP_i_bs_skip_utf16, false, true); break;
    case GOP_bs_get_utf32: tr_utf(L, OP_i_bs_get_utf32, true, true); break;
    case GOP_bs_skip_utf32: tr_utf(L, OP_i_bs_skip_utf32, false, true); break;
    case GOP_bs_create_bin: tr_create_bin(L); break;
    case GOP_bs_init_writable: load_emit_op(L, OP_i_bs_init_writable); break;
    default: return false;
    }
    return true;
}
