/*
 * load_sites.c - breakpoint sites for the debugger (+D; see load.h and
 * runtime/debug/dbg.h).
 *
 * OTP 25 emits a `line` instruction before every call and every
 * instruction that can fail, and at no other place; the loader turns it
 * into a line-table entry for the code emitted next. With sites on, that
 * code position also becomes a site: the word a breakpoint can replace
 * (the handler word of the instruction that follows the line). A function
 * entry is a site too. Nothing is emitted for a site, so code with sites
 * and no breakpoint runs exactly as code without.
 *
 * `line` says nothing about live registers. A site's live count is the
 * longest run x0..x(n-1) of registers certain to hold terms there: those
 * the following straight-line code reads before writing, and those live
 * at the first instruction that states its live registers (a call's
 * arguments, an allocation's Live, a gc_bif's Live) and that the code in
 * between does not write. Fewer registers is always safe: a register
 * outside the count is never read by the debugger (it may hold a stale
 * pointer into a collected heap).
 *
 * A chained superinstruction (load_fused.c) jumps into the handler of the
 * instruction after it without reading that word, so a breakpoint there
 * would be passed by. Each chain becomes a cover (ModCover): the site at
 * the word it jumps to names it, and a breakpoint there turns it back into
 * its plain form first (runtime/debug/dbg_site.c). So code with sites is
 * the same chained code as without.
 */
#include "runtime/loader/load_internal.h"

#include <stdatomic.h>
#include <stdlib.h>

static _Atomic bool sites_on;

void load_set_sites(bool on) { atomic_store(&sites_on, on); }
bool load_sites(void) { return atomic_load(&sites_on); }

#define REGS_TRACKED 64

typedef struct RegSets {
    uint64_t live;    /* known to hold terms at the site */
    uint64_t written; /* written since the site, before being read */
} RegSets;

static bool is_x(const GenArg *a) { return a->kind == GA_X && a->val < REGS_TRACKED; }

static void reads(RegSets *r, const GenArg *a)
{
    if (is_x(a) && !(r->written & (1ull << a->val))) r->live |= 1ull << a->val;
}

static void writes(RegSets *r, const GenArg *a)
{
    if (is_x(a)) r->written |= 1ull << a->val;
}

/* x0..x(n-1) are live at the instruction, unless written since the site. */
static void live_below(RegSets *r, uint64_t n)
{
    if (n > REGS_TRACKED) n = REGS_TRACKED;
    uint64_t mask = n == 64 ? ~0ull : (1ull << n) - 1;
    r->live |= mask & ~r->written;
}

/*
 * Folds one instruction into r. True when the scan goes on past it (it
 * neither stated its live registers nor may leave the straight line).
 */
static bool scan_op(const Loader *L, const GenOp *op, RegSets *r)
{
    const GenArg *a = load_op_arg(L, op, 0);
    switch (op->op) {
    case GOP_line:
    case GOP_label: /* code after it may also be reached by a jump: its reads are still live here */
        return true;
    case GOP_move:
        reads(r, &a[0]);
        writes(r, &a[1]);
        return true;
    case GOP_call: case GOP_call_last: case GOP_call_only:
    case GOP_call_ext: case GOP_call_ext_last: case GOP_call_ext_only:
        live_below(r, a[0].val);
        return false;
    case GOP_call_fun: live_below(r, a[0].val + 1); return false;
    case GOP_call_fun2: live_below(r, a[1].val); reads(r, &a[2]); return false;
    case GOP_apply: case GOP_apply_last: live_below(r, a[0].val + 2); return false;
    case GOP_send: live_below(r, 2); return false;
    case GOP_return: live_below(r, 1); return false;
    case GOP_test_heap: live_below(r, a[1].val); return false;
    case GOP_allocate: live_below(r, a[1].val); return false;
    case GOP_allocate_heap: live_below(r, a[2].val); return false;
    case GOP_gc_bif1: case GOP_gc_bif2: case GOP_gc_bif3:
        for (unsigned i = 3; i + 1 < op->nargs; i++) reads(r, &a[i]);
        live_below(r, a[1].val);
        return false;
    case GOP_bif1: case GOP_bif2:
        for (unsigned i = 2; i + 1 < op->nargs; i++) reads(r, &a[i]);
        return false;
    case GOP_put_map_assoc: case GOP_put_map_exact:
        reads(r, &a[1]);
        live_below(r, a[3].val);
        return false;
    case GOP_bs_create_bin: live_below(r, a[2].val); return false;
    case GOP_bs_start_match3: case GOP_bs_start_match4:
        reads(r, &a[2]);
        live_below(r, a[1].val);
        return false;
    case GOP_badmatch: case GOP_case_end: case GOP_try_case_end: case GOP_badrecord:
        reads(r, &a[0]);
        return false;
    case GOP_raise:
        reads(r, &a[0]);
        reads(r, &a[1]);
        return false;
    default:
        return false;
    }
}

static uint16_t live_prefix(uint64_t live)
{
    uint16_t n = 0;
    while (n < REGS_TRACKED && (live & (1ull << n))) n++;
    return n;
}

/* The live count at the code emitted next, scanning from generic instruction `from`. */
static uint16_t live_from(const Loader *L, const GenOp *from)
{
    RegSets r = {0, 0};
    const GenOp *end = L->bf->ops + L->bf->num_ops;
    for (const GenOp *op = from; op < end && scan_op(L, op, &r); op++) {
    }
    return live_prefix(r.live);
}

static void push_site(Loader *L, ModSite s)
{
    /* two lines at one place: the later one covers the code */
    if (L->sites.n && L->sites.v[L->sites.n - 1].offset == s.offset && !L->sites.v[L->sites.n - 1].entry) L->sites.n--;
    VEC_PUSH(L->sites, s);
}

void load_site_line(Loader *L, const GenOp *line)
{
    if (!L->sites_on || !L->funcs.n) return;
    const GenOp *next = line + 1;
    if (next < L->bf->ops + L->bf->num_ops && next->op == GOP_func_info) return; /* a function head */
    uint32_t item = (uint32_t)load_op_arg(L, line, 0)->val;
    if (item == 0 || item >= L->bf->num_line_items) return;
    /* a superinstruction that folds the line records it at its start (load_fused.c),
       before the instructions that come ahead of the line */
    const GenOp *from = L->op == line ? line + 1 : L->op;
    ModSite s = {.offset = (uint32_t)L->code.n, .line = L->bf->line_items[item].line,
                 .func = (uint32_t)L->funcs.n - 1, .live = live_from(L, from)};
    push_site(L, s);
}

void load_site_entry(Loader *L)
{
    if (!L->sites_on) return;
    const FuncSpan *f = &L->funcs.v[L->funcs.n - 1];
    uint32_t line = 0;
    /* the function's head line is the line entry just before its func_info */
    if (L->lines.n && L->lines.v[L->lines.n - 1].offset == f->start) {
        uint32_t item = L->lines.v[L->lines.n - 1].item;
        if (item < L->bf->num_line_items) line = L->bf->line_items[item].line;
    }
    ModSite s = {.offset = (uint32_t)L->code.n, .line = line, .func = (uint32_t)L->funcs.n - 1,
                 .live = (uint16_t)f->arity, .entry = true};
    VEC_PUSH(L->sites, s);
}

void load_site_chain(Loader *L, size_t pos, size_t next)
{
    if (L->sites_on) VEC_PUSH(L->chains, ((ChainRef){(uint32_t)pos, (uint32_t)next, L->code.v[pos]}));
}

static int by_next(const void *a, const void *b)
{
    uint32_t x = ((const ChainRef *)a)->next, y = ((const ChainRef *)b)->next;
    return x < y ? -1 : x > y;
}

/* The index of the chain (sorted by next) that jumps to code position `at`, or MOD_NO_COVER. */
static uint32_t chain_to(const Loader *L, uint32_t at)
{
    size_t lo = 0, hi = L->chains.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (L->chains.v[mid].next < at) lo = mid + 1;
        else hi = mid;
    }
    return lo < L->chains.n && L->chains.v[lo].next == at ? (uint32_t)lo : MOD_NO_COVER;
}

/* One cover per chain, in the order of the words they jump to, each linked to the
   chain that jumps to its own word (a chain of chains). */
static void build_covers(Loader *L, Module *m)
{
    if (L->chains.n > 1) qsort(L->chains.v, L->chains.n, sizeof *L->chains.v, by_next); /* v is NULL when empty */
    m->num_covers = (uint32_t)L->chains.n;
    m->covers = m->num_covers ? calloc(m->num_covers, sizeof *m->covers) : NULL;
    if (m->num_covers && !m->covers) abort();
    for (uint32_t i = 0; i < m->num_covers; i++) {
        const ChainRef *c = &L->chains.v[i];
        m->covers[i] = (ModCover){.pc = m->code + c->pos, .chained = m->code[c->pos], .plain = c->plain,
                                  .up = chain_to(L, c->pos)};
    }
}

/* Keeps the sites that lie inside their function's body and fills in their words.
   A line at a function's entry shares the word with the entry site. */
void load_sites_finish(Loader *L, Module *m)
{
    m->has_sites = L->sites_on;
    build_covers(L, m);
    size_t n = 0;
    for (size_t i = 0; i < L->sites.n; i++) {
        ModSite s = L->sites.v[i];
        const FuncRange *f = &m->funcs[s.func];
        BeamInstr *pc = m->code + s.offset;
        if (pc < f->start + FUNC_INFO_WORDS || pc >= f->end) continue;
        const Export *e = export_find(m->name, f->function, f->arity);
        if (e && export_is_vm_provided(e)) continue; /* its body became a call of the native */
        s.pc = pc;
        s.orig = *pc;
        s.cover = chain_to(L, s.offset);
        L->sites.v[n++] = s;
    }
    m->sites = L->sites.v;
    m->num_sites = (uint32_t)n;
    L->sites.v = NULL;
}
