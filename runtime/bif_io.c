/*
 * bif_io.c - the natives under erbium's I/O: the I/O servers' output
 * (erbium:write/2), io_lib:format/2 and io_lib:write/1, erlang:display/1,
 * and net_kernel:dflag_unicode_io/1.
 *
 * io:format and the rest of OTP's io module run unchanged: they send I/O
 * requests to the group leader, an Erlang process (lib/erbium_user.erl)
 * that calls io_lib and writes the bytes with erbium:write/2. io_lib:format
 * and io_lib:write stay native: they are the bulk of every program's
 * output, and OTP's versions need kernel pieces erbium does not have
 * (persistent_term and the erl_features set-up that quoting atoms asks).
 */
#include "runtime/bif.h"
#include "runtime/binary.h"
#include "runtime/heap.h"
#include "runtime/io_format.h"
#include "runtime/io_out.h"
#include "runtime/term_print.h"

#include <stdlib.h>

/* erbium:write(stdout | stderr, Bytes): the I/O servers' way out (see io_out.h). */
Term bif_erbium_write_2(Process *p, const Term *args)
{
    const uint8_t *bytes;
    size_t n;
    bool out = args[0] == AM_stdout, err = args[0] == AM_stderr;
    if (!(out || err) || !binary_bytes(args[1], &bytes, &n)) return bif_error(p, AM_badarg);
    if (out) io_out_write((const char *)bytes, n);
    else io_out_write_err((const char *)bytes, n);
    return AM_ok;
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

/* The characters of text[from, to) as list cells taken from *hp, ending in tail. */
static Term chars_onto(Term **hp, const StrBuf *text, size_t from, size_t to, Term tail)
{
    size_t n = io_text_chars(text->data + from, to - from);
    Term *cells = *hp;
    *hp += 2 * n;
    for (size_t k = from, i = 0; k < to; i++) {
        unsigned c;
        k += io_text_next(text->data + k, to - k, &c);
        cells[2 * i] = make_small((intptr_t)c);
        cells[2 * i + 1] = i + 1 < n ? make_list(cells + 2 * i + 2) : tail;
    }
    return n > 0 ? make_list(cells) : tail;
}

/*
 * io_lib:format/2, with the shape of OTP's result (see IoFormatParts): the
 * text of ~w, ~p, ~s... as one nested flat list each. (OTP's nested
 * elements are themselves deep lists; those are flat here.)
 */
Term bif_io_lib_format_2(Process *p, const Term *args)
{
    StrBuf text;
    IoFormatParts parts = {0};
    Term reason;
    sb_init(&text);
    if (io_format_parts(&text, args[0], args[1], &reason, &parts) < 0) {
        sb_free(&text);
        free(parts.v);
        return bif_error(p, reason);
    }
    /* a cell per part, and per character outside the literal elements */
    size_t cells = io_text_chars(text.data, text.len) + parts.n;
    for (size_t i = 0; i < parts.n; i++)
        if (parts.v[i].literal != THE_NON_VALUE)
            cells -= io_text_chars(text.data + parts.v[i].start, parts.v[i].end - parts.v[i].start);
    Term *hp = heap_alloc(p, 2 * cells);
    Term list = NIL;
    size_t end = text.len;
    for (size_t i = parts.n; i-- > 0;) {
        const IoFormatPart *part = &parts.v[i];
        list = chars_onto(&hp, &text, part->end, end, list);
        Term elem = part->literal != THE_NON_VALUE ? part->literal : chars_onto(&hp, &text, part->start, part->end, NIL);
        hp[0] = elem;
        hp[1] = list;
        list = make_list(hp);
        hp += 2;
        end = part->start;
    }
    list = chars_onto(&hp, &text, 0, end, list);
    sb_free(&text);
    free(parts.v);
    return list;
}

/* io_lib:write/1: ~w's text, as a flat list (OTP's is deep, with the same characters). */
Term bif_io_lib_write_1(Process *p, const Term *args)
{
    StrBuf text;
    sb_init(&text);
    term_write(&text, args[0]);
    Term *hp = heap_alloc(p, 2 * io_text_chars(text.data, text.len));
    Term list = chars_onto(&hp, &text, 0, text.len, NIL);
    sb_free(&text);
    return list;
}
