/*
 * etf.h - decoding the external term format (binary_to_term; the literal,
 * attribute and compile-info chunks of .beam files). BEAM_FORMAT.md 5.
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
 * binaries (109, and 77 when the last byte is whole), maps (116, as flat
 * maps with sorted keys) and export funs (113). Pids, ports, references and
 * local funs give an error for now, as do bit-level binaries.
 */
#ifndef ERBIUM_ETF_H
#define ERBIUM_ETF_H

#include "runtime/term.h"

#define ETF_VERSION 131

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

/*
 * The atom with this UTF-8 text, or THE_NON_VALUE if the text is not
 * strictly valid UTF-8 (no overlong forms, surrogates or code points above
 * U+10FFFF) or is longer than 255 characters.
 */
Term etf_atom_from_utf8(const uint8_t *text, size_t len);

#endif
