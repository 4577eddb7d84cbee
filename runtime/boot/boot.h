/*
 * boot.h - starting OTP as its emulator does: the preloaded modules from
 * erts's ebin, then the first process, erl_init:start(init, BootArgs), which
 * runs OTP's own init with erl's boot arguments (see docs/ARCHITECTURE.md,
 * "Booting OTP").
 */
#ifndef ERBIUM_BOOT_H
#define ERBIUM_BOOT_H

#include <stddef.h>

/*
 * Loads the preloaded modules and starts init with argv (erl's arguments
 * after the emulator flags: "-noshell", "-s", "m", ...); init finds OTP
 * through the -root and -bindir arguments boot_start puts first, as erl
 * does. Returns 0, or -1 with a message in err when OTP's files are missing
 * or do not load. The VM runs from then on until erlang:halt.
 */
int boot_start(int argc, const char *const *argv, char *err, size_t errlen);

/* The OTP installation booted ($ROOT: /usr/lib/erlang) and erts's version directory ("erts-13.1.5"). */
const char *boot_otp_root(void);
/* The installed erts's version ("13.1.5"), found now if the boot has not yet; NULL if none. */
const char *boot_erts_version(void);

#endif
