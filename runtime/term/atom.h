/*
 * atom.h - the global atom table.
 *
 * Atoms are numbered in creation order and never freed. Looking up an
 * atom's text by index takes no lock (entries live in fixed segments that
 * never move, published with release stores); creating or finding an atom
 * by text takes a mutex. The atoms in atoms.def exist from atom_init() on
 * with fixed indices, as AM_<name>.
 */
#ifndef ERBIUM_ATOM_H
#define ERBIUM_ATOM_H

#include "runtime/term/term.h"

enum atom_predefined_index {
#define ATOM_DEF(id, text) ATOM_INDEX_##id,
#include "runtime/term/atoms.def"
#undef ATOM_DEF
    ATOM_PREDEFINED_COUNT
};

#define ATOM_DEF(id, text) static const Term AM_##id = ((Term)ATOM_INDEX_##id << 6) | TAG_IMMED2_ATOM;
#include "runtime/term/atoms.def"
#undef ATOM_DEF

/* Most atoms a VM may hold (as OTP's default) and the longest atom text in characters. */
#define ATOM_MAX_COUNT 1048576
#define ATOM_MAX_CHARS 255

/* Creates the table and the predefined atoms. Idempotent. */
void atom_init(void);

/*
 * The atom whose UTF-8 text is name[0..len), created if new. Returns
 * THE_NON_VALUE when the text is too long (more than ATOM_MAX_CHARS
 * characters), is not valid UTF-8, or the table is full.
 */
Term atom_put(const char *name, size_t len);
Term atom_from_cstr(const char *name);

/* The existing atom with that text, or THE_NON_VALUE (list_to_existing_atom). */
Term atom_find(const char *name, size_t len);

/* UTF-8 text of an atom (not NUL-terminated; see atom_len) and its byte length. */
const char *atom_text(Term atom);
size_t atom_len(Term atom);

/* Number of atoms created so far. */
size_t atom_count(void);
/* Bytes the atom table takes: all of it, or only the atoms' entries (erlang:memory/1). */
size_t atom_memory(bool used_only);

#endif
