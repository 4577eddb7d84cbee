/*
 * exports.h - writing profiles in the formats of include/erbium/profiler.h
 * other than report.c's call_count/call_time table and JSON: samples as a
 * table and JSON (export_sample.c), folded stacks for flamegraph.pl
 * (export_folded.c), speedscope's file format (export_speedscope.c) and
 * pprof's (export_pprof.c), the latter three for call_count/call_time
 * snapshots too.
 */
#ifndef ERBIUM_PROFILER_EXPORTS_H
#define ERBIUM_PROFILER_EXPORTS_H

#include "erbium/profiler.h"

/* "mod:fun/arity" ("(waiting)" for the waiting marker). */
void export_frame_name(char *buf, size_t size, const ErbProfFrame *f);
/* The name of a stack's group in a view: "<0.N.S>", "scheduler N", "dirty scheduler N"; "" per function. */
void export_group_name(char *buf, size_t size, ErbProfView view, uint64_t pid, int scheduler);
/* s as a JSON string. */
void export_json_string(FILE *out, const char *s);

void export_sample_table(FILE *out, const ErbProfSamples *s, ErbProfView view);
void export_sample_json(FILE *out, const ErbProfSamples *s, ErbProfView view);

/* flamegraph.pl's input: "group;root;...;leaf count" per line, in byte order, equal lines merged. */
int export_folded_samples(FILE *out, const ErbProfSamples *s, ErbProfView view);
/* One line per function (and group): its own time in us, or its calls without call_time data. */
int export_folded_snapshot(FILE *out, const ErbProfSnapshot *s, ErbProfView view);

/* A sampled profile per group, stacks root first, weighted by their counts. */
int export_speedscope_samples(FILE *out, const ErbProfSamples *s, ErbProfView view);
/* A flat sampled profile per group: one single-frame sample per function, weighted by its own
   time in microseconds (or by its calls without call_time data). */
int export_speedscope_snapshot(FILE *out, const ErbProfSnapshot *s, ErbProfView view);

/* pprof's format (gzipped profile.proto): samples with counts and CPU time, leaf first. */
int export_pprof_samples(FILE *out, const ErbProfSamples *s, ErbProfView view);
/* A flat pprof profile: one sample per function (and group) with its calls and own time. */
int export_pprof_snapshot(FILE *out, const ErbProfSnapshot *s, ErbProfView view);

#endif
