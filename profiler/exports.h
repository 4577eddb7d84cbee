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

/* What a snapshot's profiles weigh: own time when an entry has call_time data, else
   heap words when one has call_memory data, else calls (report.c). */
typedef enum ExportMeasure { EXPORT_CALLS, EXPORT_TIME, EXPORT_MEMORY } ExportMeasure;
ExportMeasure export_measure(const ErbProfSnapshot *s);
/* An entry's weight by m: own time in ns, words (none below 0), or calls. */
uint64_t export_weight(const ErbProfEntry *e, ExportMeasure m);
/* The calls that go with the weight: call_time's, call_memory's, or call_count's. */
uint64_t export_calls(const ErbProfEntry *e, ExportMeasure m);

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
/* One line per function (and group): its own time in us, its words, or its calls (export_measure). */
int export_folded_snapshot(FILE *out, const ErbProfSnapshot *s, ErbProfView view);

/* A sampled profile per group, stacks root first, weighted by their counts. */
int export_speedscope_samples(FILE *out, const ErbProfSamples *s, ErbProfView view);
/* A flat sampled profile per group: one single-frame sample per function, weighted by its own
   time in microseconds, its allocation in bytes, or its calls (export_measure). */
int export_speedscope_snapshot(FILE *out, const ErbProfSnapshot *s, ErbProfView view);

/* pprof's format (gzipped profile.proto): samples with counts and CPU time, leaf first. */
int export_pprof_samples(FILE *out, const ErbProfSamples *s, ErbProfView view);
/* A flat pprof profile: one sample per function (and group) with its calls and own time or
   allocated bytes. */
int export_pprof_snapshot(FILE *out, const ErbProfSnapshot *s, ErbProfView view);

#endif
