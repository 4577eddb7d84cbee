/*
 * etf.h - the external term format: decoding (binary_to_term; the literal,
 * attribute and compile-info chunks of .beam files) and encoding
 * (term_to_binary). BEAM_FORMAT.md 5.
 *
 * Terms are built with a TermAlloc, so they can go to a literal area or a
 * process heap. Decoding never reads outside the buffer and uses an
 * explicit stack, so deeply nested input cannot exhaust the C stack; memory
 * use is bounded by a constant times the input size (plus the stated size
 * of a compressed term). Nothing is freed on failure: the words allocated
 * so far are garbage, which a literal area or process heap tolerates.
 *
 * Decoded: integers (97, 98, 110, 111), floats (70, 99), atoms (100, 115,
 * 118, 119), tuples (104, 105), [] (106), strings (107), lists (108),
 * binaries (109), maps (116: flat up to MAP_FLAT_MAX keys, hash maps
 * beyond, as in OTP), export funs (113), local funs (112) of loaded
 * modules, and pids, ports and references (88-90, 101-103, 114, 120) of
 * the local node (nonode@nohost, creation 0), and bitstrings (77).
 * Identifiers of other nodes give an error.
 *
 * Encoding (term_to_binary) is in etf_encode.c, below.
 */
#ifndef ERBIUM_ETF_H
#define ERBIUM_ETF_H

#include "runtime/term/term.h"

#define ETF_VERSION 131

/* The tag byte that starts each encoded term (BEAM_FORMAT.md 5). */
enum etf_tag {
    TAG_NEW_FLOAT = 70,
    TAG_BIT_BINARY = 77,
    TAG_COMPRESSED = 80,
    TAG_ATOM_CACHE_REF = 82,
    TAG_NEW_PID = 88,
    TAG_NEW_PORT = 89,
    TAG_NEWER_REFERENCE = 90,
    TAG_SMALL_INTEGER = 97,
    TAG_INTEGER = 98,
    TAG_FLOAT = 99,
    TAG_ATOM = 100,
    TAG_REFERENCE = 101,
    TAG_PORT = 102,
    TAG_PID = 103,
    TAG_SMALL_TUPLE = 104,
    TAG_LARGE_TUPLE = 105,
    TAG_NIL = 106,
    TAG_STRING = 107,
    TAG_LIST = 108,
    TAG_BINARY = 109,
    TAG_SMALL_BIG = 110,
    TAG_LARGE_BIG = 111,
    TAG_NEW_FUN = 112,
    TAG_EXPORT = 113,
    TAG_NEW_REFERENCE = 114,
    TAG_SMALL_ATOM = 115,
    TAG_MAP = 116,
    TAG_ATOM_UTF8 = 118,
    TAG_SMALL_ATOM_UTF8 = 119,
    TAG_V4_PORT = 120,
};

/*
 * Decodes one term (no version byte) from buf[0..len). Returns the term, or
 * THE_NON_VALUE with a message in err. *used (if not NULL) gets the number
 * of bytes the term occupied. The compressed form (80) is not accepted here.
 */
Term etf_decode(const uint8_t *buf, size_t len, TermAlloc a, size_t *used, char *err,
                size_t errlen);

/*
 * binary_to_term: the version byte 131, then a term, possibly compressed
 * (tag 80). Bytes after the term are not examined; *used says where it ended.
 */
Term etf_binary_to_term(const uint8_t *buf, size_t len, TermAlloc a, size_t *used, char *err,
                        size_t errlen);

struct Process;

typedef struct EtfDecodeOptions {
    bool safe;             /* refuse atoms that do not exist yet and funs of undefined functions */
    struct Process *owner; /* the process whose heap `a` allocates on: binaries are then made
                              with binary_new (large ones off the heap); NULL: all binaries
                              come from `a` (literals) */
} EtfDecodeOptions;

/* etf_binary_to_term with options (binary_to_term/2). */
Term etf_binary_to_term_opts(const uint8_t *buf, size_t len, TermAlloc a, const EtfDecodeOptions *o,
                             size_t *used, char *err, size_t errlen);

/*
 * The atom with this UTF-8 text, or THE_NON_VALUE if the text is not
 * strictly valid UTF-8 (no overlong forms, surrogates or code points above
 * U+10FFFF) or is longer than 255 characters.
 */
Term etf_atom_from_utf8(const uint8_t *text, size_t len);

/* ---- encoding: term_to_binary (etf_encode.c) ---- */

/*
 * The bytes OTP 25's term_to_binary writes: atoms whose characters are all
 * Latin-1 as ATOM_EXT (100), others as (SMALL_)ATOM_UTF8; strings of up to
 * 65535 bytes as STRING_EXT; flat maps (up to 32 keys) in key order, hash
 * maps in OTP's internal order (map.h's list order) or, with
 * `deterministic`, in key order; pids, ports and references of node
 * nonode@nohost with creation 0.
 */
typedef struct EtfEncodeOptions {
    unsigned minor_version; /* 0: floats as FLOAT_EXT text; 1: the default; 2: all atoms UTF-8 */
    bool deterministic;     /* large maps with their keys in order */
} EtfEncodeOptions;

/* The uncompressed encoding of t, version byte included, in a malloc'ed
   buffer of *len bytes that the caller frees. */
uint8_t *etf_encode(Term t, const EtfEncodeOptions *o, size_t *len);

/*
 * The compressed form of an encoding enc[0..len) (version byte included):
 * 131, 80, the uncompressed size, then a zlib stream at `level` (1..9).
 * Writes it to out, which has room for len bytes, and returns its length.
 * Returns 0, and term_to_binary keeps the original, when the zlib stream
 * does not fit in 5 bytes less than the original without its version byte
 * (OTP's rule, so that both choose alike).
 */
size_t etf_compress(const uint8_t *enc, size_t len, int level, uint8_t *out);

#endif
