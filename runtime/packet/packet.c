/*
 * packet.c - the length of the first packet in a buffer, per packet type
 * (see packet.h). Headers are big-endian except where a CDR message says
 * it is little-endian.
 */
#include "runtime/packet/packet.h"

#include <string.h>

static uint32_t be16(const uint8_t *b) { return (uint32_t)b[0] << 8 | b[1]; }
static uint32_t be32(const uint8_t *b) { return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]; }
static uint32_t le32(const uint8_t *b) { return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0]; }

/* A header of hl bytes followed by body bytes: the total, unless body exceeds the limit. */
static long framed(size_t hl, uint64_t body, const PacketLimits *lim)
{
    if (lim->max_len && body > lim->max_len) return PACKET_INVALID;
    return (long)(hl + body);
}

static long length_prefixed(size_t hl, const uint8_t *buf, size_t n, const PacketLimits *lim)
{
    if (n < hl) return PACKET_MORE;
    uint32_t body = hl == 1 ? buf[0] : hl == 2 ? be16(buf) : be32(buf);
    return framed(hl, body, lim);
}

/* A line ends at the delimiter; line_length cuts an overlong one; packet_size refuses it. */
static long line_length(const uint8_t *buf, size_t n, const PacketLimits *lim)
{
    size_t scan = lim->line_len && lim->line_len < n ? lim->line_len : n;
    const uint8_t *end = memchr(buf, lim->delimiter, scan);
    if (end) return framed(0, (size_t)(end - buf) + 1, lim);
    if (lim->line_len && n >= lim->line_len) return (long)lim->line_len;
    if (lim->max_len && n > lim->max_len) return PACKET_INVALID;
    return PACKET_MORE;
}

/* BER: a tag (several bytes when its low five bits are all ones), then a definite length
   in one byte or 1-4 following bytes; an indefinite length counts as 0. */
static long asn1_length(const uint8_t *buf, size_t n, const PacketLimits *lim)
{
    size_t i = 1;
    if (n < 1) return PACKET_MORE;
    if ((buf[0] & 0x1f) == 0x1f) {
        while (i < n && (buf[i] & 0x80)) i++;
        i++;
    }
    if (i >= n) return PACKET_MORE;
    uint8_t first = buf[i++];
    if (first < 0x80) return framed(i, first, lim);
    if (first == 0x80) return framed(i, 0, lim);
    size_t k = first & 0x7f;
    if (k > 4) return PACKET_INVALID;
    if (n < i + k) return PACKET_MORE;
    uint32_t body = 0;
    for (size_t j = 0; j < k; j++) body = body << 8 | buf[i + j];
    return framed(i + k, body, lim);
}

/* A GIOP message: "GIOP", version, flags (bit 0: little-endian), type, 32-bit size. */
static long cdr_length(const uint8_t *buf, size_t n, const PacketLimits *lim)
{
    if (n < 12) return PACKET_MORE;
    if (memcmp(buf, "GIOP", 4) != 0) return PACKET_INVALID;
    uint32_t body = (buf[6] & 1) ? le32(buf + 8) : be32(buf + 8);
    return framed(12, body, lim);
}

/* A FastCGI record: version 1, type, request id, content length, padding length, reserved. */
static long fcgi_length(const uint8_t *buf, size_t n, const PacketLimits *lim)
{
    if (n < 8) return PACKET_MORE;
    if (buf[0] != 1) return PACKET_INVALID;
    return framed(8, (uint64_t)be16(buf + 4) + buf[6], lim);
}

/* RFC 1006: version 3, reserved, 16-bit length of the whole packet (at least its header). */
static long tpkt_length(const uint8_t *buf, size_t n, const PacketLimits *lim)
{
    if (n < 4) return PACKET_MORE;
    if (buf[0] != 3) return PACKET_INVALID;
    uint32_t total = be16(buf + 2);
    if (total < 4) return PACKET_INVALID;
    return framed(0, total, lim);
}

/* One HTTP line; a header line also takes the lines that continue it (starting with a
   space or tab), so it is complete only when the byte after it is known. */
static long http_length(PacketType type, const uint8_t *buf, size_t n, const PacketLimits *lim)
{
    bool headers = type == PACKET_HTTPH || type == PACKET_HTTPH_BIN;
    size_t at = 0;
    for (;;) {
        const uint8_t *nl = memchr(buf + at, '\n', n - at);
        if (!nl) return lim->max_len && n > lim->max_len ? PACKET_INVALID : PACKET_MORE;
        size_t end = (size_t)(nl - buf) + 1;
        bool blank = end == 1 || (end == 2 && buf[0] == '\r');
        if (!headers || blank) return framed(0, end, lim);
        if (end == n) return lim->max_len && n > lim->max_len ? PACKET_INVALID : PACKET_MORE;
        if (buf[end] != ' ' && buf[end] != '\t') return framed(0, end, lim);
        at = end;
    }
}

long packet_length(PacketType type, const uint8_t *buf, size_t n, const PacketLimits *lim)
{
    switch (type) {
    case PACKET_RAW: return n ? (long)n : PACKET_MORE;
    case PACKET_1: return length_prefixed(1, buf, n, lim);
    case PACKET_2: return length_prefixed(2, buf, n, lim);
    case PACKET_4: return length_prefixed(4, buf, n, lim);
    case PACKET_ASN1: return asn1_length(buf, n, lim);
    case PACKET_SUNRM: return n < 4 ? PACKET_MORE : framed(4, be32(buf) & 0x7fffffffu, lim);
    case PACKET_CDR: return cdr_length(buf, n, lim);
    case PACKET_FCGI: return fcgi_length(buf, n, lim);
    case PACKET_TPKT: return tpkt_length(buf, n, lim);
    case PACKET_LINE: return line_length(buf, n, lim);
    default: return http_length(type, buf, n, lim);
    }
}

void packet_body(PacketType type, const uint8_t *buf, size_t len, size_t *offset, size_t *body_len)
{
    size_t skip = type == PACKET_1 ? 1 : type == PACKET_2 ? 2 : type == PACKET_4 ? 4 : 0;
    *offset = skip;
    *body_len = len - skip;
    if (type == PACKET_FCGI) *body_len -= buf[6];
}
