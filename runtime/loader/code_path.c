/*
 * code_path.c - loading .beam files from directories the VM itself knows
 * (see code_path.h). Loading is serialised by one mutex: a module must be
 * loaded once even when two threads ask at once.
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
static char *erts_dir;

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

const char *code_path_erts_ebin(void) { return erts_dir; }

void code_path_set_erts_ebin(const char *dir)
{
    free(erts_dir);
    erts_dir = strdup(dir);
    if (!erts_dir) abort();
}

void code_path_add(const char *dir)
{
    char **grown = realloc(dirs, (num_dirs + 1) * sizeof *dirs);
    if (!grown) abort();
    dirs = grown;
    dirs[num_dirs] = strdup(dir);
    if (!dirs[num_dirs]) abort();
    num_dirs++;
}

bool code_path_add_erbium(void)
{
    const char *dir = getenv("ERBIUM_EBIN");
    if (!dir || !*dir) dir = ERBIUM_EBIN_DIR;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/erbium_embed.beam", dir);
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
Module *code_load_file(const char *path, Term name, char *err, size_t errlen)
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
    *m = code_load_file(path, name, err, errlen);
    return true;
}

static Module *load_locked(Term name, char *err, size_t errlen)
{
    Module *m = module_find(name);
    if (m) return m;
    for (size_t i = 0; i < num_dirs; i++)
        if (try_dir(dirs[i], name, &m, err, errlen)) return m;
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

