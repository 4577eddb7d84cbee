/*
 * re.h - the native half of OTP's `re` module on PCRE2 (8-bit code units).
 *
 * re.beam from the installed OTP runs unchanged; its NIF stubs (run/2,3,
 * internal_run/4, compile/1,2, inspect/2, version/0) are the BIFs listed in
 * bifs_re.def.
 *
 * A compiled pattern is OTP's tuple {re_pattern, CaptureCount, Unicode,
 * UseCRLF, Bin}; Bin is erbium's own: a key (magic, PCRE2 compile options,
 * newline and \R conventions, then the pattern's UTF-8 or Latin-1 source).
 * The key is all that is needed to compile the pattern again, so every
 * thread keeps a small cache from keys to compiled (and JIT-compiled)
 * PCRE2 code and never shares code with another thread (re_cache.c).
 */
#ifndef ERBIUM_RE_H
#define ERBIUM_RE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "runtime/proc/process.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What to capture ({capture, Spec, Type}). */
enum re_cap_kind { CAP_ALL, CAP_ALL_BUT_FIRST, CAP_FIRST, CAP_NONE, CAP_ALL_NAMES, CAP_LIST };
enum re_cap_type { CAPT_INDEX, CAPT_LIST, CAPT_BINARY };

/* Options of re:compile/2 and re:run/3, parsed. */
typedef struct ReOpts {
    uint32_t compile;     /* PCRE2 compile options */
    uint32_t match;       /* PCRE2 match options */
    uint8_t newline;      /* PCRE2_NEWLINE_*, 0 when not given */
    uint8_t bsr;          /* PCRE2_BSR_*, 0 when not given */
    bool unicode;
    bool compile_only;    /* an option only a pattern being compiled may take */
    bool global, report_errors;
    size_t offset;
    uint32_t match_limit, depth_limit; /* 0: not given */
    enum re_cap_kind cap_kind;
    enum re_cap_type cap_type;
    Term cap_list;        /* CAP_LIST: the list of groups */
} ReOpts;

/* A pattern's identity: what it is compiled from (see above). */
typedef struct ReKey {
    uint8_t *bytes; /* malloc'd */
    size_t len;
} ReKey;

/* Parses an option list; `run` allows the options of re:run. False: badarg. */
bool re_parse_opts(Term list, bool run, ReOpts *o);

/* Builds the key for source + options; false when out of memory. */
bool re_key_make(ReKey *k, const uint8_t *src, size_t n, const ReOpts *o);
/* Reads the key of a compiled pattern tuple; false when it is not one of erbium's. */
bool re_key_from_tuple(Term t, ReKey *k);
/* The same key with the newline/\R conventions re:run's options override. */
void re_key_override(ReKey *k, const ReOpts *o);
/* The parts of a key: PCRE2 compile options, newline, \R convention, source. */
uint32_t re_key_options(const ReKey *k);
uint8_t re_key_newline(const ReKey *k);
uint8_t re_key_bsr(const ReKey *k);
const uint8_t *re_key_source(const ReKey *k, size_t *n);

/* A compiled pattern, owned by the calling thread's cache. */
typedef struct ReCode {
    pcre2_code *code;
    uint32_t captures;
    bool unicode, crlf;
    bool jit;           /* JIT compiled already (re_code_jit), or never to be */
} ReCode;

/*
 * The compiled code for key k, from the calling thread's cache or compiled
 * now. NULL on a compile error, with OTP's message in msg (RE_MSG_MAX
 * bytes) and its offset in *pos.
 */
#define RE_MSG_MAX 160
const ReCode *re_cache_get(const ReKey *k, char *msg, size_t *pos);

/* JIT-compiles c unless it is already (the cache does it for a pattern's second use). */
void re_code_jit(const ReCode *c);

/* Scratch match data with room for n pairs, owned by the calling thread. */
pcre2_match_data *re_match_data(uint32_t pairs);
/* The calling thread's match context, with limits (0: PCRE2's default). */
pcre2_match_context *re_match_context(uint32_t match_limit, uint32_t depth_limit);

/* PCRE2 character tables classifying the characters below 256 as ISO-8859-1,
   as OTP's PCRE does without ucp (re_tables.c); they live as long as the VM. */
const uint8_t *re_latin1_tables(void);

/* The compiled-pattern tuple for a compiled key. */
Term re_pattern_term(Process *p, const ReCode *c, const ReKey *k);

#endif
