/*
 * file_util.h - what the file NIFs share: OTP's error atoms, native paths,
 * result tuples and integer arguments.
 */
#ifndef ERBIUM_FILE_UTIL_H
#define ERBIUM_FILE_UTIL_H

#include "runtime/bif/bif.h"
#include "runtime/file/file_res.h"

#include <stdint.h>

/* OTP's name for an errno value (ENOENT -> enoent), or eunknown. */
Term file_errno_atom(int err);

/* {error, Atom}, {error, errno's atom}, {ok, X}. */
Term file_error(Process *p, Term reason);
Term file_errno(Process *p, int err);
Term file_ok(Process *p, Term x);

/*
 * The C string of an encoded path (what prim_file:internal_name2native/1
 * made: a binary ending in NUL, with no other NUL): points into the binary.
 * NULL when t is not one.
 */
const char *file_path(Term t);

/* A non-negative integer argument that fits in int64 (small or big). */
bool file_get_i64(Term t, int64_t *v);

/* A NIF's file handle argument: the open file with a counted reference, or
   NULL with *res set to the result to return ({error, einval} for a closed
   file, badarg otherwise). */
FileRes *file_handle_arg(Process *p, Term t, Term *res);

#endif
