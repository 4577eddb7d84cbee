/*
 * bif_io.c - io:format and friends, io_lib:format/2 and erlang:display/1.
 *
 * erbium has no I/O server processes: the devices standard_io and user
 * write to standard output, standard_error to standard error (both through
 * io_out.c). They behave as erl -noshell's standard output does, a Latin-1
 * device: a character below 256 is written as that byte, any other as the
 * text \\x{HEX} (OTP's user.erl does the same), and a code point that is no
 * character at all (a surrogate) makes the call fail with badarg.
 */
#include "runtime/bif.h"
#include "runtime/heap.h"
#include "runtime/io_format.h"
#include "runtime/io_out.h"
#include "runtime/term_print.h"

#include <stdlib.h>

enum device { DEVICE_NONE, DEVICE_STDOUT, DEVICE_STDERR };

static enum device device_of(Term dev)
{
    if (dev == AM_standard_io || dev == AM_user) return DEVICE_STDOUT;
    if (dev == AM_standard_error) return DEVICE_STDERR;
    return DEVICE_NONE;
}

/* Writes characters (UTF-8) as the Latin-1 device does. False on a surrogate. */
static bool device_write(enum device d, const StrBuf *text)
{
    StrBuf bytes;
    sb_init(&bytes);
    bool ok = true;
    for (size_t k = 0; k < text->len && ok;) {
        unsigned c;
        k += io_text_next(text->data + k, text->len - k, &c);
        if (c >= 0xD800 && c <= 0xDFFF) ok = false;
        else if (c < 256) sb_putc(&bytes, (char)c);
        else sb_printf(&bytes, "\\x{%X}", c);
    }
    if (ok && bytes.len > 0) {
        if (d == DEVICE_STDOUT) io_out_write(bytes.data, bytes.len);
        else io_out_write_err(bytes.data, bytes.len);
    }
    sb_free(&bytes);
    return ok;
}

/* Writes text to the device and returns ok, or raises badarg. */
static Term finish_output(Process *p, enum device d, StrBuf *text, bool made)
{
    bool ok = made && d != DEVICE_NONE && device_write(d, text);
    sb_free(text);
    return ok ? AM_ok : bif_error(p, AM_badarg);
}

static Term format_to(Process *p, Term dev, Term format, Term args)
{
    StrBuf text;
    Term reason;
    sb_init(&text);
    bool made = io_format(&text, format, args, &reason) == 0;
    return finish_output(p, device_of(dev), &text, made);
}

Term bif_io_format_1(Process *p, const Term *args) { return format_to(p, AM_standard_io, args[0], NIL); }
Term bif_io_format_2(Process *p, const Term *args) { return format_to(p, AM_standard_io, args[0], args[1]); }
Term bif_io_format_3(Process *p, const Term *args) { return format_to(p, args[0], args[1], args[2]); }

static Term put_chars_to(Process *p, Term dev, Term chars)
{
    StrBuf text;
    sb_init(&text);
    bool made = io_chardata(&text, chars) == 0;
    return finish_output(p, device_of(dev), &text, made);
}

Term bif_io_put_chars_1(Process *p, const Term *args) { return put_chars_to(p, AM_standard_io, args[0]); }
Term bif_io_put_chars_2(Process *p, const Term *args) { return put_chars_to(p, args[0], args[1]); }

static Term nl_to(Process *p, Term dev)
{
    StrBuf text;
    sb_init(&text);
    sb_putc(&text, '\n');
    return finish_output(p, device_of(dev), &text, true);
}

Term bif_io_nl_0(Process *p, const Term *args) { return nl_to(p, AM_standard_io); }
Term bif_io_nl_1(Process *p, const Term *args) { return nl_to(p, args[0]); }

static Term write_to(Process *p, Term dev, Term t)
{
    StrBuf text;
    sb_init(&text);
    term_write(&text, t);
    return finish_output(p, device_of(dev), &text, true);
}

Term bif_io_write_1(Process *p, const Term *args) { return write_to(p, AM_standard_io, args[0]); }
Term bif_io_write_2(Process *p, const Term *args) { return write_to(p, args[0], args[1]); }

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
