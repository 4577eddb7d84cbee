/*
 * code_path.h - loading .beam files the VM finds itself: the preloaded
 * modules (the boot), and erbium's own modules for embedders. Every other
 * module is loaded by OTP's code server (or init while booting), through
 * error_handler and the loading BIFs (code_version.h), from erl's code path.
 */
#ifndef ERBIUM_CODE_PATH_H
#define ERBIUM_CODE_PATH_H

#include "runtime/loader/module.h"

/* Appends a directory to the VM's own search list (code_load). */
void code_path_add(const char *dir);
/*
 * Appends the directory of the Erlang modules erbium ships (the lib folder,
 * compiled at build time): $ERBIUM_EBIN, or the build's ebin directory.
 * Returns false if it holds no erbium_embed.beam.
 */
bool code_path_add_erbium(void);

/* erts's ebin directory (<root>/lib/erts-<vsn>/ebin) once the boot found it, else NULL. */
const char *code_path_erts_ebin(void);
/* Sets it (the boot, which preloads from there). */
void code_path_set_erts_ebin(const char *dir);

/*
 * The module, loading it from the VM's search list if needed. On failure
 * returns NULL with a message in err ("module 'foo' not found in the code
 * path", or the loader's message for a bad file).
 */
Module *code_load(Term name, char *err, size_t errlen);

/*
 * Loads module `name` from the .beam file at path and makes it current
 * (an -on_load function is not run: the caller runs it, as OTP's preloading
 * leaves it to erl_init). NULL with a message in err on failure.
 */
Module *code_load_file(const char *path, Term name, char *err, size_t errlen);

/* Reads a whole file into memory; NULL with errno set on failure. */
uint8_t *code_read_file(const char *path, size_t *size);

#endif
