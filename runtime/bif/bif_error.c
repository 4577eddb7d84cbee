/*
 * bif_error.c - BIF exceptions that carry an error_info cause (see bif.h).
 */
#include "runtime/bif/bif.h"

#include "runtime/proc/heap.h"
#include "runtime/term/map.h"

Term bif_error_cause(Process *p, Term reason, Term cause)
{
    Term key = AM_cause;
    p->ferror_info = heap_tuple2(p, AM_error_info, map_from_pairs(p, &key, &cause, 1));
    return bif_error(p, reason);
}
