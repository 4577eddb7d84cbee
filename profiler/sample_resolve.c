/* sample_resolve.c - frame words to frames (see sample_resolve.h). */
#include "profiler/sample_resolve.h"

#include "runtime/loader/module.h"
#include "runtime/term/atom.h"

#include <stdlib.h>
#include <string.h>

void sample_frames_init(SampleFrames *t) { memset(t, 0, sizeof *t); }

void sample_frames_free(SampleFrames *t, bool all)
{
    free(t->word_key);
    free(t->word_ix);
    free(t->frame_ix);
    if (all) free(t->v);
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

static uint64_t frame_hash(const ErbProfFrame *f)
{
    return mix((uintptr_t)f->module * 31 + (uintptr_t)f->function * 7 + f->arity * 131 + (uint64_t)f->line * 8191 +
               f->kind);
}

static bool same_frame(const ErbProfFrame *a, const ErbProfFrame *b)
{
    /* names are atom texts: equal names are the same pointer */
    return a->module == b->module && a->function == b->function && a->arity == b->arity && a->line == b->line &&
           a->kind == b->kind;
}

/* The frame-map position of f: its index + 1 there, or 0 where it would go. */
static size_t frame_pos(const SampleFrames *t, const ErbProfFrame *f)
{
    size_t i = (size_t)frame_hash(f) & (t->frame_cap - 1);
    while (t->frame_ix[i] && !same_frame(&t->v[t->frame_ix[i] - 1], f)) i = (i + 1) & (t->frame_cap - 1);
    return i;
}

static bool grow_frames(SampleFrames *t)
{
    size_t cap = t->frame_cap ? t->frame_cap * 2 : 256;
    uint32_t *ix = calloc(cap, sizeof *ix);
    ErbProfFrame *v = realloc(t->v, cap / 2 * sizeof *v);
    if (!ix || !v) {
        free(ix);
        if (v) t->v = v;
        return false;
    }
    t->v = v;
    free(t->frame_ix);
    t->frame_ix = ix;
    t->frame_cap = cap;
    t->cap = cap / 2;
    for (size_t k = 0; k < t->n; k++) t->frame_ix[frame_pos(t, &t->v[k])] = (uint32_t)k + 1;
    return true;
}

static int64_t intern(SampleFrames *t, const ErbProfFrame *f)
{
    if (t->n + 1 > t->cap && !grow_frames(t)) return -1;
    size_t i = frame_pos(t, f);
    if (t->frame_ix[i]) return t->frame_ix[i] - 1;
    t->v[t->n] = *f;
    t->frame_ix[i] = (uint32_t)++t->n;
    return (int64_t)t->n - 1;
}

/* The frame of word f; false if it has none. */
static bool resolve(SampleFrame f, ErbProfFrame *out)
{
    if (f == SAMPLE_WAITING) {
        *out = (ErbProfFrame){"(waiting)", "(waiting)", 0, 0, ERB_PROF_FRAME_WAITING};
        return true;
    }
    if (sample_frame_is_native(f)) {
        const Export *e = sample_frame_export(f);
        *out = (ErbProfFrame){atom_text(e->module), atom_text(e->function), e->arity, 0, ERB_PROF_FRAME_NATIVE};
        return true;
    }
    Module *m;
    const BeamInstr *pc = (const BeamInstr *)f;
    const FuncRange *fr = module_func_at(pc, &m);
    if (!fr) return false;
    uint32_t file, line;
    module_location(m, pc, &file, &line);
    *out = (ErbProfFrame){atom_text(m->name), atom_text(fr->function), fr->arity, line, ERB_PROF_FRAME_ERLANG};
    return true;
}

static size_t word_pos(const SampleFrames *t, SampleFrame f)
{
    size_t i = (size_t)mix(f) & (t->word_cap - 1);
    while (t->word_ix[i] && t->word_key[i] != f) i = (i + 1) & (t->word_cap - 1);
    return i;
}

static bool grow_words(SampleFrames *t)
{
    size_t cap = t->word_cap ? t->word_cap * 2 : 1024;
    SampleFrames bigger = *t;
    bigger.word_key = calloc(cap, sizeof *bigger.word_key);
    bigger.word_ix = calloc(cap, sizeof *bigger.word_ix);
    bigger.word_cap = cap;
    if (!bigger.word_key || !bigger.word_ix) {
        free(bigger.word_key);
        free(bigger.word_ix);
        return false;
    }
    for (size_t i = 0; i < t->word_cap; i++) {
        if (!t->word_ix[i]) continue;
        size_t j = word_pos(&bigger, t->word_key[i]);
        bigger.word_key[j] = t->word_key[i];
        bigger.word_ix[j] = t->word_ix[i];
    }
    free(t->word_key);
    free(t->word_ix);
    *t = bigger;
    return true;
}

int64_t sample_frames_index(SampleFrames *t, SampleFrame f)
{
    if ((t->words + 1) * 2 > t->word_cap && !grow_words(t)) {
        t->failed = true;
        return -1;
    }
    size_t i = word_pos(t, f);
    if (t->word_ix[i]) return t->word_ix[i] > 0 ? t->word_ix[i] - 1 : -1;
    ErbProfFrame fr;
    int64_t ix = -1;
    if (resolve(f, &fr) && (ix = intern(t, &fr)) < 0) {
        t->failed = true;
        return -1;
    }
    t->word_key[i] = f;
    t->word_ix[i] = ix >= 0 ? ix + 1 : -1;
    t->words++;
    return ix;
}
