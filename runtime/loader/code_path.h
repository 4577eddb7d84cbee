/*
 * code_path.h - finding and loading modules: the code path (directories
 * searched for <module>.beam, in order, as erl's) and loading on first use.
 */
#ifndef ERBIUM_CODE_PATH_H
#define ERBIUM_CODE_PATH_H

#include "runtime/loader/module.h"

/* Appends a directory to the code path. */
void code_path_add(const char *dir);
/*
 * Appends the ebin directory of every OTP application, as erl's code path
 * has them: kernel, stdlib, then the others (erts among them) by name, the
 * newest version of each, from $ERBIUM_OTP_LIB or the installed Erlang's lib
 * directory (/usr/lib/erlang/lib). Returns false if stdlib was not found.
 */
bool code_path_add_otp(void);
/*
 * Appends the directory of the Erlang modules erbium ships (the lib folder,
 * compiled at build time): $ERBIUM_EBIN, or the build's ebin directory.
 * Returns false if it holds no erbium_user.beam.
 */
bool code_path_add_erbium(void);

/* erts's ebin directory (<lib>/erts-<vsn>/ebin) once code_path_add_otp found it, else NULL. */
const char *code_path_erts_ebin(void);

/*
 * The module, loading it from the code path if needed. On failure returns
 * NULL with a message in err ("module 'foo' not found in the code path",
 * or the loader's message for a bad file).
 */
Module *code_load(Term name, char *err, size_t errlen);
/* Like code_load, for the interpreter: a bad file is reported on stderr. */
Module *code_ensure_loaded(Term name);

/* Reads a whole file into memory; NULL with errno set on failure. */
uint8_t *code_read_file(const char *path, size_t *size);

#endif
