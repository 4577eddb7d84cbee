/*
 * bif_erlang_more.c - erlang BIFs that programs written for OTP call and
 * erbium lacked: now/0, list_to_pid/port/ref, is_builtin/3, is_record/2,3
 * (applied), append/2, subtract/2, external_size/1,2, term_to_iovec/1,2.
 */
#include "runtime/bif/bif.h"

#include "runtime/etf/etf.h"
#include "runtime/loader/export.h"
#include "runtime/proc/heap.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* ---- now/0: {MegaSecs, Secs, MicroSecs} of the OS clock, strictly increasing across all callers ---- */

static _Atomic uint64_t last_now_us;

Term bif_now_0(Process *p, const Term *args)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
    uint64_t prev = atomic_load(&last_now_us);
    do {
        if (us <= prev) us = prev + 1;
    } while (!atomic_compare_exchange_weak(&last_now_us, &prev, us));
    return heap_tuple3(p, make_small((intptr_t)(us / 1000000000000u)), make_small((intptr_t)(us / 1000000u % 1000000u)),
                       make_small((intptr_t)(us % 1000000u)));
}

/* ---- list_to_pid, list_to_port, list_to_ref: the inverse of how they print ---- */

/* Reads the characters of list (a string) into buf (NUL-terminated); false if it is no
   flat list of ASCII characters that fits. */
static bool ascii_string(Term list, char *buf, size_t size)
{
    size_t n = 0;
    for (; is_list(list); list = list_tail(list)) {
        Term c = list_head(list);
        if (!is_small(c) || small_val(c) <= 0 || small_val(c) > 127 || n + 1 >= size) return false;
        buf[n++] = (char)small_val(c);
    }
    buf[n] = 0;
    return is_nil(list);
}

/* Parses the text after prefix as `count` dot-separated decimal numbers then `close`:
   "<0.12.0>" with prefix "<", count 3, close ">". */
static bool parse_ids(const char *s, const char *prefix, int count, uint64_t *out)
{
    for (; *prefix; prefix++, s++)
        if (*s != *prefix) return false;
    for (int i = 0; i < count; i++) {
        if (i > 0 && *s++ != '.') return false;
        if (*s < '0' || *s > '9') return false;
        uint64_t v = 0;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (v > (UINT64_MAX - 9) / 10) return false;
            v = v * 10 + (uint64_t)(*s - '0');
        }
        out[i] = v;
    }
    return s[0] == '>' && s[1] == 0;
}

/* Only local identifiers exist (node 0); a pid's number and serial are those term_print shows. */
Term bif_list_to_pid_1(Process *p, const Term *args)
{
    char buf[80];
    uint64_t id[3];
    if (!ascii_string(args[0], buf, sizeof buf) || !parse_ids(buf, "<", 3, id) || id[0] != 0 || id[1] > 0x7FFF ||
        id[2] > 0x1FFF)
        return bif_error(p, AM_badarg);
    return make_pid(id[2] << 15 | id[1]);
}

Term bif_list_to_port_1(Process *p, const Term *args)
{
    char buf[80];
    uint64_t id[2];
    if (!ascii_string(args[0], buf, sizeof buf) || !parse_ids(buf, "#Port<", 2, id) || id[0] != 0 ||
        id[1] > ((uint64_t)1 << 59))
        return bif_error(p, AM_badarg);
    return make_port(id[1]);
}

Term bif_list_to_ref_1(Process *p, const Term *args)
{
    char buf[120];
    uint64_t id[4];
    if (!ascii_string(args[0], buf, sizeof buf) || !parse_ids(buf, "#Ref<", 4, id) || id[0] != 0 ||
        id[2] > 0xFFFFFFFFu || id[3] > 0xFFFFFFFFu)
        return bif_error(p, AM_badarg);
    Term *hp = heap_alloc(p, 1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = (Term)(id[2] << 32 | id[3]);
    hp[2] = (Term)id[1];
    return make_boxed(hp);
}

/* ---- functions as data ---- */

Term bif_is_builtin_3(Process *p, const Term *args)
{
    if (!is_atom(args[0]) || !is_atom(args[1]) || !is_small(args[2]) || small_val(args[2]) < 0 ||
        small_val(args[2]) > 255)
        return bif_error(p, AM_badarg);
    const Export *e = export_find(args[0], args[1], (uint32_t)small_val(args[2]));
    return e && export_is_vm_provided(e) ? AM_true : AM_false;
}

/* is_record(Term, Tag) and is_record(Term, Tag, Size) when called (the compiler inlines the rest). */
Term bif_is_record_2(Process *p, const Term *args)
{
    if (!is_atom(args[1])) return bif_error(p, AM_badarg);
    Term t = args[0];
    return is_tuple(t) && tuple_arity(t) >= 1 && tuple_elems(t)[0] == args[1] ? AM_true : AM_false;
}

Term bif_is_record_3(Process *p, const Term *args)
{
    if (!is_atom(args[1]) || !is_small(args[2]) || small_val(args[2]) < 0) return bif_error(p, AM_badarg);
    Term t = args[0];
    return is_tuple(t) && (intptr_t)tuple_arity(t) == small_val(args[2]) && tuple_arity(t) >= 1 &&
                   tuple_elems(t)[0] == args[1]
               ? AM_true
               : AM_false;
}

Term bif_append_2(Process *p, const Term *args) { return bif_plusplus_2(p, args); }
Term bif_subtract_2(Process *p, const Term *args) { return bif_minusminus_2(p, args); }

/* ---- the external format ---- */

static Term external_size(Process *p, Term t, unsigned minor)
{
    EtfEncodeOptions o = {.minor_version = minor, .deterministic = false};
    size_t size;
    free(etf_encode(t, &o, &size));
    return make_small((intptr_t)size);
}

Term bif_external_size_1(Process *p, const Term *args) { return external_size(p, args[0], 1); }

/* Options: [{minor_version, 0..2}]. */
Term bif_external_size_2(Process *p, const Term *args)
{
    unsigned minor = 1;
    Term opts = args[1];
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (!is_tuple(o) || tuple_arity(o) != 2 || tuple_elems(o)[0] != atom_from_cstr("minor_version") ||
            !is_small(tuple_elems(o)[1]) || small_val(tuple_elems(o)[1]) < 0 || small_val(tuple_elems(o)[1]) > 2)
            return bif_error(p, AM_badarg);
        minor = (unsigned)small_val(tuple_elems(o)[1]);
    }
    if (!is_nil(opts)) return bif_error(p, AM_badarg);
    return external_size(p, args[0], minor);
}

/* The encoding as an iovec: one binary. */
static Term iovec(Process *p, Term bin) { return is_value(bin) ? heap_cons(p, bin, NIL) : bin; }

Term bif_term_to_iovec_1(Process *p, const Term *args) { return iovec(p, bif_term_to_binary_1(p, args)); }
Term bif_term_to_iovec_2(Process *p, const Term *args) { return iovec(p, bif_term_to_binary_2(p, args)); }
