/*
 * bif_io.c - the natives under erbium's I/O: the I/O servers' output
 * (erbium:write/2), erlang:display/1, and net_kernel:dflag_unicode_io/1.
 *
 * io:format and the rest of OTP's io module run unchanged: they send I/O
 * requests to the group leader, an Erlang process (lib/erbium_user.erl)
 * that formats with OTP's own io_lib and writes the bytes with
 * erbium:write/2.
 */
#include "runtime/bif/bif.h"
#include "runtime/term/binary.h"
#include "runtime/io/io_out.h"
#include "runtime/port/port_errno.h"
#include "runtime/proc/heap.h"
#include "runtime/term/term_print.h"

#include <stdlib.h>

/* erbium:write(stdout | stderr, Bytes): the I/O servers' way out (see io_out.h); ok, or
   {error, Posix} when the descriptor failed (epipe: the reader is gone). */
Term bif_erbium_write_2(Process *p, const Term *args)
{
    const uint8_t *bytes;
    size_t n;
    bool out = args[0] == AM_stdout, err = args[0] == AM_stderr;
    if (!(out || err) || !binary_bytes(args[1], &bytes, &n)) return bif_error(p, AM_badarg);
    int failed = out ? io_out_write((const char *)bytes, n) : io_out_write_err((const char *)bytes, n);
    return failed ? heap_tuple2(p, AM_error, port_errno_atom(failed)) : AM_ok;
}

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
