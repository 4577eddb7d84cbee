/*
 * export_pprof.c - pprof's format: a gzipped profile.proto message
 * (profiler/pprof.proto, encoded by libprotobuf-c's generated code).
 *
 * Samples: sample types samples/count and cpu/nanoseconds (count times the
 * sampling period), one Location per frame (its line), one Function per
 * {M, F, A} ("mod:fun/arity", file "mod.erl"), location ids leaf first;
 * per process or scheduler a label ("pid" or "scheduler") says whose a
 * sample is. A call_count/call_time/call_memory snapshot is flat: one
 * sample per function (and process or scheduler) with its calls and own
 * time, or with its calls and the bytes it allocated (alloc_space/bytes).
 */
#include "profiler/exports.h"

#include "pprof.pb-c.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

/* The string table, each string once (pprof refers to strings by index). */
typedef struct Strings {
    char **v;
    size_t n, cap;
    size_t *map; /* open addressing: index + 1 */
    size_t map_cap;
    bool failed;
} Strings;

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static size_t map_pos(const Strings *t, const char *s)
{
    size_t i = (size_t)str_hash(s) & (t->map_cap - 1);
    while (t->map[i] && strcmp(t->v[t->map[i] - 1], s)) i = (i + 1) & (t->map_cap - 1);
    return i;
}

static bool grow_strings(Strings *t)
{
    size_t cap = t->map_cap ? t->map_cap * 2 : 1024;
    size_t *map = calloc(cap, sizeof *map);
    char **v = realloc(t->v, cap / 2 * sizeof *v);
    if (!map || !v) {
        free(map);
        if (v) t->v = v;
        return false;
    }
    t->v = v;
    t->cap = cap / 2;
    free(t->map);
    t->map = map;
    t->map_cap = cap;
    for (size_t k = 0; k < t->n; k++) t->map[map_pos(t, t->v[k])] = k + 1;
    return true;
}

static int64_t str_index(Strings *t, const char *s)
{
    if (t->failed) return 0;
    if (t->n + 1 > t->cap && !grow_strings(t)) {
        t->failed = true;
        return 0;
    }
    size_t i = map_pos(t, s);
    if (t->map[i]) return (int64_t)t->map[i] - 1;
    if (!(t->v[t->n] = strdup(s))) {
        t->failed = true;
        return 0;
    }
    t->map[i] = ++t->n;
    return (int64_t)t->n - 1;
}

static void strings_free(Strings *t)
{
    for (size_t k = 0; k < t->n; k++) free(t->v[k]);
    free(t->v);
    free(t->map);
}

/* Everything a profile message points to, freed together. */
typedef struct Builder {
    Perftools__Profiles__Profile prof;
    Strings strings;
    Perftools__Profiles__ValueType types[2], period_type;
    Perftools__Profiles__ValueType *type_ptrs[2];
    Perftools__Profiles__Function *funcs;
    Perftools__Profiles__Function **func_ptrs;
    Perftools__Profiles__Location *locs;
    Perftools__Profiles__Location **loc_ptrs;
    Perftools__Profiles__Line *lines;
    Perftools__Profiles__Line **line_ptrs;
    Perftools__Profiles__Sample *samples;
    Perftools__Profiles__Sample **sample_ptrs;
    Perftools__Profiles__Label *labels;
    Perftools__Profiles__Label **label_ptrs;
    uint64_t *loc_ids;
    int64_t *values;
    size_t nfuncs;
    uint64_t *fid_of_string; /* a function's id by its name's string index (0: none yet) */
    size_t fid_cap;
} Builder;

static void builder_free(Builder *b)
{
    strings_free(&b->strings);
    free(b->funcs);
    free(b->func_ptrs);
    free(b->locs);
    free(b->loc_ptrs);
    free(b->lines);
    free(b->line_ptrs);
    free(b->samples);
    free(b->sample_ptrs);
    free(b->labels);
    free(b->label_ptrs);
    free(b->loc_ids);
    free(b->values);
    free(b->fid_of_string);
}

static void value_type(Builder *b, Perftools__Profiles__ValueType *vt, const char *type, const char *unit)
{
    perftools__profiles__value_type__init(vt);
    vt->type = str_index(&b->strings, type);
    vt->unit = str_index(&b->strings, unit);
}

static void set_types(Builder *b, size_t n, const char *const *names)
{
    for (size_t k = 0; k < n; k++) {
        value_type(b, &b->types[k], names[2 * k], names[2 * k + 1]);
        b->type_ptrs[k] = &b->types[k];
    }
    b->prof.n_sample_type = n;
    b->prof.sample_type = b->type_ptrs;
}

/* The id of the function named `name` (file module.erl), added if new; funcs has room. */
static uint64_t function_id(Builder *b, const char *name, const char *module)
{
    size_t name_ix = (size_t)str_index(&b->strings, name);
    if (name_ix >= b->fid_cap) {
        size_t cap = (name_ix + 1) * 2;
        uint64_t *v = realloc(b->fid_of_string, cap * sizeof *v);
        if (!v) {
            b->strings.failed = true;
            return 0;
        }
        memset(v + b->fid_cap, 0, (cap - b->fid_cap) * sizeof *v);
        b->fid_of_string = v;
        b->fid_cap = cap;
    }
    if (b->fid_of_string[name_ix]) return b->fid_of_string[name_ix];
    char file[300];
    snprintf(file, sizeof file, "%s.erl", module);
    Perftools__Profiles__Function *f = &b->funcs[b->nfuncs];
    perftools__profiles__function__init(f);
    f->id = ++b->nfuncs;
    f->name = f->system_name = (int64_t)name_ix;
    f->filename = str_index(&b->strings, file);
    b->func_ptrs[f->id - 1] = f;
    b->fid_of_string[name_ix] = f->id;
    return f->id;
}

/* Packs, gzips and writes the profile. */
static int write_gzipped(FILE *out, const Perftools__Profiles__Profile *prof)
{
    size_t size = perftools__profiles__profile__get_packed_size(prof);
    uint8_t *raw = malloc(size + 1);
    uLong bound = compressBound((uLong)size) + 64;
    uint8_t *gz = malloc(bound);
    int rc = -1;
    z_stream z = {0};
    if (raw && gz && deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK) {
        perftools__profiles__profile__pack(prof, raw);
        z.next_in = raw;
        z.avail_in = (uInt)size;
        z.next_out = gz;
        z.avail_out = (uInt)bound;
        if (deflate(&z, Z_FINISH) == Z_STREAM_END && fwrite(gz, 1, z.total_out, out) == z.total_out) rc = 0;
        deflateEnd(&z);
    }
    free(raw);
    free(gz);
    return rc;
}

static void add_label(Builder *b, Perftools__Profiles__Sample *smp, size_t k, ErbProfView view, uint64_t pid,
                      int scheduler)
{
    if (view == ERB_PROF_PER_FUNCTION) return;
    Perftools__Profiles__Label *l = &b->labels[k];
    perftools__profiles__label__init(l);
    char name[64];
    export_group_name(name, sizeof name, view, pid, scheduler);
    l->key = str_index(&b->strings, view == ERB_PROF_PER_PROCESS ? "pid" : "scheduler");
    l->str = str_index(&b->strings, name);
    b->label_ptrs[k] = l;
    smp->n_label = 1;
    smp->label = &b->label_ptrs[k];
}

static bool alloc_all(Builder *b, size_t nfuncs, size_t nlocs, size_t nsamples, size_t nlocids, size_t nvalues)
{
    b->funcs = calloc(nfuncs + 1, sizeof *b->funcs);
    b->func_ptrs = calloc(nfuncs + 1, sizeof *b->func_ptrs);
    b->locs = calloc(nlocs + 1, sizeof *b->locs);
    b->loc_ptrs = calloc(nlocs + 1, sizeof *b->loc_ptrs);
    b->lines = calloc(nlocs + 1, sizeof *b->lines);
    b->line_ptrs = calloc(nlocs + 1, sizeof *b->line_ptrs);
    b->samples = calloc(nsamples + 1, sizeof *b->samples);
    b->sample_ptrs = calloc(nsamples + 1, sizeof *b->sample_ptrs);
    b->labels = calloc(nsamples + 1, sizeof *b->labels);
    b->label_ptrs = calloc(nsamples + 1, sizeof *b->label_ptrs);
    b->loc_ids = calloc(nlocids + 1, sizeof *b->loc_ids);
    b->values = calloc(nvalues + 1, sizeof *b->values);
    return b->funcs && b->func_ptrs && b->locs && b->loc_ptrs && b->lines && b->line_ptrs && b->samples &&
           b->sample_ptrs && b->labels && b->label_ptrs && b->loc_ids && b->values;
}

/* Location `id` (1-based) for one line of function fid. */
static void set_location(Builder *b, size_t id, uint64_t fid, int64_t line)
{
    Perftools__Profiles__Location *loc = &b->locs[id - 1];
    Perftools__Profiles__Line *ln = &b->lines[id - 1];
    perftools__profiles__location__init(loc);
    perftools__profiles__line__init(ln);
    ln->function_id = fid;
    ln->line = line;
    b->line_ptrs[id - 1] = ln;
    loc->id = id;
    loc->n_line = 1;
    loc->line = &b->line_ptrs[id - 1];
    b->loc_ptrs[id - 1] = loc;
}

static void begin(Builder *b)
{
    memset(b, 0, sizeof *b);
    perftools__profiles__profile__init(&b->prof);
    str_index(&b->strings, ""); /* string 0 */
    b->prof.time_nanos = (int64_t)time(NULL) * 1000000000;
}

static int finish(FILE *out, Builder *b, size_t nlocs, size_t nsamples)
{
    b->prof.n_function = b->nfuncs;
    b->prof.function = b->func_ptrs;
    b->prof.n_location = nlocs;
    b->prof.location = b->loc_ptrs;
    b->prof.n_sample = nsamples;
    b->prof.sample = b->sample_ptrs;
    b->prof.n_string_table = b->strings.n;
    b->prof.string_table = b->strings.v;
    int rc = b->strings.failed ? -1 : write_gzipped(out, &b->prof);
    builder_free(b);
    return rc;
}

int export_pprof_samples(FILE *out, const ErbProfSamples *s, ErbProfView view)
{
    Builder b;
    begin(&b);
    size_t nlocids = 0;
    for (size_t i = 0; i < s->n; i++) nlocids += s->stacks[i].n;
    if (!alloc_all(&b, s->nframes, s->nframes, s->n, nlocids, 2 * s->n)) {
        builder_free(&b);
        return -1;
    }
    static const char *const types[] = {"samples", "count", "cpu", "nanoseconds"};
    set_types(&b, 2, types);
    int64_t period = s->rate_hz ? 1000000000 / s->rate_hz : 0;
    value_type(&b, &b.period_type, "cpu", "nanoseconds");
    b.prof.period_type = &b.period_type;
    b.prof.period = period;
    for (size_t k = 0; k < s->nframes; k++) {
        char name[600];
        export_frame_name(name, sizeof name, &s->frames[k]);
        set_location(&b, k + 1, function_id(&b, name, s->frames[k].module), s->frames[k].line);
    }
    uint64_t *ids = b.loc_ids;
    for (size_t i = 0; i < s->n; i++) {
        const ErbProfStack *st = &s->stacks[i];
        Perftools__Profiles__Sample *smp = &b.samples[i];
        perftools__profiles__sample__init(smp);
        for (size_t k = 0; k < st->n; k++) ids[k] = st->frames[k] + 1; /* leaf first, as pprof wants */
        smp->n_location_id = st->n;
        smp->location_id = ids;
        ids += st->n;
        smp->n_value = 2;
        smp->value = &b.values[2 * i];
        smp->value[0] = (int64_t)st->count;
        smp->value[1] = (int64_t)st->count * period;
        add_label(&b, smp, i, view, st->pid, st->scheduler);
        b.sample_ptrs[i] = smp;
    }
    return finish(out, &b, s->nframes, s->n);
}

int export_pprof_snapshot(FILE *out, const ErbProfSnapshot *s, ErbProfView view)
{
    ExportMeasure m = export_measure(s);
    Builder b;
    begin(&b);
    if (!alloc_all(&b, s->n, s->n, s->n, s->n, 2 * s->n)) {
        builder_free(&b);
        return -1;
    }
    static const char *const time_types[] = {"calls", "count", "time", "nanoseconds"};
    static const char *const memory_types[] = {"calls", "count", "alloc_space", "bytes"};
    set_types(&b, m == EXPORT_CALLS ? 1 : 2, m == EXPORT_MEMORY ? memory_types : time_types);
    for (size_t i = 0; i < s->n; i++) {
        const ErbProfEntry *e = &s->entries[i];
        char name[600];
        snprintf(name, sizeof name, "%s:%s/%u", e->module, e->function, e->arity);
        set_location(&b, i + 1, function_id(&b, name, e->module), 0);
        Perftools__Profiles__Sample *smp = &b.samples[i];
        perftools__profiles__sample__init(smp);
        b.loc_ids[i] = i + 1;
        smp->n_location_id = 1;
        smp->location_id = &b.loc_ids[i];
        smp->n_value = m == EXPORT_CALLS ? 1 : 2;
        smp->value = &b.values[2 * i];
        smp->value[0] = (int64_t)export_calls(e, m);
        smp->value[1] = m == EXPORT_MEMORY ? e->words * (int64_t)sizeof(uint64_t) : (int64_t)e->time_ns;
        add_label(&b, smp, i, view, e->pid, e->scheduler);
        b.sample_ptrs[i] = smp;
    }
    return finish(out, &b, s->n, s->n);
}
