/*
 * sample_stack.h - a process's call stack as a sampled stack: raw frame
 * words, cheap to take and to hash, resolved to {M, F, A, Line} only when
 * a profile is read (sample_resolve.h).
 *
 * A frame word is a code address inside the frame's function (the
 * instruction the process is at, or a return address minus one, which lies
 * in the call instruction and so gives the call's line), or a native frame
 * (the Export of a BIF or NIF in progress, tagged SAMPLE_NATIVE), or
 * SAMPLE_WAITING on top of a stack sampled while the process waited in
 * receive. Frames go innermost first.
 */
#ifndef ERBIUM_SAMPLE_STACK_H
#define ERBIUM_SAMPLE_STACK_H

#include "runtime/loader/export.h"
#include "runtime/proc/process.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uintptr_t SampleFrame;

#define SAMPLE_MAX_FRAMES 128 /* deeper stacks keep their innermost frames */
#define SAMPLE_NATIVE ((SampleFrame)1)
#define SAMPLE_WAITING ((SampleFrame)2)

static inline bool sample_frame_is_native(SampleFrame f) { return (f & 7) == SAMPLE_NATIVE; }
static inline const Export *sample_frame_export(SampleFrame f) { return (const Export *)(f & ~(SampleFrame)7); }

/*
 * Walks p's stack (p is not running, or is the caller's own process with
 * p->i and p->stop written back): `native` (or NULL) on top, then the code
 * at p->i, then one frame per return address. As in OTP's stack traces, a
 * return address equal to the one before is left out (a body recursion
 * through one call site shows once). Returns the number of frames written
 * to out (at most SAMPLE_MAX_FRAMES); *truncated tells whether some were
 * left out for lack of room.
 */
size_t sample_stack_walk(const Process *p, const Export *native, bool waiting, SampleFrame *out, bool *truncated);

/* A hash of a stack and the process it was taken in; never 0. */
uint64_t sample_stack_hash(Term pid, const SampleFrame *f, size_t n);

#endif
