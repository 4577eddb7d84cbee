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
} Module;

/* The loaded module with that name, or NULL. */
Module *module_find(Term name);
/* Makes m findable by name and by code address (m->name must be set). */
void module_register(Module *m);
/* Frees a module that was never registered (a failed load). */
void module_free(Module *m);
/* Loaded modules, in load order: module_at(0 .. module_count()-1). Any thread. */
size_t module_count(void);
Module *module_at(size_t i);
/* Bytes of loaded code (erlang:memory(code)). */
size_t module_code_bytes(void);
/* The function named f/arity in m, or NULL. */
const FuncRange *module_func(const Module *m, Term f, uint32_t arity);
/* The function containing pc in any module, or NULL; *mod_out gets its module. */
const FuncRange *module_func_at(const BeamInstr *pc, Module **mod_out);
/* Source file index and line of pc (line 0 when unknown). */
void module_location(const Module *m, const BeamInstr *pc, uint32_t *file, uint32_t *line);
/* The file name with that index as an Erlang string. */
Term module_file_term(const Module *m, uint32_t file);

#endif
