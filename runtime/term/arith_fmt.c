/*
 * arith_fmt.c - floats as text and back (see arith_fmt.h).
 *
 * Shortest form: the fewest significant digits that read back as the same
 * double, and of those the nearest to it (what OTP's Ryu-based code
 * computes). We find it with the C library's correctly rounded conversions:
 * for a digit count p, printf's "%.*e" gives the p-digit decimal nearest
 * the double; if that does not read back, the only other p-digit decimal
 * that can is its neighbour on the other side of the double (the set that
 * reads back is an interval around the double). Whether some p-digit
 * decimal reads back is monotonic in p, so p is found by binary search.
 * OTP then picks fixed or scientific notation by rules adapted from MS STL's
 * to_chars (see choose_fixed).
 *
 * Fixed form: OTP 25's own algorithm, reproduced for identical output. The
 * fraction is scaled by 10^decimals in double arithmetic and rounded half
 * away from zero (float_to_list(2.5, [{decimals,0}]) is "3", and 0.125 with
 * 2 decimals is "0.13", unlike printf); beyond 2^53, or with 19 or more
 * decimals, it uses "%.*f". -0.0 keeps its sign.
 */
#include "runtime/term/arith_fmt.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shortest form ---- */

/* value = digits * 10^exp */
typedef struct Decimal {
    uint64_t digits;
    int exp;
} Decimal;

static const uint64_t pow10_u64[] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
    100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
    10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
    100000000000000000ull, 1000000000000000000ull,
};

static bool reads_back(Decimal c, double a)
{
    char s[48];
    snprintf(s, sizeof s, "%" PRIu64 "e%d", c.digits, c.exp);
    return strtod(s, NULL) == a;
}

/* The p-digit decimal nearest a (a > 0 and finite). */
static Decimal nearest_decimal(double a, int p)
{
    char s[48];
    snprintf(s, sizeof s, "%.*e", p - 1, a);
    Decimal d = {0, 0};
    const char *c = s;
    for (; *c != 'e'; c++) {
        if (*c != '.') d.digits = d.digits * 10 + (uint64_t)(*c - '0');
    }
    d.exp = atoi(c + 1) - (p - 1);
    return d;
}

/* A decimal of p significant digits that reads back as a, preferring the nearest. */
static bool decimal_with_digits(double a, int p, Decimal *out)
{
    Decimal n = nearest_decimal(a, p);
    Decimal up = {n.digits + 1, n.exp};
    /* Below a power of ten the p-digit grid is ten times finer. */
    Decimal down = n.digits == pow10_u64[p - 1] ? (Decimal){pow10_u64[p] - 1, n.exp - 1}
                                                : (Decimal){n.digits - 1, n.exp};
    if (reads_back(n, a)) *out = n;
    else if (reads_back(up, a)) *out = up;
    else if (reads_back(down, a)) *out = down;
    else return false;
    return true;
}

/* The shortest decimal that reads back as a (a > 0 and finite), without trailing zeros. */
static Decimal shortest_decimal(double a)
{
    int lo = 1, hi = 17; /* 17 digits always suffice for a double */
    Decimal d;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (decimal_with_digits(a, mid, &d)) hi = mid;
        else lo = mid + 1;
    }
    decimal_with_digits(a, lo, &d);
    while (d.digits % 10 == 0) {
        d.digits /= 10;
        d.exp++;
    }
    return d;
}

/*
 * OTP's choice of notation (erts/emulator/ryu/to_chars.h), for `len` digits
 * and exponent exp: fixed when exp lies in a window, except for integers
 * at or beyond 2^53 (which fixed notation would show as exact).
 */
static bool choose_fixed(Decimal d, int len)
{
    int sci_exp = d.exp + len - 1;
    int lower = len == 1 ? -4 : -(len + 2);
    int upper = (len == 1 || sci_exp >= 10) ? 2 : 1;
    if (d.exp < lower || d.exp > upper) return false;
    if (d.exp == 0 && d.digits >= (1ull << 53)) return false;
    if (d.exp == 1 && d.digits > (1ull << 52) / 5) return false;
    if (d.exp == 2 && d.digits > (1ull << 51) / 25) return false;
    return true;
}

static int put_fixed(char *out, const char *digits, int len, int exp)
{
    int whole = len + exp; /* digits before the point */
    char *p = out;
    if (whole <= 0) { /* 0.001729 */
        *p++ = '0';
        *p++ = '.';
        memset(p, '0', (size_t)-whole);
        p += -whole;
        memcpy(p, digits, (size_t)len);
        p += len;
    } else if (exp >= 0) { /* 172900.0 */
        memcpy(p, digits, (size_t)len);
        p += len;
        memset(p, '0', (size_t)exp);
        p += exp;
        *p++ = '.';
        *p++ = '0';
    } else { /* 17.29 */
        memcpy(p, digits, (size_t)whole);
        p += whole;
        *p++ = '.';
        memcpy(p, digits + whole, (size_t)(len - whole));
        p += len - whole;
    }
    *p = '\0';
    return (int)(p - out);
}

static int put_scientific(char *out, const char *digits, int len, int exp)
{
    int sci_exp = exp + len - 1;
    if (len == 1) return sprintf(out, "%c.0e%d", digits[0], sci_exp);
    return sprintf(out, "%c.%se%d", digits[0], digits + 1, sci_exp);
}

int arith_fmt_short(double d, char *buf)
{
    char *out = buf;
    if (signbit(d)) *out++ = '-';
    double a = fabs(d);
    if (a == 0.0) return (int)(out - buf) + sprintf(out, "0.0");
    Decimal dec = shortest_decimal(a);
    char digits[24];
    int len = sprintf(digits, "%" PRIu64, dec.digits);
    int n = choose_fixed(dec, len) ? put_fixed(out, digits, len, dec.exp)
                                   : put_scientific(out, digits, len, dec.exp);
    return (int)(out - buf) + n;
}

/* ---- fixed form ---- */

/* 10^n as doubles; with more decimals than this OTP uses printf. */
static const double pow10_dbl[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
    1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
};
#define POW10_DBL_COUNT ((int)(sizeof pow10_dbl / sizeof pow10_dbl[0]))

/* Drops trailing zeros before p, as OTP does (keeping "N.0"); returns the new end. */
static char *drop_trailing_zeros(char *buf, char *p)
{
    while (p > buf + 1 && p[-1] == '0') p--;
    if (p[-1] == '.') p++;
    *p = '\0';
    return p;
}

static int fixed_by_printf(double d, int decimals, bool compact, char *buf, size_t size)
{
    int len = snprintf(buf, size, "%.*f", decimals, d);
    if (len < 0 || (size_t)len >= size) return -1;
    /* Like OTP, even with no point: 1.0e20 with 0 decimals, compact, is "1". */
    return compact ? (int)(drop_trailing_zeros(buf, buf + len) - buf) : len;
}

int arith_fmt_fixed(double d, int decimals, bool compact, char *buf, size_t size)
{
    if (decimals < 0) return -1;
    double a = fabs(d);
    if (a > 0x1p53 || decimals >= POW10_DBL_COUNT) {
        return fixed_by_printf(d, decimals, compact, buf, size);
    }
    const char *sign = signbit(d) ? "-" : "";
    if (decimals == 0) return snprintf(buf, size, "%s%" PRIu64, sign, (uint64_t)llround(a));
    /* The fraction scaled to an integer, rounded half away from zero, may carry. */
    double whole = floor(a);
    double frac = round((a - whole) * pow10_dbl[decimals]);
    uint64_t ip = (uint64_t)whole, fp = (uint64_t)frac;
    if (frac >= pow10_dbl[decimals]) {
        ip++;
        fp = 0;
    }
    int len = snprintf(buf, size, "%s%" PRIu64 ".%0*" PRIu64, sign, ip, decimals, fp);
    return compact ? (int)(drop_trailing_zeros(buf, buf + len) - buf) : len;
}

/* ---- scientific form ---- */

int arith_fmt_scientific(double d, int decimals, char *buf, size_t size)
{
    int len = snprintf(buf, size, "%.*e", decimals, d);
    return (len < 0 || (size_t)len >= size) ? -1 : len;
}

/* ---- reading ---- */

static char *skip_digits(char *s)
{
    while (*s >= '0' && *s <= '9') s++;
    return s;
}

/* Checks the syntax; returns the decimal point's position, or NULL. */
static char *float_syntax(char *text)
{
    char *s = text;
    if (*s == '+' || *s == '-') s++;
    char *point = skip_digits(s);
    if (point == s || (*point != '.' && *point != ',')) return NULL;
    s = skip_digits(point + 1);
    if (s == point + 1) return NULL;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') s++;
        const char *exp = s;
        s = skip_digits(s);
        if (s == exp) return NULL;
    }
    return *s == '\0' ? point : NULL;
}

bool arith_parse_float(char *text, double *out)
{
    char *point = float_syntax(text);
    if (!point) return false;
    *point = '.';
    errno = 0;
    double d = strtod(text, NULL);
    if (errno == ERANGE && isinf(d)) return false;
    *out = d;
    return true;
}

char *arith_fmt_small(intptr_t v, unsigned base, char *end)
{
    static const char digit[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do {
        *--end = digit[m % base];
        m /= base;
    } while (m);
    if (v < 0) *--end = '-';
    return end;
}
