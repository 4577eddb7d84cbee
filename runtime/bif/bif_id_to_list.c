/*
 * bif_id_to_list.c - erlang:pid_to_list/1, ref_to_list/1, port_to_list/1
 * and fun_to_list/1: the printed form of a term that has no literal
 * syntax, as a string. OTP's io_lib prints these types through them.
 */
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/term/term_print.h"

/* t as ~w prints it, as a list of characters on p's heap. */
static Term printed(Process *p, Term t)
{
    StrBuf text;
    sb_init(&text);
    term_write(&text, t);
    size_t n = utf8_text_chars(text.data, text.len);
    Term *cells = heap_alloc(p, 2 * n);
    for (size_t k = 0, i = 0; i < n; i++) {
        unsigned c;
        k += utf8_text_next(text.data + k, text.len - k, &c);
        cells[2 * i] = make_small((intptr_t)c);
        cells[2 * i + 1] = i + 1 < n ? make_list(cells + 2 * i + 2) : NIL;
    }
    sb_free(&text);
    return n > 0 ? make_list(cells) : NIL;
}

Term bif_pid_to_list_1(Process *p, const Term *args)
{
    return is_pid(args[0]) ? printed(p, args[0]) : bif_error(p, AM_badarg);
}

Term bif_ref_to_list_1(Process *p, const Term *args)
{
    return is_ref(args[0]) ? printed(p, args[0]) : bif_error(p, AM_badarg);
}

Term bif_port_to_list_1(Process *p, const Term *args)
{
    return is_port(args[0]) ? printed(p, args[0]) : bif_error(p, AM_badarg);
}

Term bif_fun_to_list_1(Process *p, const Term *args)
{
    return is_fun(args[0]) ? printed(p, args[0]) : bif_error(p, AM_badarg);
}
