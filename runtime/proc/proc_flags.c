/* proc_flags.c - process flags and spawn options (see proc_flags.h). */
#include "runtime/proc/proc_flags.h"

#include "runtime/proc/alias.h"
#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/map.h"

#define SAVE_CALLS_MAX 10000

#include <pthread.h>

/* The defaults for new processes: set by system_flag/2, read at every spawn. */
static pthread_rwlock_t defaults_lock = PTHREAD_RWLOCK_INITIALIZER;
static ProcFlags defaults = {.min_bin_vheap = PFLAG_MIN_BIN_VHEAP_DEFAULT,
                             .fullsweep_after = PFLAG_FULLSWEEP_DEFAULT,
                             .max_heap_kill = true,
                             .max_heap_log = true};
static size_t default_min_heap = HEAP_DEFAULT_WORDS;

ProcFlags proc_flags_default(void)
{
    pthread_rwlock_rdlock(&defaults_lock);
    ProcFlags f = defaults;
    pthread_rwlock_unlock(&defaults_lock);
    f.error_handler = AM_error_handler;
    return f;
}

size_t pflag_default_min_heap(void)
{
    pthread_rwlock_rdlock(&defaults_lock);
    size_t n = default_min_heap;
    pthread_rwlock_unlock(&defaults_lock);
    return n;
}

/*
 * OTP's series: each size is the sum of the two before plus one (233, 376,
 * 610 ...) while that stays under a million words, then 20% more each step.
 */
uint64_t pflag_heap_size_round(uint64_t words)
{
    uint64_t a = 142, b = HEAP_DEFAULT_WORDS;
    while (b < words) {
        uint64_t next = a + b + 1 < 1000000 ? a + b + 1 : b + b / 5;
        if (next < b) return UINT64_MAX; /* past every size */
        a = b;
        b = next;
    }
    return b;
}

int pflag_priority_from_atom(Term a)
{
    if (a == AM_low) return PRIO_LOW;
    if (a == AM_normal) return PRIO_NORMAL;
    if (a == AM_high) return PRIO_HIGH;
    if (a == AM_max) return PRIO_MAX;
    return -1;
}

Term pflag_priority_atom(int prio)
{
    static const Term *names[] = {&AM_max, &AM_high, &AM_normal, &AM_low};
    return *names[prio];
}

static bool non_neg_small(Term t) { return is_small(t) && small_val(t) >= 0; }

static Term bool_atom(bool b) { return b ? AM_true : AM_false; }

/* max_heap_size: a size, or a map with a size and optionally kill and error_logger (other keys
   are ignored, as OTP 25 does); what is not given takes the system default. A size below the
   minimum heap size is bad (0: no limit). */
static bool parse_max_heap(Term v, ProcFlags *f, const ProcFlags *d)
{
    Term size = v, k = THE_NON_VALUE, l = THE_NON_VALUE;
    if (is_map(v)) {
        size = map_get(v, AM_size);
        k = map_get(v, AM_kill);
        l = map_get(v, AM_error_logger);
        if (!is_value(size)) return false;
        if ((is_value(k) && k != AM_true && k != AM_false) || (is_value(l) && l != AM_true && l != AM_false))
            return false;
    }
    if (!non_neg_small(size)) return false;
    uint64_t words = (uint64_t)small_val(size);
    if (words != 0 && words < HEAP_DEFAULT_WORDS) return false;
    f->max_heap_size = words;
    f->max_heap_kill = is_value(k) ? k == AM_true : d->max_heap_kill;
    f->max_heap_log = is_value(l) ? l == AM_true : d->max_heap_log;
    return true;
}

Term pflag_max_heap_map(Process *p, const ProcFlags *f)
{
    Term keys[3] = {AM_error_logger, AM_kill, AM_size};
    Term values[3] = {bool_atom(f->max_heap_log), bool_atom(f->max_heap_kill),
                      make_small((intptr_t)f->max_heap_size)};
    return map_from_pairs(p, keys, values, 3);
}

/* A flag both spawn_opt and process_flag take; false if key is not one or value is bad. d: the
   system defaults (passed in: system_flag/2 calls this under the lock that guards them). */
static bool set_shared(ProcFlags *f, const ProcFlags *d, Term key, Term v, size_t *min_heap)
{
    if (key == AM_min_heap_size) {
        if (!non_neg_small(v)) return false;
        *min_heap = pflag_heap_size_round((uint64_t)small_val(v));
    } else if (key == AM_min_bin_vheap_size) {
        if (!non_neg_small(v)) return false;
        uint64_t w = pflag_heap_size_round((uint64_t)small_val(v));
        f->min_bin_vheap = w < PFLAG_MIN_BIN_VHEAP_DEFAULT ? PFLAG_MIN_BIN_VHEAP_DEFAULT : w;
    } else if (key == AM_fullsweep_after) {
        if (!non_neg_small(v)) return false;
        f->fullsweep_after = small_val(v) > UINT32_MAX ? UINT32_MAX : (uint32_t)small_val(v);
    } else if (key == AM_max_heap_size) {
        return parse_max_heap(v, f, d);
    } else if (key == AM_message_queue_data) {
        if (v != AM_off_heap && v != AM_on_heap) return false;
        f->off_heap_queue = v == AM_off_heap;
    } else {
        return false;
    }
    return true;
}

static bool parse_one_spawn_opt(Term opt, SpawnOpts *o, const ProcFlags *d)
{
    if (opt == AM_link) o->link = true;
    else if (opt == AM_monitor) o->monitor = true;
    else if (!is_tuple(opt) || tuple_arity(opt) != 2) return false;
    else {
        Term key = tuple_elems(opt)[0], v = tuple_elems(opt)[1];
        if (key == AM_priority) return (o->priority = pflag_priority_from_atom(v)) >= 0;
        if (key == AM_monitor) {
            o->monitor = true;
            return alias_parse_monitor_opts(v, &o->monitor_tag, &o->alias_mode);
        }
        return set_shared(&o->flags, d, key, v, &o->min_heap);
    }
    return true;
}

bool pflag_parse_spawn_opts(Term list, SpawnOpts *o)
{
    ProcFlags d = proc_flags_default();
    *o = (SpawnOpts){.priority = PRIO_NORMAL, .monitor_tag = THE_NON_VALUE, .flags = d, .given = list};
    for (; is_list(list); list = list_tail(list))
        if (!parse_one_spawn_opt(list_head(list), o, &d)) return false;
    return is_nil(list);
}

void pflag_apply_spawn_opts(Process *q, const SpawnOpts *o)
{
    q->priority = o->priority;
    q->flags = o->flags;
    if (o->min_heap > q->min_heap_words) q->min_heap_words = o->min_heap;
}

static Term set_bool(bool *slot, Term value)
{
    if (value != AM_true && value != AM_false) return THE_NON_VALUE;
    Term old = bool_atom(*slot);
    *slot = value == AM_true;
    return old;
}

static Term set_save_calls(ProcFlags *f, Term value)
{
    if (!is_small(value) || small_val(value) < 0 || small_val(value) > SAVE_CALLS_MAX) return THE_NON_VALUE;
    Term old = make_small(f->save_calls);
    f->save_calls = (int16_t)small_val(value);
    return old;
}

Term pflag_set_save_calls(Process *q, Term value) { return set_save_calls(&q->flags, value); }

/* The old value of a flag set_shared handles, read before it changes. */
static Term shared_old(Process *p, Term flag)
{
    const ProcFlags *f = &p->flags;
    if (flag == AM_min_heap_size) return make_small((intptr_t)p->min_heap_words);
    if (flag == AM_min_bin_vheap_size) return make_small((intptr_t)f->min_bin_vheap);
    if (flag == AM_fullsweep_after) return make_small(f->fullsweep_after);
    if (flag == AM_max_heap_size) return pflag_max_heap_map(p, f);
    if (flag == AM_message_queue_data) return f->off_heap_queue ? AM_off_heap : AM_on_heap;
    return THE_NON_VALUE;
}

/* {monitor_nodes, Options}: net_kernel:monitor_nodes/2 passes its options as a map. */
static bool is_monitor_nodes_with_options(Term flag)
{
    if (!is_tuple(flag) || tuple_arity(flag) != 2) return false;
    const Term *t = tuple_elems(flag);
    return t[0] == AM_monitor_nodes && (is_map(t[1]) || is_list(t[1]) || is_nil(t[1]));
}

bool pflag_is_known(Process *p, Term flag)
{
    return flag == AM_trap_exit || flag == AM_sensitive || flag == AM_save_calls || flag == AM_priority ||
           flag == AM_error_handler || flag == AM_monitor_nodes || is_monitor_nodes_with_options(flag) ||
           is_value(shared_old(p, flag));
}

Term pflag_set(Process *p, Term flag, Term value)
{
    ProcFlags *f = &p->flags;
    if (flag == AM_trap_exit) return set_bool(&p->trap_exit, value);
    if (flag == AM_sensitive) return set_bool(&f->sensitive, value);
    if (flag == AM_save_calls) return set_save_calls(f, value);
    if (flag == AM_priority) {
        int prio = pflag_priority_from_atom(value);
        if (prio < 0) return THE_NON_VALUE;
        Term old = pflag_priority_atom(p->priority);
        p->priority = prio;
        return old;
    }
    if (flag == AM_error_handler) {
        if (!is_atom(value)) return THE_NON_VALUE;
        Term old = f->error_handler;
        f->error_handler = value;
        return old;
    }
    if (flag == AM_monitor_nodes || is_monitor_nodes_with_options(flag)) {
        /* No node ever goes up or down on a node that is not distributed: the count of
           subscriptions is all there is ({monitor_nodes, Options} counts with the rest). */
        if (value != AM_true && value != AM_false) return THE_NON_VALUE;
        Term old = make_small(f->monitor_nodes);
        if (value == AM_true) f->monitor_nodes++;
        else f->monitor_nodes = 0;
        return old;
    }
    Term old = shared_old(p, flag);
    if (!is_value(old)) return THE_NON_VALUE;
    size_t min_heap = 0;
    ProcFlags d = proc_flags_default();
    if (!set_shared(f, &d, flag, value, &min_heap)) return THE_NON_VALUE;
    if (flag == AM_min_heap_size) p->min_heap_words = min_heap < HEAP_DEFAULT_WORDS ? HEAP_DEFAULT_WORDS : min_heap;
    return old;
}

Term pflag_set_default(Process *p, Term flag, Term value)
{
    if (flag != AM_min_heap_size && flag != AM_min_bin_vheap_size && flag != AM_fullsweep_after &&
        flag != AM_max_heap_size)
        return THE_NON_VALUE;
    pthread_rwlock_wrlock(&defaults_lock);
    ProcFlags f = defaults, prev = defaults;
    size_t min_heap = default_min_heap;
    Term old = flag == AM_min_heap_size        ? make_small((intptr_t)default_min_heap)
               : flag == AM_min_bin_vheap_size ? make_small((intptr_t)f.min_bin_vheap)
               : flag == AM_fullsweep_after    ? make_small(f.fullsweep_after)
                                               : THE_NON_VALUE;
    bool ok = set_shared(&f, &prev, flag, value, &min_heap);
    if (ok) {
        defaults = f;
        default_min_heap = min_heap < HEAP_DEFAULT_WORDS ? HEAP_DEFAULT_WORDS : min_heap;
    }
    pthread_rwlock_unlock(&defaults_lock);
    if (!ok) return THE_NON_VALUE;
    return is_value(old) ? old : pflag_max_heap_map(p, &prev);
}
