/*
 * bif_io.c - the emulator's own printing, outside the I/O servers:
 * erlang:display/1 and net_kernel:dflag_unicode_io/1.
 * Everything else is written by OTP's `user` and `standard_error` through
 * their fd ports (runtime/port/).
 */
#include "runtime/bif/bif.h"
#include "runtime/term/binary.h"
#include "runtime/io/io_out.h"
#include "runtime/proc/heap.h"
#include "runtime/term/term_print.h"

#include <stdlib.h>

/* OTP's io module asks whether a server understands Unicode requests: every local one does. */
Term bif_net_kernel_dflag_unicode_io_1(Process *p, const Term *args) { return AM_true; }

/* The emulator's own printer, straight to standard output, with "\r\n" as erl -noshell ends it. */
Term bif_display_1(Process *p, const Term *args)
{
    StrBuf text;
    sb_init(&text);
    term_display(&text, args[0]);
    sb_puts(&text, "\r\n");
    io_out_write(text.data, text.len);
    sb_free(&text);
    return AM_true;
}

/* io:printable_range/0 (a native in OTP): erbium has no +pc flag, so erl's default. */
Term bif_io_printable_range_0(Process *p, const Term *args) { return AM_latin1; }
