/*
 * packet.h - cutting a byte stream into packets as erlang:decode_packet/3
 * and the {packet, Type} socket option describe them (OTP 25's rules).
 *
 * packet_length() says how long the first packet of a buffer is; the body
 * of a length-prefixed packet is what follows its header (packet_body()).
 * HTTP lines are parsed into terms by packet_http_term() (packet_http.c).
 */
#ifndef ERBIUM_PACKET_H
#define ERBIUM_PACKET_H

#include "runtime/proc/process.h"

#include <stddef.h>
#include <stdint.h>

typedef enum PacketType {
    PACKET_RAW, PACKET_1, PACKET_2, PACKET_4, PACKET_ASN1, PACKET_SUNRM, PACKET_CDR,
    PACKET_FCGI, PACKET_TPKT, PACKET_LINE, PACKET_HTTP, PACKET_HTTPH, PACKET_HTTP_BIN,
    PACKET_HTTPH_BIN,
} PacketType;

typedef struct PacketLimits {
    size_t max_len;   /* packet_size: 0 means no limit */
    size_t line_len;  /* line_length for line packets: 0 means no limit */
    uint8_t delimiter; /* line_delimiter */
} PacketLimits;

/* Result codes of packet_length besides a positive length. */
#define PACKET_MORE 0     /* incomplete; the total length is not known yet */
#define PACKET_INVALID -1 /* malformed, or longer than max_len */

/*
 * The length in bytes of the first packet in buf[0..n), header included:
 * possibly more than n (then the caller waits for that many bytes), or
 * PACKET_MORE / PACKET_INVALID.
 */
long packet_length(PacketType type, const uint8_t *buf, size_t n, const PacketLimits *lim);

/* Where the body of a whole packet of `len` bytes starts and how long it is (the header of
   1/2/4 packets and the padding of fcgi records are not part of it). */
void packet_body(PacketType type, const uint8_t *buf, size_t len, size_t *offset, size_t *body_len);

static inline bool packet_is_http(PacketType t) { return t >= PACKET_HTTP; }

/*
 * The term for one HTTP line (or a header with its continuation lines),
 * line[0..len) with its line end: http_request / http_response / http_header
 * tuples, http_eoh, or {http_error, Line}. `headers` is true after the
 * request line (httph types); `bin` gives binaries instead of strings.
 */
Term packet_http_term(Process *p, const uint8_t *line, size_t len, bool headers, bool bin);

#endif
