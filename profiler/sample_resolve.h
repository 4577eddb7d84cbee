/*
 * sample_resolve.h - sampled frame words to {M, F, A, line} frames, each
 * distinct frame once (a table the exports share: speedscope and pprof
 * want frames by index). Code addresses are looked up in the loaded
 * modules, so the caller reads as a profiler reader does (sample_table.h);
 * an address in no module (a return stub, purged code) has no frame.
 */
#ifndef ERBIUM_SAMPLE_RESOLVE_H
#define ERBIUM_SAMPLE_RESOLVE_H

#include "erbium/profiler.h"
#include "profiler/sample_stack.h"

typedef struct SampleFrames {
    ErbProfFrame *v; /* the distinct frames */
    size_t n, cap;
    /* open-addressing maps: frame word -> index + 1 (0: free; -1: the word has no frame),
       and frame -> index + 1, merging words that resolve to the same frame */
    SampleFrame *word_key;
    int64_t *word_ix;
    uint32_t *frame_ix;
    size_t word_cap, words, frame_cap;
    bool failed; /* out of memory */
} SampleFrames;

void sample_frames_init(SampleFrames *t);
/* Frees the maps; keeps t->v (the caller owns it) unless `all`. */
void sample_frames_free(SampleFrames *t, bool all);
/* The index of f's frame in t->v, or -1 if f has none (or memory ran out: t->failed). */
int64_t sample_frames_index(SampleFrames *t, SampleFrame f);

#endif
