/*
 * bif_packet.c - erlang:decode_packet/3 over packet.c and packet_http.c.
 */
#include "runtime/bif/bif.h"
#include "runtime/packet/packet.h"

#include "runtime/proc/heap.h"
#include "runtime/term/binary.h"

#include <stdlib.h>
#include <string.h>

static bool packet_type(Term t, PacketType *out)
{
    static const struct {
        const char *name;
        PacketType type;
    } names[] = {
        {"raw", PACKET_RAW}, {"asn1", PACKET_ASN1}, {"sunrm", PACKET_SUNRM}, {"cdr", PACKET_CDR},
        {"fcgi", PACKET_FCGI}, {"tpkt", PACKET_TPKT}, {"line", PACKET_LINE}, {"http", PACKET_HTTP},
        {"httph", PACKET_HTTPH}, {"http_bin", PACKET_HTTP_BIN}, {"httph_bin", PACKET_HTTPH_BIN},
    };
    if (is_small(t)) {
        switch (small_val(t)) {
        case 0: *out = PACKET_RAW; return true;
        case 1: *out = PACKET_1; return true;
        case 2: *out = PACKET_2; return true;
        case 4: *out = PACKET_4; return true;
        default: return false;
        }
    }
    for (size_t i = 0; is_atom(t) && i < sizeof names / sizeof *names; i++)
        if (t == atom_put(names[i].name, strlen(names[i].name))) {
            *out = names[i].type;
            return true;
        }
    return false;
}

/* [{packet_size, N} | {line_length, N} | {line_delimiter, Byte}] */
static bool packet_options(Term opts, PacketLimits *lim)
{
    Term packet_size = atom_put("packet_size", 11), line_length = atom_put("line_length", 11);
    Term line_delimiter = atom_put("line_delimiter", 14);
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (!is_tuple(o) || tuple_arity(o) != 2) return false;
        Term key = tuple_elems(o)[0], v = tuple_elems(o)[1];
        if (!is_small(v) || small_val(v) < 0) return false;
        size_t n = (size_t)small_val(v);
        if (key == packet_size && n <= 0x7fffffff) lim->max_len = n;
        else if (key == line_length && n <= 0x7fffffff) lim->line_len = n;
        else if (key == line_delimiter && n <= 255) lim->delimiter = (uint8_t)n;
        else return false;
    }
    return is_nil(opts);
}

Term bif_decode_packet_3(Process *p, const Term *args)
{
    Term bin = args[1];
    PacketType type;
    PacketLimits lim = {0, 0, '\n'};
    if (!packet_type(args[0], &type)) return bif_error_cause(p, AM_badarg, AM_badopt);
    BitSlice s;
    if (!bitstring_slice(bin, &s) || !packet_options(args[2], &lim)) return bif_error(p, AM_badarg);
    size_t bits = bitstring_bits(bin), n = bits / 8;
    uint8_t *copy = NULL;
    const uint8_t *data = s.data + s.offset / 8;
    if (s.offset % 8) { /* an unaligned sub binary: parse a copy of its bytes */
        copy = malloc(n + 1);
        if (!copy) return bif_error(p, AM_system_limit);
        bitstring_copy(bin, copy);
        data = copy;
    }
    long len = packet_length(type, data, n, &lim);
    Term r;
    if (len == PACKET_INVALID) {
        r = heap_tuple2(p, AM_error, atom_put("invalid", 7));
    } else if (len == PACKET_MORE || (size_t)len > n) {
        r = heap_tuple2(p, atom_put("more", 4), len == PACKET_MORE ? AM_undefined : make_small(len));
    } else {
        Term packet;
        if (packet_is_http(type)) {
            bool headers = type == PACKET_HTTPH || type == PACKET_HTTPH_BIN;
            bool as_bin = type == PACKET_HTTP_BIN || type == PACKET_HTTPH_BIN;
            packet = packet_http_term(p, data, (size_t)len, headers, as_bin);
        } else {
            size_t off, body;
            packet_body(type, data, (size_t)len, &off, &body);
            packet = binary_sub(p, bin, off * 8, body * 8);
        }
        Term rest = binary_sub(p, bin, (size_t)len * 8, bits - (size_t)len * 8);
        r = is_value(packet) && is_value(rest) ? heap_tuple3(p, AM_ok, packet, rest) : bif_error(p, AM_system_limit);
    }
    free(copy);
    return r;
}
