/*
 * max_heap.h - the max_heap_size limit (prefix maxheap_), enforced as OTP 25
 * does: when a garbage collection is about to make the heap pass the
 * process's limit, counting every block the process holds while it runs
 * (young and old heap blocks, fragments, and the new blocks the collection
 * allocates), it
 *   - sends {trace, P, gc_max_heap_size, Info} to a tracer with the
 *     garbage_collection flag (after the gc_*_start message),
 *   - sends the emulator's "maximum heap size reached" error report to the
 *     logger when error_logger is true,
 *   - and when kill is true does not collect: the process dies at once with
 *     reason killed, which no catch and no trap_exit sees (no gc_*_end).
 * Without kill it collects, and reports again at each collection that is
 * still over the limit, as OTP does.
 */
#ifndef ERBIUM_MAX_HEAP_H
#define ERBIUM_MAX_HEAP_H

#include "runtime/proc/process.h"

#include <stdbool.h>

bool maxheap_reached(Process *p, size_t new_words, size_t new_old_words);

/*
 * The collector's check, before it copies anything: new_words is the block
 * it will allocate, new_old_words the old generation it will create (0 if
 * none). True when p must die: the collection must not run, and whoever
 * asked for it calls maxheap_kill.
 */
static inline bool maxheap_check(Process *p, size_t new_words, size_t new_old_words)
{
    return p->flags.max_heap_size != 0 && maxheap_reached(p, new_words, new_old_words);
}

/*
 * Kills p with reason killed: an exit signal kill from itself, behind the
 * signals already queued (so a monitor asked for before is answered with
 * its 'DOWN'). A running p then handles its signals and exits; another
 * process is woken to do so.
 */
void maxheap_kill(Process *p);

#endif
