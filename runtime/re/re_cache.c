/*
 * re_cache.c - compiling patterns, and each thread's cache of compiled code
 * (see re.h).
 *
 * A pattern tuple carries only its key, so re:run on a compiled pattern
 * looks the key up here. The cache is per thread (schedulers and dirty
 * threads), direct-mapped by the key's hash: no locks, and PCRE2 code and
 * JIT code are never shared between threads. A colliding key replaces the
 * older entry.
 */
#include "runtime/re/re.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 64

typedef struct CacheEntry {
    uint8_t *key;
    size_t len;
    uint32_t uses;
    ReCode code;
} CacheEntry;

static _Thread_local CacheEntry cache[CACHE_SLOTS];
static _Thread_local pcre2_match_data *scratch;
static _Thread_local uint32_t scratch_pairs;
static _Thread_local pcre2_match_context *mctx;
static _Thread_local pcre2_jit_stack *jit_stack;

/* ---- freeing a thread's data when the thread ends ---- */

static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;
static _Thread_local bool thread_registered;

static void thread_free(void *unused)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (cache[i].key) {
            free(cache[i].key);
            pcre2_code_free(cache[i].code.code);
            cache[i].key = NULL;
        }
    pcre2_match_data_free(scratch);
    pcre2_match_context_free(mctx);
    pcre2_jit_stack_free(jit_stack);
    scratch = NULL;
    mctx = NULL;
    jit_stack = NULL;
}

static void thread_key_init(void) { pthread_key_create(&thread_key, thread_free); }

/* Before the calling thread keeps anything: have thread_free run when it ends. */
static void thread_register(void)
{
    if (thread_registered) return;
    pthread_once(&thread_once, thread_key_init);
    pthread_setspecific(thread_key, &thread_registered);
    thread_registered = true;
}

static uint64_t key_hash(const uint8_t *d, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ d[i]) * 1099511628211ull;
    return h;
}

/* PCRE 8's texts for the errors both libraries report, as OTP 25 shows them. */
static const struct { int code; const char *text; } otp_texts[] = {
    {PCRE2_ERROR_END_BACKSLASH, "\\ at end of pattern"},
    {PCRE2_ERROR_END_BACKSLASH_C, "\\c at end of pattern"},
    {PCRE2_ERROR_UNKNOWN_ESCAPE, "unrecognized character follows \\"},
    {PCRE2_ERROR_QUANTIFIER_OUT_OF_ORDER, "numbers out of order in {} quantifier"},
    {PCRE2_ERROR_QUANTIFIER_TOO_BIG, "number too big in {} quantifier"},
    {PCRE2_ERROR_MISSING_SQUARE_BRACKET, "missing terminating ] for character class"},
    {PCRE2_ERROR_ESCAPE_INVALID_IN_CLASS, "invalid escape sequence in character class"},
    {PCRE2_ERROR_CLASS_RANGE_ORDER, "range out of order in character class"},
    {PCRE2_ERROR_QUANTIFIER_INVALID, "nothing to repeat"},
    {PCRE2_ERROR_INVALID_AFTER_PARENS_QUERY, "unrecognized character after (? or (?-"},
    {PCRE2_ERROR_POSIX_CLASS_NOT_IN_CLASS, "POSIX named classes are supported only within a class"},
    {PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS, "missing )"},
    {PCRE2_ERROR_BAD_SUBPATTERN_REFERENCE, "reference to non-existent subpattern"},
    {PCRE2_ERROR_MISSING_COMMENT_CLOSING, "missing ) after comment"},
    {PCRE2_ERROR_PATTERN_TOO_LARGE, "regular expression is too large"},
    {PCRE2_ERROR_UNMATCHED_CLOSING_PARENTHESIS, "unmatched parentheses"},
    {PCRE2_ERROR_LOOKBEHIND_NOT_FIXED_LENGTH, "lookbehind assertion is not fixed length"},
    {PCRE2_ERROR_TOO_MANY_CONDITION_BRANCHES, "conditional group contains more than two branches"},
    {PCRE2_ERROR_CONDITION_ASSERTION_EXPECTED, "assertion expected after (?("},
    {PCRE2_ERROR_UNKNOWN_POSIX_CLASS, "unknown POSIX class name"},
    {PCRE2_ERROR_CODE_POINT_TOO_BIG, "character value in \\x{} or \\o{} is too large"},
    {PCRE2_ERROR_MISSING_NAME_TERMINATOR, "syntax error in subpattern name (missing terminator)"},
    {PCRE2_ERROR_DUPLICATE_SUBPATTERN_NAME, "two named subpatterns have the same name"},
    {PCRE2_ERROR_MALFORMED_UNICODE_PROPERTY, "malformed \\P or \\p sequence"},
    {PCRE2_ERROR_UNKNOWN_UNICODE_PROPERTY, "unknown property name after \\P or \\p"},
    {PCRE2_ERROR_CLASS_INVALID_RANGE, "invalid range in character class"},
    {PCRE2_ERROR_UTF_IS_DISABLED, "setting UTF is disabled by the application"},
    {PCRE2_ERROR_UNRECOGNIZED_AFTER_QUERY_P, "unrecognized character after (?P"},
};

/* The ')' closing the group that starts at src[at] (escapes and classes skipped), or n. */
static size_t group_end(const uint8_t *src, size_t n, size_t at)
{
    int depth = 0;
    bool in_class = false;
    for (size_t i = at; i < n; i++) {
        if (src[i] == '\\') i++;
        else if (in_class) in_class = src[i] != ']';
        else if (src[i] == '[') in_class = true;
        else if (src[i] == '(') depth++;
        else if (src[i] == ')' && --depth == 0) return i;
    }
    return n;
}

/* The offset OTP reports where PCRE 8 and PCRE2 point at different places: PCRE 8
   points at a misplaced quantifier, at the end of a duplicate name and at the end of
   an unknown property name (PCRE2: one after each), and at the end of a variable
   lookbehind (PCRE2: its start). */
static size_t otp_offset(int code, size_t pos, const uint8_t *src, size_t n)
{
    if ((code == PCRE2_ERROR_QUANTIFIER_INVALID || code == PCRE2_ERROR_DUPLICATE_SUBPATTERN_NAME ||
         code == PCRE2_ERROR_UNKNOWN_UNICODE_PROPERTY) && pos > 0)
        return pos - 1;
    if (code == PCRE2_ERROR_LOOKBEHIND_NOT_FIXED_LENGTH && pos < n && src[pos] == '(') return group_end(src, n, pos);
    return pos;
}

static void error_text(int code, char *msg)
{
    for (size_t i = 0; i < sizeof otp_texts / sizeof otp_texts[0]; i++)
        if (otp_texts[i].code == code) {
            snprintf(msg, RE_MSG_MAX, "%s", otp_texts[i].text);
            return;
        }
    pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, RE_MSG_MAX);
}

/* PCRE2's start-of-match bitmap in UTF-8 mode takes the lead bytes of \w's
   characters 128-255 from the tables' space bitmap, not the word one: with the
   Latin-1 tables \w would never be tried at é. The bitmap only filters start
   positions, so setting the lead bytes of all of U+0080-U+00FF (C2, C3) is safe;
   it is done before any JIT compile, which copies the bitmap. */
static void widen_start_bitmap(pcre2_code *code)
{
    const uint8_t *map = NULL;
    if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &map) != 0 || !map) return;
    uint8_t *bits = (uint8_t *)map; /* within the code PCRE2 allocated, writable */
    bits[0xC2 / 8] |= (uint8_t)(1u << (0xC2 % 8));
    bits[0xC3 / 8] |= (uint8_t)(1u << (0xC3 % 8));
}

/* In UTF-8 mode without ucp, PCRE2's interpreter (as PCRE 8's) takes only
   ASCII word characters for the mandatory repeats of \w and \W: "\w+" finds
   "rger" in "Ärger", "\w{2}" nothing in "Äb", while "\w" alone and later
   repeats take Latin-1 letters. Its JIT takes Latin-1 letters throughout. OTP
   has no JIT, so such patterns are never JIT compiled. */
static bool needs_interpreter(const uint8_t *src, size_t n, uint32_t options)
{
    if ((options & (PCRE2_UTF | PCRE2_UCP)) != PCRE2_UTF) return false;
    for (size_t i = 0; i + 1 < n; i++)
        if (src[i] == '\\' && (src[i + 1] == 'w' || src[i + 1] == 'W')) return true;
    return false;
}

static bool compile_key(const ReKey *k, ReCode *out, char *msg, size_t *pos)
{
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    if (!cc) {
        snprintf(msg, RE_MSG_MAX, "failed to get memory");
        *pos = 0;
        return false;
    }
    pcre2_set_character_tables(cc, re_latin1_tables()); /* as OTP's PCRE: see re_tables.c */
    uint8_t nl = re_key_newline(k), bsr = re_key_bsr(k);
    if (nl) pcre2_set_newline(cc, nl);
    if (bsr) pcre2_set_bsr(cc, bsr);
    size_t n;
    const uint8_t *src = re_key_source(k, &n);
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile(src, n, re_key_options(k), &err, &off, cc);
    pcre2_compile_context_free(cc);
    if (!code) {
        error_text(err, msg);
        *pos = otp_offset(err, off, src, n);
        return false;
    }
    uint32_t caps = 0, nlc = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &caps);
    pcre2_pattern_info(code, PCRE2_INFO_NEWLINE, &nlc);
    out->code = code;
    uint32_t all = 0; /* with (*UTF) and (*UCP) in the pattern */
    pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &all);
    out->jit = needs_interpreter(src, n, all); /* true: never JIT compiled */
    out->captures = caps;
    out->unicode = (re_key_options(k) & PCRE2_UTF) != 0;
    if (all & PCRE2_UTF) widen_start_bitmap(code);
    out->crlf = nlc == PCRE2_NEWLINE_CRLF || nlc == PCRE2_NEWLINE_ANYCRLF || nlc == PCRE2_NEWLINE_ANY;
    return true;
}

const ReCode *re_cache_get(const ReKey *k, char *msg, size_t *pos)
{
    CacheEntry *e = &cache[key_hash(k->bytes, k->len) % CACHE_SLOTS];
    if (e->key && e->len == k->len && memcmp(e->key, k->bytes, k->len) == 0) {
        if (++e->uses == 2) re_code_jit(&e->code);
        return &e->code;
    }
    ReCode c;
    if (!compile_key(k, &c, msg, pos)) return NULL;
    thread_register();
    uint8_t *copy = malloc(k->len);
    if (!copy) {
        pcre2_code_free(c.code);
        snprintf(msg, RE_MSG_MAX, "failed to get memory");
        *pos = 0;
        return NULL;
    }
    memcpy(copy, k->bytes, k->len);
    if (e->key) {
        free(e->key);
        pcre2_code_free(e->code.code);
    }
    *e = (CacheEntry){copy, k->len, 1, c};
    return &e->code;
}

/* JIT compiling costs several times an ordinary compile: it is done for a pattern's
   second use, or at once for a long subject. Without JIT support PCRE2 interprets. */
void re_code_jit(const ReCode *c)
{
    ReCode *mine = (ReCode *)c; /* the cache's entry, owned by this thread */
    if (mine->jit) return;
    mine->jit = true;
    pcre2_jit_compile(mine->code, PCRE2_JIT_COMPLETE);
}

pcre2_match_data *re_match_data(uint32_t pairs)
{
    if (pairs < 16) pairs = 16;
    if (scratch && scratch_pairs >= pairs) return scratch;
    thread_register();
    pcre2_match_data *md = pcre2_match_data_create(pairs, NULL);
    if (!md) return NULL;
    if (scratch) pcre2_match_data_free(scratch);
    scratch = md;
    scratch_pairs = pairs;
    return md;
}

pcre2_match_context *re_match_context(uint32_t match_limit, uint32_t depth_limit)
{
    if (!mctx) {
        thread_register();
        mctx = pcre2_match_context_create(NULL);
        if (!mctx) return NULL;
        /* PCRE 8 in OTP recurses as deep as the C stack allows; give JIT code room too */
        jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
        if (jit_stack) pcre2_jit_stack_assign(mctx, NULL, jit_stack);
    }
    pcre2_set_match_limit(mctx, match_limit ? match_limit : 10000000u);
    pcre2_set_depth_limit(mctx, depth_limit ? depth_limit : 10000000u);
    return mctx;
}
