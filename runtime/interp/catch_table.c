/* catch_table.c - handlers of catch/try (see catch_table.h): fixed segments, lock-free reads. */
#include "runtime/interp/catch_table.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define SEG_BITS 12
#define SEG_SIZE (1u << SEG_BITS)
#define SEG_COUNT 1024 /* up to 4M catch sites: far more than any code base */

static _Atomic(CatchEntry *) segments[SEG_COUNT];
static uint32_t used;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

uint32_t catch_table_add(const BeamInstr *handler, uint32_t yslot)
{
    pthread_mutex_lock(&lock);
    uint32_t index = used;
    uint32_t seg = index >> SEG_BITS;
    if (seg >= SEG_COUNT) {
        pthread_mutex_unlock(&lock);
        return UINT32_MAX;
    }
    CatchEntry *s = atomic_load_explicit(&segments[seg], memory_order_relaxed);
    if (!s) {
        s = calloc(SEG_SIZE, sizeof *s);
        if (!s) abort();
        atomic_store_explicit(&segments[seg], s, memory_order_release);
    }
    s[index & (SEG_SIZE - 1)] = (CatchEntry){handler, yslot};
    used = index + 1;
    pthread_mutex_unlock(&lock);
    return index;
}

const CatchEntry *catch_table_get(uint32_t index)
{
    CatchEntry *s = atomic_load_explicit(&segments[index >> SEG_BITS], memory_order_acquire);
    return &s[index & (SEG_SIZE - 1)];
}
