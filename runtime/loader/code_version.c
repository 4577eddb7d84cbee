/*
 * code_version.c - the BIFs that load and delete code versions and list
 * loaded modules (module.h has the versions themselves): load_module/2, the
 * code server's two-step prepare_loading/finish_loading, on_load functions,
 * delete_module/1, check_old_code/1, pre_loaded/0 and loaded/0.
 *
 * Prepared code is a reference naming an entry of a small table (OTP makes
 * it a magic reference): finish_loading consumes the entry, so a reference
 * commits at most once, and a reference that is never finished keeps its
 * module until the VM exits.
 */
#include "runtime/bif/bif.h"

#include "runtime/loader/beam_file.h"
#include "runtime/loader/code_version.h"
#include "runtime/loader/load.h"
#include "runtime/proc/heap.h"
#include "runtime/term/binary.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * The modules the boot preloads from erts's ebin (runtime/boot), in the
 * order erlang:pre_loaded/0 lists them: OTP 25's 21. erl_init runs
 * prim_socket:on_load/0 and prim_net:on_load/0 because prim_socket is
 * loaded (runtime/socket/ has their natives).
 */
static const char *const preloaded[] = {
    "persistent_term", "counters", "atomics", "erts_dirty_process_signal_handler",
    "erts_literal_area_collector", "erl_tracer", "erts_internal", "erlang", "erl_prim_loader",
    "prim_zip", "prim_net", "prim_socket", "socket_registry", "zlib", "prim_file", "prim_inet", "prim_eval", "prim_buffer", "init", "erl_init",
    "erts_code_purger",
};
#define NUM_PRELOADED (sizeof preloaded / sizeof *preloaded)

size_t code_preloaded_count(void) { return NUM_PRELOADED; }
const char *code_preloaded_name(size_t i) { return preloaded[i]; }

bool code_is_preloaded(Term name)
{
    for (size_t i = 0; i < NUM_PRELOADED; i++)
        if (!strcmp(atom_text(name), preloaded[i])) return true;
    return false;
}

typedef struct Prepared {
    uint64_t ref_id;
    Module *module;
    struct Prepared *next;
} Prepared;

static Prepared *prepared;
static pthread_mutex_t prepared_lock = PTHREAD_MUTEX_INITIALIZER;

static Term make_ref(Process *p, uint64_t *id)
{
    Term ref = bif_make_ref_0(p, NULL);
    *id = boxed_val(ref)[1];
    return ref;
}

/* The entry of a prepared-code reference, taken out of the table if `take`. */
static Module *prepared_find(Term ref, bool take)
{
    if (!is_ref(ref)) return NULL;
    uint64_t id = boxed_val(ref)[1];
    pthread_mutex_lock(&prepared_lock);
    Module *m = NULL;
    for (Prepared **pp = &prepared; *pp; pp = &(*pp)->next) {
        if ((*pp)->ref_id != id) continue;
        Prepared *e = *pp;
        m = e->module;
        if (take) {
            *pp = e->next;
            free(e);
        }
        break;
    }
    pthread_mutex_unlock(&prepared_lock);
    return m;
}

/* Reads and translates Code as module Name; NULL when it is not a valid .beam of Name. */
static Module *prepare(Term name, Term code)
{
    const uint8_t *data;
    size_t size;
    if (!binary_bytes(code, &data, &size)) return NULL;
    char err[512];
    BeamFile bf;
    if (beam_file_read(data, size, atom_text(name), &bf, err, sizeof err) != 0) return NULL;
    Module *m = bf.module == name ? load_prepare(&bf, err, sizeof err) : NULL;
    beam_file_free(&bf);
    return m;
}

static bool prepare_args_ok(const Term *args) { return is_atom(args[0]) && binary_is_binary(args[1]); }

static Term error_tuple(Process *p, Term reason) { return heap_tuple2(p, AM_error, reason); }

Term bif_prepare_loading_2(Process *p, const Term *args)
{
    if (!prepare_args_ok(args)) return bif_error(p, AM_badarg);
    Module *m = prepare(args[0], args[1]);
    if (!m) return error_tuple(p, AM_badfile);
    Prepared *e = malloc(sizeof *e);
    if (!e) abort();
    Term ref = make_ref(p, &e->ref_id);
    e->module = m;
    pthread_mutex_lock(&prepared_lock);
    e->next = prepared;
    prepared = e;
    pthread_mutex_unlock(&prepared_lock);
    return ref;
}

Term bif_has_prepared_code_on_load_1(Process *p, const Term *args)
{
    Module *m = prepared_find(args[0], false);
    if (!m) return bif_error(p, AM_badarg);
    return m->on_load ? AM_true : AM_false;
}

/* Commits each prepared module in turn; the first that cannot be committed
   (old code in the way) stops the batch: it and the rest stay unloaded. */
Term bif_finish_loading_1(Process *p, const Term *args)
{
    Term list = args[0], t = list;
    for (; is_list(t); t = list_tail(t))
        if (!prepared_find(list_head(t), false)) return bif_error(p, AM_badarg);
    if (!is_nil(t)) return bif_error(p, AM_badarg);
    Term on_load = NIL;
    for (t = list; is_list(t); t = list_tail(t)) {
        Module *m = prepared_find(list_head(t), true);
        if (!m) continue; /* the same reference twice in the list */
        int r = module_commit(m, true);
        if (r == MODULE_NOT_PURGED) {
            Term name = m->name;
            module_free(m);
            return heap_tuple2(p, AM_not_purged, heap_cons(p, name, NIL));
        }
        if (r == MODULE_ON_LOAD) on_load = heap_cons(p, m->name, on_load);
    }
    return is_nil(on_load) ? AM_ok : heap_tuple2(p, AM_on_load, on_load);
}

Term bif_load_module_2(Process *p, const Term *args)
{
    if (!prepare_args_ok(args)) return bif_error(p, AM_badarg);
    Module *m = prepare(args[0], args[1]);
    if (!m) return error_tuple(p, AM_badfile);
    int r = module_commit(m, true);
    if (r == MODULE_NOT_PURGED) {
        module_free(m);
        return error_tuple(p, AM_not_purged);
    }
    return r == MODULE_ON_LOAD ? error_tuple(p, AM_on_load) : heap_tuple2(p, AM_module, args[0]);
}

Term bif_finish_after_on_load_2(Process *p, const Term *args)
{
    if (!is_atom(args[0]) || (args[1] != AM_true && args[1] != AM_false)) return bif_error(p, AM_badarg);
    if (!module_finish_on_load(args[0], args[1] == AM_true)) return bif_error(p, AM_badarg);
    return AM_true;
}

Term bif_delete_module_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    int r = module_delete(args[0]);
    if (r < 0) return bif_error(p, AM_badarg);
    return r ? AM_true : AM_undefined;
}

Term bif_check_old_code_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    return module_find_old(args[0]) ? AM_true : AM_false;
}

Term bif_pre_loaded_0(Process *p, const Term *args)
{
    Term list = NIL;
    for (size_t i = NUM_PRELOADED; i > 0; i--) list = heap_cons(p, atom_from_cstr(preloaded[i - 1]), list);
    return list;
}

/* Preloaded modules, then every module with current or old code. */
Term bif_loaded_0(Process *p, const Term *args)
{
    Term list = bif_pre_loaded_0(p, args);
    size_t n = module_count();
    for (size_t i = n; i > 0; i--) {
        Term name = module_name_at(i - 1);
        if ((module_at(i - 1) || module_old_at(i - 1)) && !code_is_preloaded(name)) list = heap_cons(p, name, list);
    }
    return list;
}

/* The data of the chunk named id in an IFF "FOR1 ... BEAM" image; false if the
   image is malformed or has no such chunk. */
static bool find_chunk(const uint8_t *d, size_t n, const char id[4], const uint8_t **data, size_t *size)
{
    if (n < 12 || memcmp(d, "FOR1", 4) != 0 || memcmp(d + 8, "BEAM", 4) != 0) return false;
    for (size_t pos = 12; pos + 8 <= n;) {
        size_t len = (size_t)d[pos + 4] << 24 | (size_t)d[pos + 5] << 16 | (size_t)d[pos + 6] << 8 | d[pos + 7];
        if (len > n - pos - 8) return false;
        if (memcmp(d + pos, id, 4) == 0) {
            *data = d + pos + 8;
            *size = len;
            return true;
        }
        pos += 8 + ((len + 3) & ~(size_t)3);
    }
    return false;
}

/* A chunk name: a string of four bytes. */
static bool chunk_id(Term t, char id[4])
{
    for (int i = 0; i < 4; i++, t = list_tail(t)) {
        if (!is_list(t) || !is_small(list_head(t)) || small_val(list_head(t)) < 0 || small_val(list_head(t)) > 255)
            return false;
        id[i] = (char)small_val(list_head(t));
    }
    return is_nil(t);
}

/* erts_internal:beamfile_chunk(Beam, Id): the chunk's data, or undefined. */
Term bif_beamfile_chunk_2(Process *p, const Term *args)
{
    const uint8_t *bytes, *data;
    size_t n, size;
    char id[4];
    if (!binary_bytes(args[0], &bytes, &n) || !chunk_id(args[1], id)) return bif_error(p, AM_badarg);
    return find_chunk(bytes, n, id, &data, &size) ? binary_from_bytes(p, data, size) : AM_undefined;
}

/* erts_internal:beamfile_module_md5(Beam): the module's MD5, or undefined if Beam is not a valid module. */
Term bif_beamfile_module_md5_1(Process *p, const Term *args)
{
    const uint8_t *bytes;
    size_t n;
    if (!binary_bytes(args[0], &bytes, &n)) return bif_error(p, AM_badarg);
    char err[256];
    BeamFile bf;
    if (beam_file_read(bytes, n, "beamfile", &bf, err, sizeof err) != 0) return AM_undefined;
    Term md5 = binary_from_bytes(p, bf.md5, sizeof bf.md5);
    beam_file_free(&bf);
    return md5;
}
