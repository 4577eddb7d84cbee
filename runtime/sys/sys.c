/* sys.c - VM settings and facts (see sys.h). */
#define _GNU_SOURCE
#include "runtime/sys/sys.h"

#include "runtime/interp/raise.h"
#include "runtime/loader/code_path.h"
#include "sched/sched.h"

#include <dirent.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int schedulers_online; /* 0: all of them */
static atomic_int backtrace_depth = BACKTRACE_DEPTH;

int sys_schedulers_online(void)
{
    int n = atomic_load(&schedulers_online);
    return n > 0 ? n : sched_count();
}

int sys_set_schedulers_online(int n)
{
    int old = sys_schedulers_online();
    atomic_store(&schedulers_online, n);
    return old;
}

int sys_backtrace_depth(void) { return atomic_load(&backtrace_depth); }
int sys_set_backtrace_depth(int n) { return atomic_exchange(&backtrace_depth, n); }

static pthread_once_t versions_once = PTHREAD_ONCE_INIT;
static char erts_version[64], otp_release[64];

/* "<root>/lib/erts-<vsn>/ebin": the version, and the release from "<root>/releases/<rel>". */
static void find_versions(void)
{
    const char *ebin = code_path_erts_ebin();
    if (!ebin) return;
    const char *dash = strstr(ebin, "/erts-");
    if (!dash) return;
    snprintf(erts_version, sizeof erts_version, "%.*s", (int)strcspn(dash + 6, "/"), dash + 6);
    char root[4096];
    snprintf(root, sizeof root, "%.*s/../releases", (int)(dash - ebin), ebin);
    DIR *d = opendir(root);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && strlen(e->d_name) < sizeof otp_release)
            strcpy(otp_release, e->d_name);
    closedir(d);
}

const char *sys_otp_release(void)
{
    pthread_once(&versions_once, find_versions);
    return otp_release[0] ? otp_release : NULL;
}

const char *sys_erts_version(void)
{
    pthread_once(&versions_once, find_versions);
    return erts_version[0] ? erts_version : NULL;
}

int sys_cpus_configured(void) { return (int)sysconf(_SC_NPROCESSORS_CONF); }
int sys_cpus_online(void) { return (int)sysconf(_SC_NPROCESSORS_ONLN); }

int sys_cpus_available(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return sys_cpus_online();
    return CPU_COUNT(&set);
}

size_t sys_memory_total(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}
