/*
 * md5.h - MD5 message digest (RFC 1321), for the module MD5
 * (module_info(md5), fun identity) and erlang:md5/1.
 *
 * Feed any number of byte ranges with md5_update(), then md5_final()
 * writes the 16-byte digest. A context is reusable after md5_init().
 */
#ifndef ERBIUM_MD5_H
#define ERBIUM_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct Md5 {
    uint32_t state[4];
    uint64_t length;   /* bytes fed so far */
    uint8_t block[64]; /* partial input block */
    size_t used;       /* bytes in block */
} Md5;

void md5_init(Md5 *m);
void md5_update(Md5 *m, const void *data, size_t len);
void md5_final(Md5 *m, uint8_t digest[16]);

/* One-shot digest of a byte range. */
void md5_digest(const void *data, size_t len, uint8_t digest[16]);

#endif
