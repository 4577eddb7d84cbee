/*
 * bif_term.c - tuple BIFs, type tests and boolean operators (module erlang).
 *
 * Every check follows OTP 25 as observed in erl: a position is a small
 * integer (a float or a bignum is badarg), tuples have at most
 * TUPLE_MAX_ARITY elements (make_tuple, append_element and list_to_tuple
 * check it; insert_element does not, as in OTP).
 */
#include "runtime/bif/bif.h"
#include "runtime/term/binary.h"
#include "runtime/proc/heap.h"
#include "runtime/loader/module.h"

/* OTP's largest tuple (MAX_ARITYVAL): 2^24 - 1 elements. */
#define TUPLE_MAX_ARITY ((size_t)0xFFFFFF)

/* Words for a new tuple of `arity` elements with its header written. */
static Term *tuple_alloc(Process *p, size_t arity)
{
    Term *hp = heap_alloc(p, 1 + arity);
    hp[0] = make_tuple_header(arity);
    return hp;
}

/* t as a 1-based position in [1, max], or 0 when it is not one. */
static size_t position_arg(Term t, size_t max)
{
    if (!is_small(t)) return 0;
    intptr_t v = small_val(t);
    return v >= 1 && (size_t)v <= max ? (size_t)v : 0;
}

/* ---- tuples ---- */

Term bif_element_2(Process *p, const Term *args)
{
    Term tuple = args[1];
    if (!is_tuple(tuple)) return bif_error(p, AM_badarg);
    size_t pos = position_arg(args[0], tuple_arity(tuple));
    if (pos == 0) return bif_error(p, AM_badarg);
    return tuple_elems(tuple)[pos - 1];
}

Term bif_setelement_3(Process *p, const Term *args)
{
    Term tuple = args[1], value = args[2];
    if (!is_tuple(tuple)) return bif_error(p, AM_badarg);
    size_t arity = tuple_arity(tuple);
    size_t pos = position_arg(args[0], arity);
    if (pos == 0) return bif_error(p, AM_badarg);
    Term *hp = tuple_alloc(p, arity);
    memcpy(hp + 1, tuple_elems(tuple), arity * sizeof(Term));
    hp[pos] = value;
    return make_boxed(hp);
}

Term bif_tuple_size_1(Process *p, const Term *args)
{
    if (!is_tuple(args[0])) return bif_error(p, AM_badarg);
    return make_small((intptr_t)tuple_arity(args[0]));
}

/*
 * size/1 of a tuple or a binary (whole bytes). Only heap binaries have a
 * documented layout (term.h: the byte count, then the bytes); reference-
 * counted and sub binaries get theirs with binary.h and are badarg here
 * until then.
 */
Term bif_size_1(Process *p, const Term *args)
{
    Term t = args[0];
    if (is_tuple(t)) return make_small((intptr_t)tuple_arity(t));
    if (is_bitstring(t)) return make_small((intptr_t)(bitstring_bits(t) / 8));
    return bif_error(p, AM_badarg);
}

Term bif_make_tuple_2(Process *p, const Term *args)
{
    Term n = args[0], init = args[1];
    if (!is_small(n) || small_val(n) < 0 || (size_t)small_val(n) > TUPLE_MAX_ARITY)
        return bif_error(p, AM_badarg);
    size_t arity = (size_t)small_val(n);
    Term *hp = tuple_alloc(p, arity);
    for (size_t i = 1; i <= arity; i++) hp[i] = init;
    return make_boxed(hp);
}

/* make_tuple(N, Default, [{Pos, Value}]): later pairs win over earlier ones. */
Term bif_make_tuple_3(Process *p, const Term *args)
{
    Term n = args[0], init = args[1], pairs = args[2];
    if (!is_small(n) || small_val(n) < 0 || (size_t)small_val(n) > TUPLE_MAX_ARITY)
        return bif_error(p, AM_badarg);
    size_t arity = (size_t)small_val(n);
    Term *hp = tuple_alloc(p, arity);
    for (size_t i = 1; i <= arity; i++) hp[i] = init;
    for (; is_list(pairs); pairs = list_tail(pairs)) {
        Term pair = list_head(pairs);
        if (!is_tuple(pair) || tuple_arity(pair) != 2) return bif_error(p, AM_badarg);
        size_t pos = position_arg(tuple_elems(pair)[0], arity);
        if (pos == 0) return bif_error(p, AM_badarg);
        hp[pos] = tuple_elems(pair)[1];
    }
    if (!is_nil(pairs)) return bif_error(p, AM_badarg);
    return make_boxed(hp);
}

Term bif_append_element_2(Process *p, const Term *args)
{
    Term tuple = args[0], value = args[1];
    if (!is_tuple(tuple)) return bif_error(p, AM_badarg);
    size_t arity = tuple_arity(tuple);
    if (arity >= TUPLE_MAX_ARITY) return bif_error(p, AM_badarg);
    Term *hp = tuple_alloc(p, arity + 1);
    memcpy(hp + 1, tuple_elems(tuple), arity * sizeof(Term));
    hp[arity + 1] = value;
    return make_boxed(hp);
}

Term bif_delete_element_2(Process *p, const Term *args)
{
    Term tuple = args[1];
    if (!is_tuple(tuple)) return bif_error(p, AM_badarg);
    size_t arity = tuple_arity(tuple);
    size_t pos = position_arg(args[0], arity);
    if (pos == 0) return bif_error(p, AM_badarg);
    const Term *src = tuple_elems(tuple);
    Term *hp = tuple_alloc(p, arity - 1);
    memcpy(hp + 1, src, (pos - 1) * sizeof(Term));
    memcpy(hp + pos, src + pos, (arity - pos) * sizeof(Term));
    return make_boxed(hp);
}

Term bif_insert_element_3(Process *p, const Term *args)
{
    Term tuple = args[1], value = args[2];
    if (!is_tuple(tuple)) return bif_error(p, AM_badarg);
    size_t arity = tuple_arity(tuple);
    size_t pos = position_arg(args[0], arity + 1);
    if (pos == 0) return bif_error(p, AM_badarg);
    const Term *src = tuple_elems(tuple);
    Term *hp = tuple_alloc(p, arity + 1);
    memcpy(hp + 1, src, (pos - 1) * sizeof(Term));
    hp[pos] = value;
    memcpy(hp + pos + 1, src + pos - 1, (arity - pos + 1) * sizeof(Term));
    return make_boxed(hp);
}

Term bif_tuple_to_list_1(Process *p, const Term *args)
{
    Term tuple = args[0];
    if (!is_tuple(tuple)) return bif_error(p, AM_badarg);
    size_t arity = tuple_arity(tuple);
    if (arity == 0) return NIL;
    const Term *elems = tuple_elems(tuple);
    Term *hp = heap_alloc(p, 2 * arity);
    Term list = NIL;
    for (size_t i = arity; i-- > 0; hp += 2) {
        hp[0] = elems[i];
        hp[1] = list;
        list = make_list(hp);
    }
    return list;
}

Term bif_list_to_tuple_1(Process *p, const Term *args)
{
    Term list = args[0];
    size_t len = 0;
    Term t = list;
    for (; is_list(t); t = list_tail(t)) len++;
    if (!is_nil(t) || len > TUPLE_MAX_ARITY) return bif_error(p, AM_badarg);
    Term *hp = tuple_alloc(p, len);
    size_t i = 1;
    for (t = list; is_list(t); t = list_tail(t)) hp[i++] = list_head(t);
    return make_boxed(hp);
}

/* ---- boolean operators (called as functions; guards inline them) ---- */

static bool is_boolean_atom(Term t) { return t == AM_true || t == AM_false; }
static Term bool_term(bool b) { return b ? AM_true : AM_false; }

Term bif_not_1(Process *p, const Term *args)
{
    if (!is_boolean_atom(args[0])) return bif_error(p, AM_badarg);
    return bool_term(args[0] == AM_false);
}

Term bif_and_2(Process *p, const Term *args)
{
    if (!is_boolean_atom(args[0]) || !is_boolean_atom(args[1])) return bif_error(p, AM_badarg);
    return bool_term(args[0] == AM_true && args[1] == AM_true);
}

Term bif_or_2(Process *p, const Term *args)
{
    if (!is_boolean_atom(args[0]) || !is_boolean_atom(args[1])) return bif_error(p, AM_badarg);
    return bool_term(args[0] == AM_true || args[1] == AM_true);
}

Term bif_xor_2(Process *p, const Term *args)
{
    if (!is_boolean_atom(args[0]) || !is_boolean_atom(args[1])) return bif_error(p, AM_badarg);
    return bool_term(args[0] != args[1]);
}

/* ---- type tests ---- */

Term bif_is_atom_1(Process *p, const Term *args) { return bool_term(is_atom(args[0])); }
Term bif_is_integer_1(Process *p, const Term *args) { return bool_term(is_integer(args[0])); }
Term bif_is_float_1(Process *p, const Term *args) { return bool_term(is_float(args[0])); }
Term bif_is_number_1(Process *p, const Term *args) { return bool_term(is_number(args[0])); }
Term bif_is_list_1(Process *p, const Term *args) { return bool_term(is_list(args[0]) || is_nil(args[0])); }
Term bif_is_tuple_1(Process *p, const Term *args) { return bool_term(is_tuple(args[0])); }
Term bif_is_pid_1(Process *p, const Term *args) { return bool_term(is_pid(args[0])); }
Term bif_is_reference_1(Process *p, const Term *args) { return bool_term(is_ref(args[0])); }
Term bif_is_port_1(Process *p, const Term *args) { return bool_term(is_port(args[0])); }
Term bif_is_binary_1(Process *p, const Term *args) { return bool_term(binary_is_binary(args[0])); }
Term bif_is_bitstring_1(Process *p, const Term *args) { return bool_term(is_bitstring(args[0])); }
Term bif_is_boolean_1(Process *p, const Term *args) { return bool_term(is_boolean_atom(args[0])); }
Term bif_is_function_1(Process *p, const Term *args) { return bool_term(is_fun(args[0])); }
Term bif_is_map_1(Process *p, const Term *args) { return bool_term(is_map(args[0])); }

/* The arity a fun term is called with: a closure's FunEntry or an export's MFA. */
static size_t fun_arity(Term fun)
{
    const Term *obj = boxed_val(fun);
    if (header_subtag(obj[0]) == HDR_EXPORT) return ((const Export *)obj[1])->arity;
    return ((const FunEntry *)obj[1])->arity;
}

/*
 * is_function(F, Arity): Arity must be a non-negative integer (badarg
 * otherwise, even when F is no fun); a positive bignum is simply no fun's
 * arity.
 */
Term bif_is_function_2(Process *p, const Term *args)
{
    Term fun = args[0], arity = args[1];
    if (is_small(arity)) {
        if (small_val(arity) < 0) return bif_error(p, AM_badarg);
        return bool_term(is_fun(fun) && fun_arity(fun) == (size_t)small_val(arity));
    }
    if (is_big(arity) && header_subtag(boxed_val(arity)[0]) == HDR_POS_BIG) return AM_false;
    return bif_error(p, AM_badarg);
}
