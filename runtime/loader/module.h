/*
 * module.h - loaded modules: threaded code, function table, lambdas, line
 * table, and the module registry.
 *
 * Code layout (made by load.c): every function starts with the func_info
 * instruction, FUNC_INFO_WORDS words long:
 *
 *   [i_func_info handler][Module][Function][Arity][BpData*]
 *
 * immediately followed by the function's body. The body's first word (the
 * handler of its first instruction) is the function's entry address: a
 * breakpoint replaces that one aligned word with the breakpoint handler,
 * which finds its data at entry[-1] and the MFA at entry[-4..-2].
 */
#ifndef ERBIUM_MODULE_H
#define ERBIUM_MODULE_H

#include "runtime/loader/export.h"
#include "runtime/term/literal.h"

#define FUNC_INFO_WORDS 5

/* A closure (HDR_FUN) is a header, the FunEntry*, the creating pid, then its
   free variables: these first words come before the free variables. */
#define FUN_FIXED_WORDS 3

/* The lambda table entry behind a fun (FunT). */
typedef struct FunEntry {
    Term module;
    Term function;             /* lifted function name, e.g. '-f/1-fun-0-' */
    uint32_t index;            /* FunT index */
    uint32_t old_uniq;
    uint32_t arity;            /* the fun's arity (FunT arity - num_free) */
    uint32_t num_free;
    const BeamInstr *address;  /* entry of the lifted function */
    const uint8_t *md5;        /* the module's MD5 (16 bytes) */
} FunEntry;

typedef struct FuncName {
    Term function;
    uint32_t arity;
    const BeamInstr *entry;    /* exports: where a call to it jumps */
} FuncName;

/* One function: its func_info address and name. Sorted by address. */
typedef struct FuncRange {
    const BeamInstr *start;    /* the func_info instruction */
    const BeamInstr *end;      /* one past the function's last word */
    Term function;
    uint32_t arity;
} FuncRange;

/* Maps code positions to source lines: valid from `pc` to the next entry. */
typedef struct LineRef {
    uint32_t offset;           /* word offset in code */
    uint32_t item;             /* index into line_items; 0 = none */
} LineRef;

#define MOD_NO_COVER UINT32_MAX

/*
 * A chained superinstruction in code with sites (+D): its handler does its
 * own work and then jumps straight into the handler of the instruction
 * after it, never reading that word. When a site lies at that word, a
 * breakpoint there first turns the chained word into `plain` (the form
 * that dispatches the next word as usual), and the last breakpoint that
 * needed it turns it back.
 */
typedef struct ModCover {
    BeamInstr *pc;   /* the chained instruction's word */
    BeamInstr chained, plain;
    uint32_t up;     /* the cover of this word (a chain of chains), or MOD_NO_COVER */
    uint32_t users;  /* site words with breakpoints that hold it plain (dbg_site's change lock) */
} ModCover;

/*
 * A breakpoint site (+D, see load.h and runtime/debug/dbg.h): a word of
 * the code that a debugger breakpoint may replace, at a line or at a
 * function's entry. Sorted by pc; an entry and a line may share a word.
 */
typedef struct ModSite {
    BeamInstr *pc;        /* the instruction word a breakpoint replaces */
    _Atomic BeamInstr orig; /* that word as loaded (a cover's plain form while a breakpoint holds it) */
    uint32_t offset;      /* pc - code */
    uint32_t line;        /* source line (for an entry: the function head's, 0 if none) */
    uint32_t func;        /* index into funcs */
    uint16_t live;        /* x0..x(live-1) hold terms there */
    bool entry;           /* a function entry, else a line */
    bool covering;        /* holds its covers plain (the first site of its word; change lock) */
    uint32_t cover;       /* index into the module's covers of the chained word that jumps here, or MOD_NO_COVER */
    _Atomic uint32_t bp;  /* the breakpoints set here (runtime/debug); 0 = none */
} ModSite;

typedef struct Module {
    Term name;
    BeamInstr *code;
    size_t code_words;
    FuncRange *funcs;
    uint32_t num_funcs;
    FunEntry *lambdas;
    uint32_t num_lambdas;
    LineRef *lines;
    uint32_t num_lines;
    uint32_t *line_items_file; /* per item: file index */
    uint32_t *line_items_line; /* per item: line number */
    uint32_t num_line_items;
    char **file_names;         /* [0] = "<module>.erl" */
    Term *file_terms;          /* the same names as Erlang strings (in literals) */
    uint32_t num_file_names;
    LiteralArea *literals;
    uint8_t *strtab;
    Term attributes;
    Term compile_info;
    uint8_t md5[16];
    FuncName *exports;
    uint32_t num_exports;
    const FuncRange *on_load;  /* the -on_load function, or NULL */
    ModSite *sites;            /* breakpoint sites, by pc (NULL when loaded without them) */
    uint32_t num_sites;
    ModCover *covers;          /* chained words that jump over a site's word */
    uint32_t num_covers;
    bool has_sites;            /* loaded with line breakpoint sites (+D) */
    struct Module *retired_next; /* code freed by module_release: the list of kept structs */
} Module;

/*
 * Code versions. Each module name has at most three versions: `current`
 * (what Mod:f() calls), `old` (the previous current, still run by processes
 * that were in it and by its funs, until purged) and `pending` (loaded with
 * an -on_load function that has not finished yet). Fields are read without a
 * lock (stack traces, module_info); changes are serialised by one mutex.
 * Code leaves the registry only by module_purge (or a failed on_load), and
 * its memory is freed after thread progress (sched/tp.h), so a scheduler
 * that found it keeps a valid pointer until its next scheduling point.
 */
/* The current code of the module, or NULL. */
Module *module_find(Term name);
/* The old code of the module, or NULL. */
Module *module_find_old(Term name);
/* The code waiting for its on_load function to finish, or NULL. */
Module *module_find_pending(Term name);

enum { MODULE_OK, MODULE_NOT_PURGED, MODULE_ON_LOAD };
/*
 * Makes a prepared module (load.c) the current code: the previous current
 * becomes old and the export entries are repointed (exports it no longer has
 * go back to their undefined stubs). MODULE_NOT_PURGED (m untouched) if the
 * module has both current and old code; MODULE_ON_LOAD if m has an on_load
 * function and run_on_load: it becomes pending, not current, until
 * module_finish_on_load (without run_on_load the function is not run).
 */
int module_commit(Module *m, bool run_on_load);
/* Makes (keep) or discards the pending code of name. False if there is none. */
bool module_finish_on_load(Term name, bool keep);
/* delete_module: current (if any) becomes old, exports undefined. 1 done, 0
   the module was never loaded, -1 old code exists already (badarg). */
int module_delete(Term name);
/* Takes the old code out of the registry (NULL if none); its funs raise badfun
   from now on. The caller frees it with module_release after making sure no
   process runs it. */
Module *module_detach_old(Term name);
/* Frees code that left the registry, after thread progress (keeps what funs
   still point at: the struct and its lambda table); its literal area goes to
   the literal area collector (code_literals.c). */
void module_release(Module *m);
/* Frees a module that was never registered (a failed or abandoned load). */
void module_free(Module *m);
/* True if pc lies in m's code. */
bool module_contains(const Module *m, const BeamInstr *pc);

/* Module names in registration order: module_at(0 .. module_count()-1) is
   the current code of each, or NULL when it has none. Any thread. */
size_t module_count(void);
Module *module_at(size_t i);
/* The name of module slot i, and its old code (or NULL). */
Term module_name_at(size_t i);
Module *module_old_at(size_t i);
/* Bytes of loaded code (erlang:memory(code)). */
size_t module_code_bytes(void);
/* The function named f/arity in m, or NULL. */
const FuncRange *module_func(const Module *m, Term f, uint32_t arity);
/* The function containing pc in any current or old code, or NULL; *mod_out gets its module. */
const FuncRange *module_func_at(const BeamInstr *pc, Module **mod_out);
/* Source file index and line of pc (line 0 when unknown). */
void module_location(const Module *m, const BeamInstr *pc, uint32_t *file, uint32_t *line);
/* The file name with that index as an Erlang string. */
Term module_file_term(const Module *m, uint32_t file);

#endif
