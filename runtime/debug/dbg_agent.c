/* dbg_agent.c - the C agent interface (include/erbium/debugger.h) on dbg.h. */
#include "erbium/debugger.h"

#include "runtime/debug/dbg.h"
#include "runtime/term/atom.h"

#include <string.h>

static const char *const error_names[] = {
    "ERB_DBG_OK",
    "ERB_DBG_ERR_NOT_AVAILABLE",
    "ERB_DBG_ERR_MODULE_NOT_LOADED",
    "ERB_DBG_ERR_ABSENT_INFORMATION",
    "ERB_DBG_ERR_INVALID_LOCATION",
    "ERB_DBG_ERR_INVALID_FUNCTION",
    "ERB_DBG_ERR_DUPLICATE",
    "ERB_DBG_ERR_NOT_FOUND",
    "ERB_DBG_ERR_BUSY",
    "ERB_DBG_ERR_NOT_SUSPENDED",
    "ERB_DBG_ERR_NO_MORE_FRAMES",
    "ERB_DBG_ERR_INVALID_SLOT",
};

const char *erb_dbg_error_name(ErbDbgError e)
{
    return (unsigned)e < sizeof error_names / sizeof error_names[0] ? error_names[e] : "?";
}

static ErbDbgCallback callback;

#define VALUE_WORDS 100 /* an exit event's value larger than this reads {too_large,Words} */

/* The event, as the agent sees it (dbg.h's DbgAgentFn). */
static bool on_hit(void *ctx, Process *p, const DbgEvent *e)
{
    static const ErbDbgEventKind kinds[] = {ERB_DBG_BREAKPOINT, ERB_DBG_STEP, ERB_DBG_ENTRY, ERB_DBG_EXIT};
    StrBuf value;
    sb_init(&value);
    if (e->kind == DBG_EV_EXIT) dbg_print_term(e->value, VALUE_WORDS, &value);
    sb_putc(&value, '\0');
    ErbDbgEvent ev = {kinds[e->kind], pid_number(p->pid), atom_text(e->module), atom_text(e->function), e->arity,
                      e->line, e->entry, e->kind == DBG_EV_EXIT ? value.data : NULL, e->exception};
    bool keep = callback(ctx, &ev) == ERB_DBG_SUSPEND;
    sb_free(&value);
    return keep;
}

void erb_dbg_set_callback(ErbDbgCallback cb, void *ctx)
{
    callback = cb;
    dbg_set_agent(cb ? on_hit : NULL, ctx);
}

static ErbDbgError from_dbg(DbgErr e, bool function)
{
    switch (e) {
    case DBG_OK: return ERB_DBG_OK;
    case DBG_NO_MODULE: return ERB_DBG_ERR_MODULE_NOT_LOADED;
    case DBG_NO_SITES: return ERB_DBG_ERR_ABSENT_INFORMATION;
    case DBG_NO_LINE: return function ? ERB_DBG_ERR_INVALID_FUNCTION : ERB_DBG_ERR_INVALID_LOCATION;
    case DBG_NO_SITE: return ERB_DBG_ERR_INVALID_LOCATION;
    case DBG_DUPLICATE: return ERB_DBG_ERR_DUPLICATE;
    case DBG_NOT_FOUND: return ERB_DBG_ERR_NOT_FOUND;
    case DBG_BUSY: return ERB_DBG_ERR_BUSY;
    }
    return ERB_DBG_ERR_INVALID_LOCATION;
}

static ErbDbgError line_bp(const char *module, unsigned line, bool on)
{
    if (!dbg_enabled()) return ERB_DBG_ERR_NOT_AVAILABLE;
    return from_dbg(dbg_set_line(atom_from_cstr(module), line, DBG_BY_AGENT, on), false);
}

static ErbDbgError entry_bp(const char *module, const char *function, unsigned arity, bool on)
{
    if (!dbg_enabled()) return ERB_DBG_ERR_NOT_AVAILABLE;
    return from_dbg(dbg_set_entry(atom_from_cstr(module), atom_from_cstr(function), arity, DBG_BY_AGENT, on), true);
}

ErbDbgError erb_dbg_set_breakpoint(const char *module, unsigned line) { return line_bp(module, line, true); }
ErbDbgError erb_dbg_clear_breakpoint(const char *module, unsigned line) { return line_bp(module, line, false); }

ErbDbgError erb_dbg_set_function_breakpoint(const char *module, const char *function, unsigned arity)
{
    return entry_bp(module, function, arity, true);
}

ErbDbgError erb_dbg_clear_function_breakpoint(const char *module, const char *function, unsigned arity)
{
    return entry_bp(module, function, arity, false);
}

ErbDbgError erb_dbg_set_call_events(const char *module, bool on)
{
    if (!dbg_enabled()) return ERB_DBG_ERR_NOT_AVAILABLE;
    return from_dbg(dbg_set_calls(atom_from_cstr(module), on), false);
}

void erb_dbg_clear_all(void)
{
    if (dbg_enabled()) dbg_clear_all(DBG_BY_AGENT | DBG_BY_STEP | DBG_BY_CALLS);
}

ErbDbgError erb_dbg_resume(uint64_t pid)
{
    if (!dbg_enabled()) return ERB_DBG_ERR_NOT_AVAILABLE;
    return dbg_resume(NULL, make_pid(pid), 0) ? ERB_DBG_OK : ERB_DBG_ERR_NOT_SUSPENDED;
}

ErbDbgError erb_dbg_step(uint64_t pid, ErbDbgStep kind)
{
    if (!dbg_enabled()) return ERB_DBG_ERR_NOT_AVAILABLE;
    DbgStep k = kind == ERB_DBG_STEP_INTO ? DBG_STEP_INTO : kind == ERB_DBG_STEP_OUT ? DBG_STEP_OUT : DBG_STEP_OVER;
    return dbg_step(make_pid(pid), k) ? ERB_DBG_OK : ERB_DBG_ERR_NOT_SUSPENDED;
}

/* ---- reading ---- */

/* Opens the process: the callback's own, or a suspended one (locked until view_end). */
static ErbDbgError view_begin(uint64_t pid, DbgView *v, bool *locked)
{
    *locked = false;
    if (!dbg_enabled()) return ERB_DBG_ERR_NOT_AVAILABLE;
    if (dbg_view_current(make_pid(pid), v)) return ERB_DBG_OK;
    if (!dbg_view_open(NULL, make_pid(pid), v)) return ERB_DBG_ERR_NOT_SUSPENDED;
    *locked = true;
    return ERB_DBG_OK;
}

static void view_end(DbgView *v, bool locked)
{
    if (locked) dbg_view_close(NULL, v);
}

ErbDbgError erb_dbg_frame_count(uint64_t pid, size_t *count)
{
    DbgView v;
    bool locked;
    ErbDbgError e = view_begin(pid, &v, &locked);
    if (e != ERB_DBG_OK) return e;
    *count = dbg_frame_count(&v);
    view_end(&v, locked);
    return ERB_DBG_OK;
}

ErbDbgError erb_dbg_frame(uint64_t pid, size_t depth, ErbDbgFrame *out)
{
    DbgView v;
    bool locked;
    ErbDbgError e = view_begin(pid, &v, &locked);
    if (e != ERB_DBG_OK) return e;
    Term mfa[3];
    uint32_t line;
    if (!dbg_frame_info(&v, depth, mfa, &line)) {
        view_end(&v, locked);
        return ERB_DBG_ERR_NO_MORE_FRAMES;
    }
    bool known = mfa[0] != AM_undefined;
    *out = (ErbDbgFrame){known ? atom_text(mfa[0]) : NULL, known ? atom_text(mfa[1]) : NULL,
                         (unsigned)small_val(mfa[2]), line, dbg_frame_slots(&v, depth)};
    view_end(&v, locked);
    return ERB_DBG_OK;
}

static void copy_out(StrBuf *sb, char *buf, size_t buflen)
{
    if (!buflen) return;
    size_t n = sb->len < buflen - 1 ? sb->len : buflen - 1;
    if (n) memcpy(buf, sb->data, n);
    buf[n] = '\0';
}

ErbDbgError erb_dbg_slot(uint64_t pid, size_t depth, size_t slot, size_t max_words, char *buf, size_t buflen)
{
    DbgView v;
    bool locked;
    ErbDbgError e = view_begin(pid, &v, &locked);
    if (e != ERB_DBG_OK) return e;
    StrBuf sb;
    sb_init(&sb);
    if (depth >= dbg_frame_count(&v)) e = ERB_DBG_ERR_NO_MORE_FRAMES;
    else if (!dbg_print_slot(&v, depth, slot, max_words, &sb)) e = ERB_DBG_ERR_INVALID_SLOT;
    view_end(&v, locked);
    if (e == ERB_DBG_OK) copy_out(&sb, buf, buflen);
    sb_free(&sb);
    return e;
}

ErbDbgError erb_dbg_xreg_count(uint64_t pid, size_t *count)
{
    DbgView v;
    bool locked;
    ErbDbgError e = view_begin(pid, &v, &locked);
    if (e != ERB_DBG_OK) return e;
    *count = v.at_break ? v.live : 0;
    view_end(&v, locked);
    return ERB_DBG_OK;
}

ErbDbgError erb_dbg_xreg(uint64_t pid, size_t n, size_t max_words, char *buf, size_t buflen)
{
    DbgView v;
    bool locked;
    ErbDbgError e = view_begin(pid, &v, &locked);
    if (e != ERB_DBG_OK) return e;
    StrBuf sb;
    sb_init(&sb);
    if (!v.at_break || n >= v.live) e = ERB_DBG_ERR_INVALID_SLOT;
    else dbg_print_term(v.xregs[n], max_words, &sb);
    view_end(&v, locked);
    if (e == ERB_DBG_OK) copy_out(&sb, buf, buflen);
    sb_free(&sb);
    return e;
}
