/*
 * code_path.c - the code path and loading modules on demand (see
 * code_path.h). Loading is serialised by one mutex: it is rare, and a
 * module must be loaded once even when two schedulers ask at once.
 */
#include "runtime/loader/code_path.h"

#include "runtime/loader/beam_file.h"
#include "runtime/loader/load.h"

#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char **dirs;
static size_t num_dirs;
/*
 * erts's ebin holds the preloaded modules. erbium implements some of them
 * natively (erlang, erts_internal, init) and loading OTP's files for those is
 * part of booting OTP, which erbium does not do yet; until then only the
 * preloaded modules below, Erlang code over NIFs erbium provides, are loaded
 * from there.
 */
static char *erts_dir;
static const char *const erts_loadable[] = {"prim_file", "prim_buffer", "zlib", "prim_zip",
                                            "atomics", "counters", "prim_inet"};

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

const char *code_path_erts_ebin(void) { return erts_dir; }

void code_path_add(const char *dir)
{
    char **grown = realloc(dirs, (num_dirs + 1) * sizeof *dirs);
    if (!grown) abort();
    dirs = grown;
    dirs[num_dirs] = strdup(dir);
    if (!dirs[num_dirs]) abort();
    num_dirs++;
}

/* Appends the newest <lib>/<app>-*\/ebin, if any. */
static bool add_app_ebin(const char *lib, const char *app)
{
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/%s-*/ebin", lib, app);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0) return false;
    code_path_add(g.gl_pathv[g.gl_pathc - 1]); /* glob sorts: the newest, if several */
    globfree(&g);
    return true;
}

/* The application name of a lib entry "<app>-<vsn>", in buf. */
static const char *app_name(const char *entry, char *buf, size_t len)
{
    const char *dash = strrchr(entry, '-');
    size_t n = dash ? (size_t)(dash - entry) : strlen(entry);
    if (n >= len) n = len - 1;
    memcpy(buf, entry, n);
    buf[n] = 0;
    return buf;
}

bool code_path_add_otp(void)
{
    const char *env = getenv("ERBIUM_OTP_LIB");
    const char *lib = env && *env ? env : "/usr/lib/erlang/lib";
    /* erl's order: kernel and stdlib first, then every other application. */
    add_app_ebin(lib, "kernel");
    if (!add_app_ebin(lib, "stdlib")) return false;
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/erts-*/ebin", lib);
    glob_t e;
    if (glob(pattern, 0, NULL, &e) == 0) {
        free(erts_dir);
        erts_dir = strdup(e.gl_pathv[e.gl_pathc - 1]);
        globfree(&e);
    }
    snprintf(pattern, sizeof pattern, "%s/*-*/ebin", lib);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0) return true;
    char prev[256] = "", name[256];
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *entry = g.gl_pathv[i] + strlen(lib) + 1;
        app_name(entry, name, sizeof name);
        if (!strcmp(name, "kernel") || !strcmp(name, "stdlib") || !strcmp(name, "erts") ||
            !strcmp(name, prev))
            continue;
        strcpy(prev, name);
        add_app_ebin(lib, name);
    }
    globfree(&g);
    return true;
}

bool code_path_add_erbium(void)
{
    const char *dir = getenv("ERBIUM_EBIN");
    if (!dir || !*dir) dir = ERBIUM_EBIN_DIR;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/erbium_user.beam", dir);
    if (access(probe, R_OK) != 0) return false;
    code_path_add(dir);
    return true;
}

uint8_t *code_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 65536, len = 0;
    uint8_t *buf = malloc(cap);
    for (size_t n; buf && (n = fread(buf + len, 1, cap - len, f)) > 0;) {
        len += n;
        if (len == cap) {
            uint8_t *grown = realloc(buf, cap *= 2);
            if (!grown) free(buf);
            buf = grown;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed || !buf) {
        free(buf);
        errno = failed ? EIO : ENOMEM;
        return NULL;
    }
    *size = len;
    return buf;
}

/* Reads, checks and loads one file. */
static Module *load_file(const char *path, Term name, char *err, size_t errlen)
{
    size_t size;
    uint8_t *data = code_read_file(path, &size);
    if (!data) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    BeamFile bf;
    Module *m = NULL;
    if (beam_file_read(data, size, path, &bf, err, errlen) == 0) {
        if (bf.module != name)
            snprintf(err, errlen, "%s: the file holds module '%s', not '%s'", path, atom_text(bf.module),
                     atom_text(name));
        else if ((m = load_prepare(&bf, err, errlen)) != NULL && module_commit(m, false) != MODULE_OK) {
            /* loading on first call: another thread made it current meanwhile and old code exists */
            module_free(m);
            m = module_find(name);
        }
        beam_file_free(&bf);
    }
    free(data);
    return m;
}

/* Loads name from dir if dir holds its file; false if it does not. */
static bool try_dir(const char *dir, Term name, Module **m, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.beam", dir, atom_text(name));
    FILE *probe = fopen(path, "rb");
    if (!probe) return false;
    fclose(probe);
    *m = load_file(path, name, err, errlen);
    return true;
}

static bool erts_module(Term name)
{
    for (size_t i = 0; i < sizeof erts_loadable / sizeof *erts_loadable; i++)
        if (!strcmp(atom_text(name), erts_loadable[i])) return true;
    return false;
}

static Module *load_locked(Term name, char *err, size_t errlen)
{
    Module *m = module_find(name);
    if (m) return m;
    for (size_t i = 0; i < num_dirs; i++)
        if (try_dir(dirs[i], name, &m, err, errlen)) return m;
    if (erts_dir && erts_module(name) && try_dir(erts_dir, name, &m, err, errlen)) return m;
    snprintf(err, errlen, "module '%s' not found in the code path", atom_text(name));
    return NULL;
}

Module *code_load(Term name, char *err, size_t errlen)
{
    pthread_mutex_lock(&load_lock);
    Module *m = load_locked(name, err, errlen);
    pthread_mutex_unlock(&load_lock);
    return m;
}

Module *code_ensure_loaded(Term name)
{
    Module *m = module_find(name);
    if (m) return m;
    char err[512];
    pthread_mutex_lock(&load_lock);
    m = load_locked(name, err, sizeof err);
    bool missing = !m && module_find(name) == NULL && strstr(err, "not found in the code path");
    pthread_mutex_unlock(&load_lock);
    if (!m && !missing) fprintf(stderr, "erbium: loading failed: %s\n", err);
    return m;
}
