/*
 * re_tables.c - PCRE2 character tables for ISO-8859-1 (see re.h).
 *
 * OTP's PCRE is built with tables made in a Latin-1 locale: without ucp the
 * characters below 256 are classified as Latin-1 (é is a letter and a word
 * character, ² is punctuation, É and é are the same letter caseless). PCRE2's
 * built-in tables are the C locale's, and a Latin-1 locale is seldom installed,
 * so the tables are built here, in the layout pcre2_maketables() produces:
 *
 *   lcc[256]    lower case of each character
 *   fcc[256]    the other case (the character itself when it has none)
 *   cbits[320]  ten 32-byte bitmaps: space, xdigit, digit, upper, lower,
 *               word, graph, print, punct, cntrl
 *   ctypes[256] bits: space 0x01, letter 0x02, lower-case letter 0x04,
 *               digit 0x08, word 0x10
 *
 * The classification is what OTP 25's re reports for all 256 values.
 */
#include "runtime/re/re.h"

#include <pthread.h>

enum { LCC = 0, FCC = 256, CBITS = 512, CTYPES = 832, TABLES_LEN = 1088 };
enum {
    CBIT_SPACE = 0, CBIT_XDIGIT = 32, CBIT_DIGIT = 64, CBIT_UPPER = 96, CBIT_LOWER = 128,
    CBIT_WORD = 160, CBIT_GRAPH = 192, CBIT_PRINT = 224, CBIT_PUNCT = 256, CBIT_CNTRL = 288
};
enum { CT_SPACE = 0x01, CT_LETTER = 0x02, CT_LCLETTER = 0x04, CT_DIGIT = 0x08, CT_WORD = 0x10 };

static uint8_t tables[TABLES_LEN];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* Latin-1 has upper-case letters at C0-DE, lower-case ones at E0-FE; D7 (×)
   and F7 (÷) are signs. ß, ÿ, ª, µ and º are lower case without an upper
   case inside Latin-1. */
static bool is_upper(int c) { return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7); }

static bool is_lower(int c)
{
    return (c >= 'a' && c <= 'z') || c == 0xAA || c == 0xB5 || c == 0xBA || (c >= 0xDF && c != 0xF7);
}

static bool is_alpha(int c) { return is_upper(c) || is_lower(c); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static bool is_xdigit(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
/* Neither NEL (85) nor NBSP (A0) is white space in the Latin-1 locale. */
static bool is_space(int c) { return (c >= '\t' && c <= '\r') || c == ' '; }
static bool is_cntrl(int c) { return c < 0x20 || (c >= 0x7F && c < 0xA0); }
static bool is_print(int c) { return !is_cntrl(c); }
/* NBSP is graphic, and so punctuation: OTP's [[:punct:]] matches it. */
static bool is_graph(int c) { return is_print(c) && c != ' '; }
static bool is_punct(int c) { return is_graph(c) && !is_alnum(c); }

static int to_lower(int c) { return is_upper(c) ? c + 0x20 : c; }

static int to_upper(int c)
{
    bool has_upper = (c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7);
    return has_upper ? c - 0x20 : c;
}

static void set_bit(int map, int c) { tables[CBITS + map + c / 8] |= (uint8_t)(1u << (c & 7)); }

static void build_char(int c)
{
    tables[LCC + c] = (uint8_t)to_lower(c);
    tables[FCC + c] = (uint8_t)(is_lower(c) ? to_upper(c) : to_lower(c));
    const struct { bool has; int map; } bits[] = {
        {is_space(c), CBIT_SPACE}, {is_xdigit(c), CBIT_XDIGIT}, {is_digit(c), CBIT_DIGIT},
        {is_upper(c), CBIT_UPPER}, {is_lower(c), CBIT_LOWER},   {is_alnum(c) || c == '_', CBIT_WORD},
        {is_graph(c), CBIT_GRAPH}, {is_print(c), CBIT_PRINT},   {is_punct(c), CBIT_PUNCT},
        {is_cntrl(c), CBIT_CNTRL},
    };
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
        if (bits[i].has) set_bit(bits[i].map, c);
    int t = 0;
    if (is_space(c)) t |= CT_SPACE;
    if (is_alpha(c)) t |= CT_LETTER;
    if (is_lower(c)) t |= CT_LCLETTER;
    if (is_digit(c)) t |= CT_DIGIT;
    if (is_alnum(c) || c == '_') t |= CT_WORD;
    tables[CTYPES + c] = (uint8_t)t;
}

static void build_tables(void)
{
    for (int c = 0; c < 256; c++) build_char(c);
}

const uint8_t *re_latin1_tables(void)
{
    pthread_once(&tables_once, build_tables);
    return tables;
}
