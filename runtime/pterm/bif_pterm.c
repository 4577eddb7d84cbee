/*
 * bif_pterm.c - the persistent_term module (OTP implements it in C too; the
 * store is pterm.c). Values are returned as stored, without a copy.
 */
#include "runtime/bif/bif.h"
#include "runtime/pterm/pterm.h"

#include "runtime/term/map.h"

Term bif_persistent_term_put_2(Process *p, const Term *args)
{
    pterm_put(args[0], args[1]);
    return AM_ok;
}

/* get(Key): badarg when Key has no value, as in OTP. */
Term bif_persistent_term_get_1(Process *p, const Term *args)
{
    Term v = pterm_get(args[0]);
    return v != THE_NON_VALUE ? v : bif_error(p, AM_badarg);
}

Term bif_persistent_term_get_2(Process *p, const Term *args)
{
    Term v = pterm_get(args[0]);
    return v != THE_NON_VALUE ? v : args[1];
}

Term bif_persistent_term_get_0(Process *p, const Term *args) { return pterm_all(p); }

Term bif_persistent_term_erase_1(Process *p, const Term *args)
{
    return pterm_erase(args[0]) ? AM_true : AM_false;
}

/* info(): #{count => N, memory => Bytes} */
Term bif_persistent_term_info_0(Process *p, const Term *args)
{
    size_t count, bytes;
    pterm_info(&count, &bytes);
    Term keys[2] = {AM_count, AM_memory}, values[2] = {make_small((intptr_t)count), make_small((intptr_t)bytes)};
    return map_from_pairs(p, keys, values, 2);
}
