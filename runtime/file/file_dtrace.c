/*
 * file_dtrace.c - erlang:dt_spread_tag/1 and dt_restore_tag/1, which
 * file.erl and file_io_server call around every request to carry a
 * DTrace tag. erbium is built without DTrace probes, like OTP's default
 * build, where both answer true and do nothing else.
 */
#include "runtime/bif/bif.h"

Term bif_dt_spread_tag_1(Process *p, const Term *args)
{
    if (args[0] != AM_true && args[0] != AM_false) return bif_error(p, AM_badarg);
    return AM_true;
}

Term bif_dt_restore_tag_1(Process *p, const Term *args)
{
    /* only the tag dt_spread_tag/1 handed out, which is always true here */
    if (args[0] != AM_true) return bif_error(p, AM_badarg);
    return AM_true;
}
