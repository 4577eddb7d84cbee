/* logpoint.c - --break logpoints (see logpoint.h). */
#include "cli/logpoint.h"

#include "erbium/debugger.h"
#include "erbium/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char logpoint_usage[] =
    "  --break MOD:LINE[:COND]   a logpoint (implies +D): each time a process\n"
    "                            reaches LINE of MOD, print on stderr its pid,\n"
    "                            {M,F,A}, line, frame slots (y) and live x\n"
    "                            registers, and go on. COND is xN=TERM or\n"
    "                            yN=TERM: print only when that register reads\n"
    "                            TERM (as ~w writes it). Repeatable.\n";

#define MAX_WORDS 1000 /* a larger term prints as {too_large,Words} */

/* MOD:LINE[:xN=TERM|yN=TERM]; false if malformed. */
static bool parse_spec(char *spec, Logpoint *lp)
{
    char *colon = strchr(spec, ':');
    if (!colon || colon == spec) return false;
    *colon = '\0';
    lp->module = spec;
    char *end;
    long line = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || line < 1 || line > 0x7fffffff || (*end && *end != ':')) return false;
    lp->line = (unsigned)line;
    lp->reg = 0;
    if (!*end) return true;
    char *cond = end + 1, *eq = strchr(cond, '=');
    if ((cond[0] != 'x' && cond[0] != 'y') || !eq || eq == cond + 1 || !eq[1]) return false;
    long n = strtol(cond + 1, &end, 10);
    if (end != eq || n < 0 || n > 1023) return false;
    lp->reg = cond[0];
    lp->reg_no = (unsigned)n;
    lp->value = eq + 1;
    return true;
}

int logpoint_parse_option(LogpointOptions *o, ErbConfig *cfg, int argc, char **argv, int *i)
{
    if (strcmp(argv[*i], "--break")) return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "erbium: --break needs MOD:LINE[:COND]\n");
        return -1;
    }
    char *spec = strdup(argv[++*i]);
    Logpoint *grown = realloc(o->v, (size_t)(o->n + 1) * sizeof *grown);
    if (!spec || !grown) abort();
    o->v = grown;
    if (!parse_spec(spec, &o->v[o->n])) {
        fprintf(stderr, "erbium: --break wants MOD:LINE[:xN=TERM|yN=TERM], not %s\n", argv[*i]);
        free(spec);
        return -1;
    }
    o->n++;
    cfg->debugger = true;
    return 1;
}

/* Register `reg_no` of the stopped process, printed. */
static bool read_reg(uint64_t pid, char reg, unsigned n, char *buf, size_t len)
{
    if (reg == 'x') return erb_dbg_xreg(pid, n, MAX_WORDS, buf, len) == ERB_DBG_OK;
    return erb_dbg_slot(pid, 0, n, MAX_WORDS, buf, len) == ERB_DBG_OK;
}

static bool condition_holds(const LogpointOptions *o, const ErbDbgEvent *ev)
{
    bool any = false;
    char text[4096];
    for (int i = 0; i < o->n; i++) {
        const Logpoint *lp = &o->v[i];
        if (lp->line != ev->line || strcmp(lp->module, ev->module)) continue;
        if (!lp->reg) return true;
        any = true;
        if (read_reg(ev->pid, lp->reg, lp->reg_no, text, sizeof text) && !strcmp(text, lp->value)) return true;
    }
    return !any;
}

/* The line for one hit, written with one call so lines of several schedulers do not mix. */
static ErbDbgAction on_hit(void *ctx, const ErbDbgEvent *ev)
{
    if (!condition_holds(ctx, ev)) return ERB_DBG_CONTINUE;
    char text[4096], line[16384];
    char pid[32];
    erb_pid_text(pid, sizeof pid, ev->pid);
    size_t len = (size_t)snprintf(line, sizeof line, "break %s {%s,%s,%u} line %u:", pid, ev->module, ev->function,
                                  ev->arity, ev->line);
    ErbDbgFrame f;
    size_t nx = 0;
    if (erb_dbg_frame(ev->pid, 0, &f) == ERB_DBG_OK)
        for (size_t k = 0; k < f.slots && len < sizeof line; k++)
            if (erb_dbg_slot(ev->pid, 0, k, MAX_WORDS, text, sizeof text) == ERB_DBG_OK)
                len += (size_t)snprintf(line + len, sizeof line - len, " y%zu=%s", k, text);
    erb_dbg_xreg_count(ev->pid, &nx);
    for (size_t k = 0; k < nx && len < sizeof line; k++)
        if (erb_dbg_xreg(ev->pid, k, MAX_WORDS, text, sizeof text) == ERB_DBG_OK)
            len += (size_t)snprintf(line + len, sizeof line - len, " x%zu=%s", k, text);
    if (len >= sizeof line - 1) len = sizeof line - 2;
    line[len++] = '\n';
    fwrite(line, 1, len, stderr);
    return ERB_DBG_CONTINUE;
}

typedef struct StartCtx {
    ErbVm *vm;
    LogpointOptions *o;
} StartCtx;

static void set_at_program(void *arg)
{
    StartCtx *c = arg;
    char err[512];
    erb_dbg_set_callback(on_hit, c->o);
    for (int i = 0; i < c->o->n; i++) {
        const Logpoint *lp = &c->o->v[i];
        if (erb_vm_load(c->vm, lp->module, err, sizeof err) != 0) {
            fprintf(stderr, "erbium: --break %s:%u: %s\n", lp->module, lp->line, err);
            continue;
        }
        ErbDbgError e = erb_dbg_set_breakpoint(lp->module, lp->line);
        if (e != ERB_DBG_OK && e != ERB_DBG_ERR_DUPLICATE) /* two conditions may share a line */
            fprintf(stderr, "erbium: --break %s:%u: %s\n", lp->module, lp->line, erb_dbg_error_name(e));
    }
}

void logpoint_start(ErbVm *vm, LogpointOptions *o)
{
    if (!o->n) return;
    static StartCtx ctx;
    ctx = (StartCtx){vm, o};
    erb_vm_on_program_start(vm, set_at_program, &ctx);
}
