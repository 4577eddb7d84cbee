/*
 * bif_sample.c - stack sampling from Erlang (the C API's equivalents,
 * include/erbium/profiler.h):
 *   erbium:sample_start(Hz, Waiting) starts sampling from no samples:
 *       Hz per second per scheduler, 1..100000; Waiting (boolean) samples
 *       processes waiting in receive too. ok, or badarg.
 *   erbium:sample_stop()  stops; the samples stay readable. ok
 *   erbium:sample_clear() drops the samples. ok
 *   erbium:samples()      [{Pid, Count, Frames}] per process and distinct
 *       stack, Frames innermost first, each {M, F, A, Line} (Line 0 when
 *       unknown), {M, F, A, native} for a BIF or NIF in progress, or
 *       waiting on top of a stack sampled in receive.
 *   erbium:sample_export(Format, View, File) writes the samples to File
 *       (a string) as table, json, folded, speedscope or pprof, per function,
 *       process or scheduler (View). ok, {error, Posix}, or badarg.
 */
#include "runtime/bif/bif.h"

#include "erbium/profiler.h"
#include "runtime/file/file_name.h"
#include "runtime/file/file_util.h"
#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"

#include <errno.h>
#include <stdio.h>

Term bif_erbium_sample_start_2(Process *p, const Term *args)
{
    if (!is_small(args[0]) || small_val(args[0]) < 1 || small_val(args[0]) > 100000) return bif_error(p, AM_badarg);
    if (args[1] != AM_true && args[1] != AM_false) return bif_error(p, AM_badarg);
    if (erb_prof_sample_start((unsigned)small_val(args[0]), args[1] == AM_true) != 0) return bif_error(p, AM_badarg);
    return AM_ok;
}

Term bif_erbium_sample_stop_0(Process *p, const Term *args)
{
    erb_prof_sample_stop();
    return AM_ok;
}

Term bif_erbium_sample_clear_0(Process *p, const Term *args)
{
    erb_prof_sample_clear();
    return AM_ok;
}

static Term frame_term(Process *p, const ErbProfFrame *f)
{
    if (f->kind == ERB_PROF_FRAME_WAITING) return AM_waiting;
    Term where = f->kind == ERB_PROF_FRAME_NATIVE ? AM_native : make_small(f->line);
    return heap_tuple4(p, atom_from_cstr(f->module), atom_from_cstr(f->function), make_small(f->arity), where);
}

Term bif_erbium_samples_0(Process *p, const Term *args)
{
    ErbProfSamples *s = erb_prof_samples(ERB_PROF_PER_PROCESS);
    if (!s) return bif_error(p, AM_system_limit);
    Term list = NIL;
    for (size_t i = s->n; i > 0; i--) {
        const ErbProfStack *st = &s->stacks[i - 1];
        Term frames = NIL;
        for (size_t k = st->n; k > 0; k--) frames = heap_cons(p, frame_term(p, &s->frames[st->frames[k - 1]]), frames);
        Term count = st->count <= (uint64_t)MAX_SMALL ? make_small((intptr_t)st->count) : make_small(MAX_SMALL);
        list = heap_cons(p, heap_tuple3(p, make_pid(st->pid), count, frames), list);
    }
    erb_prof_samples_free(s);
    return list;
}

Term bif_erbium_sample_export_3(Process *p, const Term *args)
{
    Term formats[] = {AM_table, AM_json, AM_folded, AM_speedscope, AM_pprof};
    Term views[] = {AM_function, AM_process, AM_scheduler};
    int format = -1, view = -1;
    for (int k = 0; k < 5; k++)
        if (args[0] == formats[k]) format = k;
    for (int k = 0; k < 3; k++)
        if (args[1] == views[k]) view = k;
    StrBuf name;
    sb_init(&name);
    if (format < 0 || view < 0 || !file_name_put_chars(&name, args[2]) || !name.data) {
        sb_free(&name);
        return bif_error(p, AM_badarg);
    }
    FILE *out = fopen(name.data, "w");
    sb_free(&name);
    if (!out) return heap_tuple2(p, AM_error, file_errno_atom(errno));
    int rc = erb_prof_sample_report(out, (ErbProfView)view, (ErbProfFormat)format);
    if (fclose(out) != 0) rc = -1;
    return rc == 0 ? AM_ok : heap_tuple2(p, AM_error, AM_system_limit);
}
