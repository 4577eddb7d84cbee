/* sample_stack.c - taking and hashing sampled stacks (see sample_stack.h). */
#include "profiler/sample_stack.h"

size_t sample_stack_walk(const Process *p, const Export *native, bool waiting, SampleFrame *out, bool *truncated)
{
    size_t n = 0;
    if (waiting) out[n++] = SAMPLE_WAITING;
    if (native) out[n++] = (SampleFrame)native | SAMPLE_NATIVE;
    if (p->i) out[n++] = (SampleFrame)p->i;
    const BeamInstr *prev = p->i;
    *truncated = false;
    for (const Term *sp = p->stop; sp < p->hend; sp++) {
        if (!is_header(*sp)) continue;
        const BeamInstr *ret = (const BeamInstr *)*sp;
        if (ret == prev) continue;
        prev = ret;
        if (n == SAMPLE_MAX_FRAMES) {
            *truncated = true;
            break;
        }
        out[n++] = (SampleFrame)(ret - 1);
    }
    return n;
}

uint64_t sample_stack_hash(Term pid, const SampleFrame *f, size_t n)
{
    uint64_t h = (uint64_t)pid * 0x9E3779B97F4A7C15ull ^ n;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint64_t)f[i];
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
    }
    return h ? h : 1;
}
