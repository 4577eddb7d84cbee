/*
 * load.h - loader stage 2: translating a read .beam (BeamFile, see
 * beam_file.h) into threaded code and publishing the module.
 *
 * Each generic instruction becomes one internal instruction (ops.def), with
 * operands encoded for the interpreter and specialised variants picked by
 * operand kind. Labels become code addresses, imports Export pointers,
 * BIF imports the BIF's Export (which carries the C function). Functions that
 * OTP implements natively (NIF stubs such as lists:keyfind/3) get their body
 * replaced by a jump to the BIF, so local calls reach it too.
 */
#ifndef ERBIUM_LOAD_H
#define ERBIUM_LOAD_H

#include "runtime/loader/beam_file.h"
#include "runtime/loader/module.h"

/*
 * Builds the module without publishing it: nothing can call it until
 * module_commit (module.h). On success takes the literal area out of bf (bf
 * can then be freed) and returns the module; on failure returns NULL with a
 * message "<module>: <problem>" in err. A module never committed is freed
 * with module_free.
 */
Module *load_prepare(BeamFile *bf, char *err, size_t errlen);

/*
 * Whether modules loaded from now on get breakpoint sites (ModSite, see
 * load_sites.c): the VM's +D, and erl_debugger:toggle_instrumentations/1.
 * Off by default; a site adds no code.
 */
void load_set_sites(bool on);
bool load_sites(void);

#endif
