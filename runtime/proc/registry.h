/* registry.h - registered process names (register/2, whereis/1). */
#ifndef ERBIUM_REGISTRY_H
#define ERBIUM_REGISTRY_H

#include "runtime/term/term.h"

/* Registers name for pid; false if the name is taken. */
bool reg_register(Term name, Term pid);
/* Removes the name; false if it was not registered. */
bool reg_unregister(Term name);
/* Removes the name only if it still names pid (a process exiting). */
void reg_unregister_pid(Term name, Term pid);
/* The pid registered under name, or THE_NON_VALUE. */
Term reg_whereis(Term name);
/* All registered names, for registered/0: writes up to max atoms to out, returns the count. */
size_t reg_names(Term *out, size_t max);

#endif
