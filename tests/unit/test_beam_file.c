/*
 * test_beam_file.c - reading .beam files (runtime/loader/beam_file.h): the
 * installed OTP 25 modules must all load, lists.beam must decode as
 * BEAM_FORMAT.md describes it, broken files must give the documented
 * messages, and truncated or corrupted files must fail cleanly (this runs
 * under ASan in CI, so every read is checked).
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#include "runtime/term/atom.h"
#include "runtime/loader/beam_file.h"
#include "runtime/term/big.h"
#include "runtime/loader/export.h"

#define EBIN_GLOB "/usr/lib/erlang/lib/stdlib-*/ebin"

static char err[512];

static void setup(void)
{
    atom_init();
    export_init(); /* literals may hold export funs */
}

TestSuite(beam_file, .init = setup);

/* ---- helpers ---- */

static uint8_t *read_whole(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n);
    cr_assert_eq(fread(buf, 1, n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* The paths matching a glob pattern (at least one). */
static void find_files(const char *pattern, glob_t *g)
{
    cr_assert_eq(glob(pattern, 0, NULL, g), 0, "nothing matches %s", pattern);
}

static uint8_t *stdlib_file(const char *module, size_t *size)
{
    char pattern[256];
    snprintf(pattern, sizeof pattern, EBIN_GLOB "/%s.beam", module);
    glob_t g;
    find_files(pattern, &g);
    uint8_t *buf = read_whole(g.gl_pathv[0], size);
    globfree(&g);
    return buf;
}

static void load_ok(const uint8_t *data, size_t size, const char *name, BeamFile *bf)
{
    int rc = beam_file_read(data, size, name, bf, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
}

/* Loads from an exact-size copy, so that ASan sees any read past the end. */
static int load_copy(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    BeamFile bf;
    err[0] = '\0';
    int rc = beam_file_read(copy, size, "t.beam", &bf, err, sizeof err);
    if (rc == 0)
        beam_file_free(&bf);
    else
        cr_assert_eq(strncmp(err, "t.beam: ", 8), 0, "message without the file name: %s", err);
    free(copy);
    return rc;
}

static void expect_error(const uint8_t *data, size_t size, const char *text)
{
    cr_assert_eq(load_copy(data, size), -1, "loaded, expected \"%s\"", text);
    cr_assert_not_null(strstr(err, text), "message \"%s\", expected \"%s\"", err, text);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (24 - 8 * i));
}

/* The chunk header (id) of a chunk in an uncompressed file. */
static uint8_t *find_chunk(uint8_t *file, size_t size, const char *id)
{
    for (size_t off = 12; off + 8 <= size; off += 8 + (get32(file + off + 4) + 3) / 4 * 4)
        if (memcmp(file + off, id, 4) == 0) return file + off;
    cr_assert_fail("no %s chunk", id);
    return NULL;
}

/* The first instruction byte of the Code chunk. */
static uint8_t *first_instruction(uint8_t *file, size_t size)
{
    uint8_t *code = find_chunk(file, size, "Code");
    return code + 8 + 4 + get32(code + 8);
}

static const GenArg *arg(const BeamFile *bf, uint32_t op, unsigned k)
{
    cr_assert(k < bf->ops[op].nargs);
    return &bf->args[bf->ops[op].first_arg + k];
}

static void expect_atom(Term t, const char *text)
{
    cr_assert(is_atom(t), "not an atom");
    cr_assert(atom_len(t) == strlen(text) && memcmp(atom_text(t), text, strlen(text)) == 0,
              "atom '%s', expected '%s'", atom_text(t), text);
}

/* ---- real files ---- */

Test(beam_file, lists_header_and_tables)
{
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    BeamFile bf;
    load_ok(data, size, "lists.beam", &bf);
    cr_assert_eq(bf.label_count, 1113);
    cr_assert_eq(bf.function_count, 222);
    cr_assert_eq(bf.max_opcode, 178);
    expect_atom(bf.module, "lists");
    cr_assert_eq(bf.atoms[1], bf.module);
    cr_assert_eq(bf.atoms[0], NIL);
    cr_assert_eq(bf.num_exports + bf.num_locals, 222, "ExpT + LocT list every function");
    cr_assert_eq(bf.num_literals, 2);
    cr_assert(is_list(bf.literal_terms[0]), "the first literal is a list");
    expect_atom(bf.imports[0].module, "erlang");
    expect_atom(bf.imports[0].function, "nif_error");
    cr_assert_eq(bf.imports[0].arity, 1);
    cr_assert_str_eq(bf.file_names[0], "lists.erl");
    cr_assert_eq(bf.num_line_items, get32(find_chunk(data, size, "Line") + 8 + 12) + 1);
    cr_assert(is_list(bf.attributes) && is_list(bf.compile_info));
    beam_file_free(&bf);
    free(data);
}

Test(beam_file, lists_first_function)
{
    /* label 1; line 1; func_info lists keyfind 3; label 2; move undef x0; line 2; call_ext_only 1 0 */
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    BeamFile bf;
    load_ok(data, size, "lists.beam", &bf);
    static const uint16_t ops[] = {GOP_label, GOP_line, GOP_func_info, GOP_label, GOP_move, GOP_line,
                                   GOP_call_ext_only};
    for (uint32_t i = 0; i < 7; i++) {
        cr_assert_eq(bf.ops[i].op, ops[i], "op %u is %s", i, gen_op_name(bf.ops[i].op));
        cr_assert_eq(bf.ops[i].nargs, gen_op_arity(ops[i]));
    }
    cr_assert(arg(&bf, 0, 0)->kind == GA_U && arg(&bf, 0, 0)->val == 1);
    cr_assert(arg(&bf, 1, 0)->kind == GA_U && arg(&bf, 1, 0)->val == 1);
    cr_assert_eq(arg(&bf, 2, 0)->kind, GA_A);
    expect_atom(arg(&bf, 2, 0)->term, "lists");
    expect_atom(arg(&bf, 2, 1)->term, "keyfind");
    cr_assert_eq(arg(&bf, 2, 2)->val, 3);
    cr_assert_eq(arg(&bf, 3, 0)->val, 2);
    expect_atom(arg(&bf, 4, 0)->term, "undef");
    cr_assert(arg(&bf, 4, 1)->kind == GA_X && arg(&bf, 4, 1)->val == 0);
    cr_assert(arg(&bf, 6, 0)->val == 1 && arg(&bf, 6, 1)->val == 0);
    cr_assert_eq(bf.ops[bf.num_ops - 1].op, GOP_int_code_end);
    beam_file_free(&bf);
    free(data);
}

/* Finds the first op with that opcode for which match() holds. */
static bool has_op(const BeamFile *bf, unsigned op, bool (*match)(const BeamFile *, uint32_t))
{
    for (uint32_t i = 0; i < bf->num_ops; i++)
        if (bf->ops[i].op == op && match(bf, i)) return true;
    return false;
}

/* select_val x0 f48 [i0 f53 i1 f52] */
static bool select_example(const BeamFile *bf, uint32_t i)
{
    const GenArg *a = &bf->args[bf->ops[i].first_arg];
    return bf->ops[i].nargs == 7 && a[0].kind == GA_X && a[0].val == 0 && a[1].kind == GA_F &&
           a[1].val == 48 && a[2].kind == GA_LIST && a[2].val == 4 && a[3].kind == GA_I &&
           a[3].term == make_small(0) && a[4].kind == GA_F && a[4].val == 53 &&
           a[5].term == make_small(1) && a[6].val == 52;
}

/* test_heap {alloc,[{words,0},{floats,0},{funs,1}]} 1 */
static bool alloc_example(const BeamFile *bf, uint32_t i)
{
    const GenArg *a = &bf->args[bf->ops[i].first_arg];
    return a[0].kind == GA_ALLOC && a[0].alloc.words == 0 && a[0].alloc.floats == 0 &&
           a[0].alloc.funs == 1 && a[1].val == 1;
}

/* gc_bif2 f0 u4 u4 z5(x2,u1) z5(x3,u1) x2 */
static bool typed_example(const BeamFile *bf, uint32_t i)
{
    const GenArg *a = &bf->args[bf->ops[i].first_arg];
    return a[0].kind == GA_F && a[0].val == 0 && a[1].val == 4 && a[2].val == 4 &&
           a[3].kind == GA_X && a[3].val == 2 && a[3].type_idx == 1 && a[4].kind == GA_X &&
           a[4].val == 3 && a[4].type_idx == 1 && a[5].kind == GA_X && a[5].type_idx == 0;
}

/* move z4(u0) x2 */
static bool literal_example(const BeamFile *bf, uint32_t i)
{
    const GenArg *a = &bf->args[bf->ops[i].first_arg];
    return a[0].kind == GA_LIT && a[0].val == 0 && a[0].term == bf->literal_terms[0] &&
           a[1].kind == GA_X && a[1].val == 2;
}

/* call_last u6 f1003 u4 */
static bool call_last_example(const BeamFile *bf, uint32_t i)
{
    const GenArg *a = &bf->args[bf->ops[i].first_arg];
    return a[0].val == 6 && a[1].kind == GA_F && a[1].val == 1003 && a[2].val == 4;
}

Test(beam_file, lists_worked_examples)
{
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    BeamFile bf;
    load_ok(data, size, "lists.beam", &bf);
    cr_assert(has_op(&bf, GOP_select_val, select_example));
    cr_assert(has_op(&bf, GOP_test_heap, alloc_example));
    cr_assert(has_op(&bf, GOP_gc_bif2, typed_example));
    expect_atom(bf.imports[4].function, "-");
    cr_assert(has_op(&bf, GOP_move, literal_example));
    cr_assert(has_op(&bf, GOP_call_last, call_last_example));
    beam_file_free(&bf);
    free(data);
}

Test(beam_file, entries_follow_func_info)
{
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    BeamFile bf;
    load_ok(data, size, "lists.beam", &bf);
    uint32_t *label_op = calloc(bf.label_count, sizeof *label_op);
    for (uint32_t i = 0; i < bf.num_ops; i++)
        if (bf.ops[i].op == GOP_label) label_op[arg(&bf, i, 0)->val] = i;
    for (uint32_t e = 0; e < bf.num_exports; e++) {
        uint32_t at = label_op[bf.exports[e].label];
        cr_assert(at > 0 && bf.ops[at - 1].op == GOP_func_info);
        cr_assert_eq(arg(&bf, at - 1, 1)->term, bf.exports[e].function);
        cr_assert_eq(arg(&bf, at - 1, 2)->val, bf.exports[e].arity);
    }
    free(label_op);
    beam_file_free(&bf);
    free(data);
}

/* The default vsn attribute is the module MD5 as an integer. */
static void expect_md5_is_vsn(const BeamFile *bf)
{
    for (Term l = bf->attributes; is_list(l); l = list_tail(l)) {
        Term t = list_head(l);
        if (!is_tuple(t) || tuple_arity(t) != 2 || tuple_elems(t)[0] != atom_from_cstr("vsn")) continue;
        Term v = list_head(tuple_elems(t)[1]);
        mpz_t vsn, md5;
        mpz_inits(vsn, md5, NULL);
        if (is_small(v))
            mpz_set_si(vsn, small_val(v));
        else
            mpz_import(vsn, big_limbs(v), -1, sizeof(mp_limb_t), 0, 0, big_digits(v));
        mpz_import(md5, 16, 1, 1, 0, 0, bf->md5);
        cr_assert_eq(mpz_cmp(vsn, md5), 0, "module MD5 differs from vsn");
        mpz_clears(vsn, md5, NULL);
        return;
    }
    cr_assert_fail("no vsn attribute");
}

Test(beam_file, module_md5)
{
    static const char *modules[] = {"lists", "ordsets", "maps", "string", "gen_server"};
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
        size_t size;
        uint8_t *data = stdlib_file(modules[i], &size);
        BeamFile bf;
        load_ok(data, size, modules[i], &bf);
        expect_md5_is_vsn(&bf);
        beam_file_free(&bf);
        free(data);
    }
}

Test(beam_file, every_installed_module_loads)
{
    glob_t g;
    find_files("/usr/lib/erlang/lib/*/ebin/*.beam", &g);
    cr_assert_geq(g.gl_pathc, 100);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        size_t size;
        uint8_t *data = read_whole(g.gl_pathv[i], &size);
        BeamFile bf;
        load_ok(data, size, g.gl_pathv[i], &bf);
        cr_assert_eq(bf.ops[bf.num_ops - 1].op, GOP_int_code_end);
        beam_file_free(&bf);
        free(data);
    }
    globfree(&g);
}

Test(beam_file, gzip_compressed_file)
{
    /* beam_lib:strip writes gzip-compressed files; erts loads them */
    size_t size;
    uint8_t *data = stdlib_file("ordsets", &size);
    BeamFile plain, packed;
    load_ok(data, size, "ordsets.beam", &plain);

    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, size);
    uint8_t *gz = malloc(cap);
    z.next_in = data;
    z.avail_in = (uInt)size;
    z.next_out = gz;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t gz_size = cap - z.avail_out;
    deflateEnd(&z);

    load_ok(gz, gz_size, "ordsets.beam", &packed);
    cr_assert_eq(memcmp(plain.md5, packed.md5, 16), 0);
    cr_assert_eq(plain.num_ops, packed.num_ops);
    cr_assert_eq(load_copy(gz, gz_size / 2), -1, "a truncated gzip stream");
    beam_file_free(&plain);
    beam_file_free(&packed);
    free(gz);
    free(data);
}

/* ---- error messages ---- */

Test(beam_file, not_a_beam_file)
{
    expect_error((const uint8_t *)"hello, world", 12, "t.beam: not a BEAM file (no FOR1 header)");
    expect_error((const uint8_t *)"FOR1", 4, "not a BEAM file (no FOR1 header)");
    expect_error((const uint8_t *)"FOR1\0\0\0\4ABCD", 12, "not a BEAM file");
}

Test(beam_file, container_errors)
{
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    expect_error(data, size - 1, "truncated file");

    uint8_t *code = find_chunk(data, size, "Code");
    memcpy(code, "Cxde", 4);
    expect_error(data, size, "missing Code chunk");
    memcpy(code, "Code", 4);

    uint8_t *strt = find_chunk(data, size, "StrT");
    memcpy(strt, "Code", 4); /* StrT is empty in lists.beam */
    expect_error(data, size, "duplicate Code chunk");
    memcpy(strt, "StrT", 4);

    put32(code + 4, get32(data + 4)); /* larger than the rest of the file */
    expect_error(data, size, "truncated Code chunk");
    free(data);
}

Test(beam_file, code_header_errors)
{
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    uint8_t *header = find_chunk(data, size, "Code") + 8;

    put32(header + 8, 181);
    expect_error(data, size, "compiled for a later runtime (max opcode 181");
    put32(header + 8, 178);

    put32(header + 4, 1);
    expect_error(data, size, "unknown instruction set 1");
    put32(header + 4, 0);

    put32(header + 12, 40);
    expect_error(data, size, "ExpT entry 0: label 1105 out of range (label count 40)");
    put32(header + 12, 1113);

    put32(header + 16, 221);
    expect_error(data, size, "function count 221 in the Code header, but 222 functions");
    put32(header + 16, 222);

    cr_assert_eq(load_copy(data, size), 0, "restored file loads: %s", err);
    free(data);
}

Test(beam_file, opcode_errors)
{
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    uint8_t *first = first_instruction(data, size);
    cr_assert_eq(first[0], GOP_label);

    first[0] = 201;
    expect_error(data, size, "t.beam: unknown opcode 201");
    first[0] = 70;
    expect_error(data, size, "t.beam: obsolete opcode put_tuple/2");
    first[0] = 0;
    expect_error(data, size, "unknown opcode 0");
    first[0] = GOP_jump; /* jump f1: label 1 is then never defined */
    first[1] = 0x15;
    expect_error(data, size, "label 1 is not defined in jump/1 at instruction 0");
    first[1] = 0x10;
    expect_error(data, size, "operand 1 should be a non-zero label in jump/1 at instruction 0");
    first[0] = GOP_label;

    first[1] = 0xf0; /* label 15 instead of label 1 */
    expect_error(data, size, "label 15 defined twice in label/1");

    first[1] = 0x03; /* label x0 */
    expect_error(data, size, "operand 1 should be an unsigned number in label/1 at instruction 0");
    first[1] = 0x10;
    free(data);
}

Test(beam_file, operand_errors)
{
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    uint8_t *first = first_instruction(data, size);
    /* 000004: 02 12 22 30 = func_info a1 a2 u3 */
    cr_assert_eq(first[4], GOP_func_info);
    first[5] = 0xf2; /* atom 15 is not the module */
    expect_error(data, size, "module is not lists in func_info/3 at instruction 2");
    first[5] = 0x07; /* z0: inline float */
    expect_error(data, size, "inline float operands (z0) are obsolete");
    first[5] = 0x06; /* tag h */
    expect_error(data, size, "character operands (tag h) are not supported");
    first[5] = 0x12;
    /* 00000a: 40 32 03 = move a3 x0 */
    first[0xc] = 0x01; /* move a3 i0 */
    expect_error(data, size, "operand 2 should be a destination register in move/2");
    first[0xc] = 0x04; /* y0 is also a destination */
    cr_assert_eq(load_copy(data, size), 0, "%s", err);
    first[0xc] = 0x03;
    /* 00184b: 05 60 6d eb 40 = call_last u6 f1003 u4; 0xed makes it f2027 */
    cr_assert_eq(first[0x184b], GOP_call_last);
    first[0x184d] = 0xed;
    expect_error(data, size, "label 2027 out of range (label count 1113) in call_last/3 at instruction ");
    first[0x184d] = 0x6d;
    /* the same call_last with arity 5: f1003 is the entry of a function of arity 6 */
    first[0x184c] = 0x50;
    expect_error(data, size, "label 1003 is not the entry of a function of arity 5 in call_last/3");
    first[0x184c] = 0x60;
    /* 0001eb: 7d 05 40 40 57 23 10 57 33 10 23 = gc_bif2 ... z5(x2,u1) ...; lists has 11 types */
    cr_assert_eq(first[0x1eb], GOP_gc_bif2);
    first[0x1eb + 6] = 0xf0;
    expect_error(data, size, "type index 15 out of range (11 types) in gc_bif2/6");
    first[0x1eb + 6] = 0x10;
    /* 00000f: 4e 10 00 = call_ext_only u1 u0 */
    first[0x11] = 0xf0; /* import 15: lists has 20 imports, not of arity 1 */
    expect_error(data, size, "used with 1 arguments in call_ext_only/2");
    free(data);
}

Test(beam_file, table_errors)
{
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    uint8_t *expt = find_chunk(data, size, "ExpT") + 8;
    uint32_t label = get32(expt + 4 + 8);
    put32(expt + 4 + 8, 1); /* the function label, not the entry label */
    expect_error(data, size, "ExpT entry 0");
    cr_assert(strstr(err, "label 1 is not the entry of that function"), "%s", err);
    put32(expt + 4 + 8, label);

    uint8_t *impt = find_chunk(data, size, "ImpT") + 8;
    put32(impt + 4, 100000);
    expect_error(data, size, "ImpT entry 0: atom index 100000 out of range");
    put32(impt + 4, 1);

    uint8_t *litt = find_chunk(data, size, "LitT") + 8;
    put32(litt, get32(litt) + 1);
    expect_error(data, size, "LitT chunk does not inflate to its stated size");
    put32(litt, get32(litt) - 1);

    uint8_t *funt = find_chunk(data, size, "FunT") + 8;
    put32(funt + 4 + 16, 99); /* NumFree above the arity */
    expect_error(data, size, "FunT entry 0: 99 free variables");
    free(data);
}

Test(beam_file, unknown_line_and_type_versions_are_ignored)
{
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    put32(find_chunk(data, size, "Line") + 8, 1);
    put32(find_chunk(data, size, "Type") + 8, 2);
    BeamFile bf;
    load_ok(data, size, "lists.beam", &bf);
    cr_assert_eq(bf.num_line_items, 1, "only item 0 (no location)");
    cr_assert_str_eq(bf.file_names[0], "lists.erl");
    for (uint32_t i = 0; i < bf.num_ops; i++) {
        if (bf.ops[i].op == GOP_line) cr_assert_eq(arg(&bf, i, 0)->val, 0);
        for (unsigned k = 0; k < bf.ops[i].nargs; k++) cr_assert_eq(arg(&bf, i, k)->type_idx, 0);
    }
    beam_file_free(&bf);
    free(data);
}

/* ---- robustness ---- */

Test(beam_file, every_truncation_fails_cleanly)
{
    size_t size;
    uint8_t *data = stdlib_file("ordsets", &size);
    cr_assert_eq(load_copy(data, size), 0, "%s", err);
    for (size_t len = 0; len < size; len++) {
        int rc = load_copy(data, len);
        /* only dropping the last chunk's padding may still load */
        cr_assert(rc == -1 || len >= size - 3, "truncated to %zu bytes, it loaded", len);
    }
    free(data);
}

/* xorshift64: the same "random" flips on every run */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void flip_bytes(const char *module, int rounds, uint64_t seed)
{
    size_t size;
    uint8_t *data = stdlib_file(module, &size);
    uint8_t *copy = malloc(size);
    uint64_t s = seed;
    int loaded = 0;
    for (int i = 0; i < rounds; i++) {
        memcpy(copy, data, size);
        int flips = 1 + (int)(next_random(&s) % 3);
        for (int k = 0; k < flips; k++) {
            size_t at = next_random(&s) % size;
            copy[at] = (uint8_t)next_random(&s);
        }
        loaded += load_copy(copy, size) == 0;
    }
    cr_log_info("%s: %d of %d corrupted copies still loaded", module, loaded, rounds);
    free(copy);
    free(data);
}

Test(beam_file, byte_flips_fail_cleanly, .timeout = 600)
{
    flip_bytes("ordsets", 3000, 0x9E3779B97F4A7C15ull);
    flip_bytes("lists", 1500, 0xD1B54A32D192ED03ull);
    flip_bytes("maps", 1500, 0x2545F4914F6CDD1Dull);
}

Test(beam_file, flips_inside_the_code_fail_cleanly, .timeout = 600)
{
    /* flips aimed at the Code chunk, where the operand decoder does the work */
    size_t size;
    uint8_t *data = stdlib_file("lists", &size);
    uint8_t *code = find_chunk(data, size, "Code");
    size_t start = (size_t)(code - data) + 8, len = get32(code + 4);
    uint8_t *copy = malloc(size);
    uint64_t s = 0xA0761D6478BD642Full;
    for (int i = 0; i < 2000; i++) {
        memcpy(copy, data, size);
        copy[start + next_random(&s) % len] = (uint8_t)next_random(&s);
        load_copy(copy, size);
    }
    free(copy);
    free(data);
}
