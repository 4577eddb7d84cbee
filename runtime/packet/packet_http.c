/*
 * packet_http.c - one HTTP request/status line or header as OTP 25's
 * decode_packet gives it (see packet.h): known methods and header names
 * become atoms, other text stays a string (or a binary for the *_bin
 * types), and a line that does not parse is returned whole in http_error.
 */
#include "runtime/packet/packet.h"

#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"

#include <ctype.h>
#include <string.h>

/* Header names OTP turns into atoms; the bit number in http_header is the index plus one. */
static const char *const known_headers[] = {
    "Cache-Control", "Connection", "Date", "Pragma", "Transfer-Encoding", "Upgrade", "Via",
    "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization", "From",
    "Host", "If-Modified-Since", "If-Match", "If-None-Match", "If-Range", "If-Unmodified-Since",
    "Max-Forwards", "Proxy-Authorization", "Range", "Referer", "User-Agent", "Age", "Location",
    "Proxy-Authenticate", "Public", "Retry-After", "Server", "Vary", "Warning",
    "Www-Authenticate", "Allow", "Content-Base", "Content-Encoding", "Content-Language",
    "Content-Length", "Content-Location", "Content-Md5", "Content-Range", "Content-Type", "Etag",
    "Expires", "Last-Modified", "Accept-Ranges", "Set-Cookie", "Set-Cookie2", "X-Forwarded-For",
    "Cookie", "Keep-Alive", "Proxy-Connection",
};

static const char *const known_methods[] = {"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE"};

/* Longest header name that is case-normalised; longer ones are returned as sent. */
#define HTTP_NAME_NORMALISED_MAX 50

typedef struct Text {
    const uint8_t *s;
    size_t n;
} Text;

static Term text_term(Process *p, Text t, bool bin)
{
    return bin ? binary_from_bytes(p, t.s, t.n) : heap_string(p, (const char *)t.s, t.n);
}

static bool is_blank(uint8_t c) { return c == ' ' || c == '\t'; }

/* A character allowed in a header name: printable ASCII other than HTTP's separators. */
static bool is_token(uint8_t c)
{
    return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* Digits at t->s as a 32-bit unsigned number (wrapping, as OTP's parser does); false if none. */
static bool take_number(Text *t, uint32_t *out)
{
    size_t i = 0;
    uint32_t v = 0;
    for (; i < t->n && isdigit(t->s[i]); i++) v = v * 10 + (uint32_t)(t->s[i] - '0');
    t->s += i;
    t->n -= i;
    *out = v;
    return i > 0;
}

static void skip_blanks(Text *t)
{
    while (t->n && is_blank(*t->s)) t->s++, t->n--;
}

static bool take_prefix(Text *t, const char *prefix, bool any_case)
{
    size_t k = strlen(prefix);
    if (t->n < k) return false;
    if (any_case ? strncasecmp((const char *)t->s, prefix, k) != 0 : memcmp(t->s, prefix, k) != 0) return false;
    t->s += k;
    t->n -= k;
    return true;
}

/* "HTTP/Major.Minor" as {Major, Minor}, or THE_NON_VALUE. */
static Term take_version(Process *p, Text *t)
{
    uint32_t major, minor;
    if (!take_prefix(t, "HTTP/", false) || !take_number(t, &major)) return THE_NON_VALUE;
    if (!take_prefix(t, ".", false) || !take_number(t, &minor)) return THE_NON_VALUE;
    return heap_tuple2(p, make_small(major), make_small(minor));
}

/* "HTTP/x.y Code Reason" */
static Term status_line(Process *p, Text t, bool bin)
{
    Term version = take_version(p, &t);
    if (version == THE_NON_VALUE || !t.n || *t.s != ' ') return THE_NON_VALUE;
    skip_blanks(&t);
    uint32_t code;
    take_number(&t, &code);
    if (t.n && *t.s != ' ') return THE_NON_VALUE;
    skip_blanks(&t);
    return heap_tuple4(p, atom_put("http_response", 13), version, make_small(code), text_term(p, t, bin));
}

/* "http://Host[:Port][/Path]" (scheme already taken) as {absoluteURI, Scheme, Host, Port, Path}. */
static Term absolute_uri(Process *p, Term scheme, Text t, bool bin)
{
    size_t h = 0;
    while (h < t.n && t.s[h] != ':' && t.s[h] != '/') h++;
    Text host = {t.s, h};
    Text rest = {t.s + h, t.n - h};
    Term port = atom_put("undefined", 9);
    if (rest.n && *rest.s == ':') {
        rest.s++, rest.n--;
        uint32_t v;
        bool digits = take_number(&rest, &v);
        if (digits && v && (!rest.n || *rest.s == '/')) port = make_small(v);
        while (rest.n && *rest.s != '/') rest.s++, rest.n--;
    }
    Text path = rest.n ? rest : (Text){(const uint8_t *)"/", 1};
    Term *hp = heap_alloc(p, 6);
    hp[0] = make_tuple_header(5);
    hp[1] = atom_put("absoluteURI", 11);
    hp[2] = scheme;
    hp[3] = text_term(p, host, bin);
    hp[4] = port;
    hp[5] = text_term(p, path, bin);
    return make_boxed(hp);
}

static Term request_uri(Process *p, Text u, bool bin)
{
    if (u.n == 1 && *u.s == '*') return atom_put("*", 1);
    if (*u.s == '/') return heap_tuple2(p, atom_put("abs_path", 8), text_term(p, u, bin));
    Text t = u;
    if (take_prefix(&t, "http://", true)) return absolute_uri(p, atom_put("http", 4), t, bin);
    if (take_prefix(&t, "https://", true)) return absolute_uri(p, atom_put("https", 5), t, bin);
    const uint8_t *colon = memchr(u.s, ':', u.n);
    if (!colon) return text_term(p, u, bin);
    Text scheme = {u.s, (size_t)(colon - u.s)};
    Text rest = {colon + 1, u.n - scheme.n - 1};
    return heap_tuple3(p, atom_put("scheme", 6), text_term(p, scheme, bin), text_term(p, rest, bin));
}

static Term method_term(Process *p, Text m, bool bin)
{
    for (size_t i = 0; i < sizeof known_methods / sizeof *known_methods; i++)
        if (strlen(known_methods[i]) == m.n && memcmp(known_methods[i], m.s, m.n) == 0)
            return atom_put(known_methods[i], m.n);
    return text_term(p, m, bin);
}

/* "Method URI [HTTP/x.y]"; without a version the request is HTTP/0.9. */
static Term request_line(Process *p, Text t, bool bin)
{
    size_t i = 0;
    while (i < t.n && !is_blank(t.s[i])) {
        if (!is_token(t.s[i])) return THE_NON_VALUE;
        i++;
    }
    if (i == 0 || i == t.n) return THE_NON_VALUE;
    Text method = {t.s, i};
    Text rest = {t.s + i, t.n - i};
    skip_blanks(&rest);
    size_t u = 0;
    while (u < rest.n && !is_blank(rest.s[u])) u++;
    if (u == 0) return THE_NON_VALUE;
    Text uri = {rest.s, u};
    rest.s += u, rest.n -= u;
    skip_blanks(&rest);
    Term version = rest.n ? take_version(p, &rest) : heap_tuple2(p, make_small(0), make_small(9));
    if (version == THE_NON_VALUE) return THE_NON_VALUE;
    return heap_tuple4(p, atom_put("http_request", 12), method_term(p, method, bin), request_uri(p, uri, bin), version);
}

/* "Name: Value"; the name is case-normalised (capitals after '-'), known names become atoms. */
static Term header_line(Process *p, Text t, bool bin)
{
    size_t n = 0;
    while (n < t.n && t.s[n] != ':') {
        if (!is_token(t.s[n])) return THE_NON_VALUE;
        n++;
    }
    if (n == t.n) return THE_NON_VALUE;
    Text name = {t.s, n};
    Text value = {t.s + n + 1, t.n - n - 1};
    skip_blanks(&value);
    char norm[HTTP_NAME_NORMALISED_MAX + 1];
    Text field = name;
    if (n <= HTTP_NAME_NORMALISED_MAX) {
        bool up = true;
        for (size_t i = 0; i < n; i++) {
            int c = name.s[i];
            if (up) {
                c = toupper(c);
                up = false;
            } else {
                c = tolower(c);
                up = c == '-';
            }
            norm[i] = (char)c;
        }
        field = (Text){(const uint8_t *)norm, n};
    }
    Term bit = make_small(0), field_term = THE_NON_VALUE;
    for (size_t i = 0; field.s == (const uint8_t *)norm && i < sizeof known_headers / sizeof *known_headers; i++)
        if (strlen(known_headers[i]) == n && memcmp(known_headers[i], norm, n) == 0) {
            bit = make_small((intptr_t)i + 1);
            field_term = atom_put(known_headers[i], n);
        }
    if (field_term == THE_NON_VALUE) field_term = text_term(p, field, bin);
    Term *hp = heap_alloc(p, 6);
    hp[0] = make_tuple_header(5);
    hp[1] = atom_put("http_header", 11);
    hp[2] = bit;
    hp[3] = field_term;
    hp[4] = text_term(p, name, bin);
    hp[5] = text_term(p, value, bin);
    return make_boxed(hp);
}

Term packet_http_term(Process *p, const uint8_t *line, size_t len, bool headers, bool bin)
{
    Text t = {line, len - 1}; /* without the final '\n' and one '\r' before it */
    if (t.n && t.s[t.n - 1] == '\r') t.n--;
    Term r = THE_NON_VALUE;
    if (t.n == 0) {
        if (headers) return atom_put("http_eoh", 8);
    } else if (headers) {
        r = header_line(p, t, bin);
    } else {
        Text probe = t;
        r = take_prefix(&probe, "HTTP/", false) ? status_line(p, t, bin) : request_line(p, t, bin);
    }
    if (r != THE_NON_VALUE) return r;
    return heap_tuple2(p, atom_put("http_error", 10), text_term(p, (Text){line, len}, bin));
}
