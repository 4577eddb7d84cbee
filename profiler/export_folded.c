/*
 * export_folded.c - folded stacks, the input of flamegraph.pl: one line
 * per stack, its frames root first separated by ';', a space and its
 * count. The group (process or scheduler) is the root frame in those
 * views; a stack cut to its innermost frames starts with "(truncated)".
 * Lines are sorted, and lines that came out equal (frames at different
 * lines of a function print alike) are merged.
 */
#include "profiler/exports.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct Line {
    char *text;
    uint64_t count;
} Line;

static int cmp_lines(const void *a, const void *b) { return strcmp(((const Line *)a)->text, ((const Line *)b)->text); }

/* Sorts, merges and prints lines[0..n), freeing their texts. */
static int print_lines(FILE *out, Line *lines, size_t n)
{
    qsort(lines, n, sizeof *lines, cmp_lines);
    for (size_t i = 0; i < n;) {
        uint64_t count = 0;
        size_t j = i;
        while (j < n && !strcmp(lines[j].text, lines[i].text)) count += lines[j++].count;
        if (count) fprintf(out, "%s %" PRIu64 "\n", lines[i].text, count);
        for (size_t k = i; k < j; k++) free(lines[k].text);
        i = j;
    }
    free(lines);
    return ferror(out) ? -1 : 0;
}

/* Appends "sep name" to the growing string *buf. */
static bool append(char **buf, size_t *len, size_t *cap, const char *name)
{
    size_t add = strlen(name) + 1;
    if (*len + add + 1 > *cap) {
        size_t c = (*len + add + 1) * 2;
        char *nb = realloc(*buf, c);
        if (!nb) return false;
        *buf = nb;
        *cap = c;
    }
    if (*len) (*buf)[(*len)++] = ';';
    memcpy(*buf + *len, name, add);
    *len += add - 1;
    return true;
}

/* Every distinct frame's name, made once (a profile has far fewer frames than stacks). */
static char **frame_names(const ErbProfSamples *s)
{
    char **names = calloc(s->nframes + 1, sizeof *names);
    if (!names) return NULL;
    for (size_t i = 0; i < s->nframes; i++) {
        char name[600];
        export_frame_name(name, sizeof name, &s->frames[i]);
        if (!(names[i] = strdup(name))) {
            for (size_t k = 0; k < i; k++) free(names[k]);
            free(names);
            return NULL;
        }
    }
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* The folded text of a stack (root first). */
static char *stack_text(char *const *names, const ErbProfStack *st, ErbProfView view)
{
    char *buf = NULL, group[64];
    size_t len = 0, cap = 0;
    bool ok = true;
    export_group_name(group, sizeof group, view, st->pid, st->scheduler);
    if (*group) ok = append(&buf, &len, &cap, group);
    if (ok && st->truncated) ok = append(&buf, &len, &cap, "(truncated)");
    for (size_t k = st->n; ok && k > 0; k--) ok = append(&buf, &len, &cap, names[st->frames[k - 1]]);
    if (ok && !buf) ok = append(&buf, &len, &cap, "(no frames)");
    if (!ok) free(buf);
    return ok ? buf : NULL;
}

static void free_lines(Line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) free(lines[i].text);
    free(lines);
}

int export_folded_samples(FILE *out, const ErbProfSamples *s, ErbProfView view)
{
    Line *lines = calloc(s->n + 1, sizeof *lines);
    char **names = frame_names(s);
    if (!lines || !names) {
        free(lines);
        if (names) free_names(names, s->nframes);
        return -1;
    }
    for (size_t i = 0; i < s->n; i++) {
        lines[i] = (Line){stack_text(names, &s->stacks[i], view), s->stacks[i].count};
        if (!lines[i].text) {
            free_lines(lines, i);
            free_names(names, s->nframes);
            return -1;
        }
    }
    free_names(names, s->nframes);
    return print_lines(out, lines, s->n);
}

int export_folded_snapshot(FILE *out, const ErbProfSnapshot *s, ErbProfView view)
{
    ExportMeasure m = export_measure(s);
    Line *lines = calloc(s->n + 1, sizeof *lines);
    if (!lines) return -1;
    for (size_t i = 0; i < s->n; i++) {
        const ErbProfEntry *e = &s->entries[i];
        char group[64], text[700];
        export_group_name(group, sizeof group, view, e->pid, e->scheduler);
        snprintf(text, sizeof text, "%s%s%s:%s/%u", group, *group ? ";" : "", e->module, e->function, e->arity);
        uint64_t w = export_weight(e, m);
        lines[i] = (Line){strdup(text), m == EXPORT_TIME ? (w + 500) / 1000 : w};
        if (!lines[i].text) {
            free_lines(lines, i);
            return -1;
        }
    }
    return print_lines(out, lines, s->n);
}
