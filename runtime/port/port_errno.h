/* port_errno.h - OTP's posix error atoms (enoent, eacces, epipe, ...) for errno values. */
#ifndef ERBIUM_PORT_ERRNO_H
#define ERBIUM_PORT_ERRNO_H

#include "runtime/term/term.h"

/* The atom OTP uses for err (erl_errno_id), e.g. enoent; 'unknown' for one it has no name for. */
Term port_errno_atom(int err);

#endif
