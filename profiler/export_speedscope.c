/*
 * export_speedscope.c - speedscope's file format
 * (https://www.speedscope.app/file-format-schema.json): the frames shared
 * by every profile, then one "sampled" profile per group (process,
 * scheduler, or one in all), each sample a stack of frame indices root
 * first with a weight. Samples weigh their counts (unit "none"); a
 * call_time snapshot becomes a flat profile, one single-frame sample per
 * function weighing its own time (unit "microseconds"), or its calls for
 * call_count alone.
 */
#include "profiler/exports.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void begin_file(FILE *out) { fprintf(out, "{\"$schema\": \"https://www.speedscope.app/file-format-schema.json\",\n"); }

static void end_file(FILE *out, const char *name)
{
    fprintf(out, "],\n \"name\": ");
    export_json_string(out, name);
    fprintf(out, ", \"activeProfileIndex\": 0, \"exporter\": \"erbium\"}\n");
}

static void begin_profile(FILE *out, bool first, const char *name, const char *unit, uint64_t total)
{
    fprintf(out, "%s\n  {\"type\": \"sampled\", \"name\": ", first ? "" : ",");
    export_json_string(out, name);
    fprintf(out, ", \"unit\": \"%s\", \"startValue\": 0, \"endValue\": %" PRIu64 ",\n   \"samples\": [", unit, total);
}

static void print_weights(FILE *out, const uint64_t *w, size_t n)
{
    fprintf(out, "],\n   \"weights\": [");
    for (size_t i = 0; i < n; i++) fprintf(out, "%s%" PRIu64, i ? ", " : "", w[i]);
    fprintf(out, "]}");
}

static int64_t group_key(const ErbProfStack *st) { return (int64_t)st->pid * 4096 + st->scheduler; }

static int cmp_groups(const void *a, const void *b)
{
    int64_t x = group_key(a), y = group_key(b);
    return x < y ? -1 : x > y;
}

int export_speedscope_samples(FILE *out, const ErbProfSamples *s, ErbProfView view)
{
    ErbProfStack *v = malloc((s->n + 1) * sizeof *v);
    uint64_t *w = malloc((s->n + 1) * sizeof *w);
    if (!v || !w) {
        free(v);
        free(w);
        return -1;
    }
    if (s->n) { /* no samples: s->stacks may be NULL */
        memcpy(v, s->stacks, s->n * sizeof *v);
        qsort(v, s->n, sizeof *v, cmp_groups);
    }
    begin_file(out);
    fprintf(out, " \"shared\": {\"frames\": [");
    for (size_t i = 0; i < s->nframes; i++) {
        char name[600];
        export_frame_name(name, sizeof name, &s->frames[i]);
        fprintf(out, "%s\n  {\"name\": ", i ? "," : "");
        export_json_string(out, name);
        if (s->frames[i].line) fprintf(out, ", \"line\": %u", s->frames[i].line);
        fputc('}', out);
    }
    fprintf(out, "]},\n \"profiles\": [");
    for (size_t i = 0; i < s->n || (i == 0 && s->n == 0);) {
        size_t j = i;
        uint64_t total = 0;
        while (j < s->n && group_key(&v[j]) == group_key(&v[i])) total += v[j++].count;
        char group[64];
        if (s->n) export_group_name(group, sizeof group, view, v[i].pid, v[i].scheduler);
        begin_profile(out, i == 0, s->n && *group ? group : "samples", "none", total);
        for (size_t k = i; k < j; k++) {
            fprintf(out, "%s[", k > i ? ", " : "");
            for (size_t f = v[k].n; f > 0; f--) fprintf(out, "%s%u", f < v[k].n ? "," : "", v[k].frames[f - 1]);
            fputc(']', out);
            w[k - i] = v[k].count;
        }
        print_weights(out, w, j - i);
        if (s->n == 0) break;
        i = j;
    }
    end_file(out, "erbium samples");
    free(v);
    free(w);
    return ferror(out) ? -1 : 0;
}

static int64_t entry_group(const ErbProfEntry *e, ErbProfView view)
{
    if (view == ERB_PROF_PER_PROCESS) return (int64_t)e->pid;
    if (view == ERB_PROF_PER_SCHEDULER) return e->scheduler;
    return 0;
}

static ErbProfView sort_view; /* qsort has no context argument */

static int cmp_entries(const void *a, const void *b)
{
    int64_t x = entry_group(a, sort_view), y = entry_group(b, sort_view);
    return x < y ? -1 : x > y;
}

static const ErbProfEntry *name_base; /* the entries sorted by name below */

static int cmp_names(const void *a, const void *b)
{
    const ErbProfEntry *x = &name_base[*(const size_t *)a], *y = &name_base[*(const size_t *)b];
    int c = strcmp(x->module, y->module);
    if (!c) c = strcmp(x->function, y->function);
    return c ? c : (int)x->arity - (int)y->arity;
}

/* Writes the distinct functions of v[0..n) as frames; frame[i] becomes v[i]'s frame index. */
static bool write_function_frames(FILE *out, const ErbProfEntry *v, size_t n, size_t *frame)
{
    size_t *order = malloc((n + 1) * sizeof *order);
    if (!order) return false;
    for (size_t i = 0; i < n; i++) order[i] = i;
    name_base = v;
    qsort(order, n, sizeof *order, cmp_names);
    size_t nframes = 0;
    for (size_t k = 0; k < n; k++) {
        const ErbProfEntry *e = &v[order[k]];
        if (k && !cmp_names(&order[k - 1], &order[k])) {
            frame[order[k]] = nframes - 1;
            continue;
        }
        char name[600];
        snprintf(name, sizeof name, "%s:%s/%u", e->module, e->function, e->arity);
        fprintf(out, "%s\n  {\"name\": ", nframes ? "," : "");
        export_json_string(out, name);
        fputc('}', out);
        frame[order[k]] = nframes++;
    }
    free(order);
    return true;
}

/* A flat profile's weight: own time in us, bytes allocated, or calls. */
static uint64_t flat_weight(const ErbProfEntry *e, ExportMeasure m)
{
    uint64_t w = export_weight(e, m);
    return m == EXPORT_TIME ? (w + 500) / 1000 : m == EXPORT_MEMORY ? w * sizeof(uint64_t) : w;
}

int export_speedscope_snapshot(FILE *out, const ErbProfSnapshot *s, ErbProfView view)
{
    ExportMeasure m = export_measure(s);
    ErbProfEntry *v = malloc((s->n + 1) * sizeof *v);
    size_t *frame = malloc((s->n + 1) * sizeof *frame);
    uint64_t *w = malloc((s->n + 1) * sizeof *w);
    if (!v || !frame || !w) {
        free(v);
        free(frame);
        free(w);
        return -1;
    }
    if (s->n) memcpy(v, s->entries, s->n * sizeof *v); /* no entries: s->entries may be NULL */
    sort_view = view;
    qsort(v, s->n, sizeof *v, cmp_entries);
    begin_file(out);
    fprintf(out, " \"shared\": {\"frames\": [");
    bool ok = write_function_frames(out, v, s->n, frame);
    fprintf(out, "]},\n \"profiles\": [");
    for (size_t i = 0; i < s->n || (i == 0 && s->n == 0);) {
        size_t j = i;
        while (j < s->n && entry_group(&v[j], view) == entry_group(&v[i], view)) j++;
        uint64_t total = 0;
        for (size_t k = i; k < j; k++) total += w[k - i] = flat_weight(&v[k], m);
        char group[64];
        if (s->n) export_group_name(group, sizeof group, view, v[i].pid, v[i].scheduler);
        static const char *const units[] = {"none", "microseconds", "bytes"};
        begin_profile(out, i == 0, s->n && *group ? group : "functions", units[m], total);
        for (size_t k = i; k < j; k++)
            fprintf(out, "%s[%zu]", k > i ? ", " : "", frame[k]);
        print_weights(out, w, j - i);
        if (s->n == 0) break;
        i = j;
    }
    static const char *const names[] = {"erbium call_count", "erbium call_time", "erbium call_memory"};
    end_file(out, names[m]);
    free(v);
    free(frame);
    free(w);
    return !ok || ferror(out) ? -1 : 0;
}
