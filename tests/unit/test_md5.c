/*
 * test_md5.c - MD5 (runtime/etf/md5.h) against the RFC 1321 test suite and
 * digests of lengths around the 64-byte block and the 56-byte padding
 * boundary (computed with an independent implementation), fed in one piece
 * and in uneven pieces.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/etf/md5.h"

static void hex(const uint8_t d[16], char out[33])
{
    for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void expect_digest(const void *data, size_t len, const char *want)
{
    uint8_t d[16];
    char text[33];
    md5_digest(data, len, d);
    hex(d, text);
    cr_assert_str_eq(text, want, "length %zu", len);

    /* the same bytes in pieces of 1, 2, 3, ... bytes */
    Md5 m;
    md5_init(&m);
    const uint8_t *p = data;
    for (size_t piece = 1, off = 0; off < len; off += piece, piece++)
        md5_update(&m, p + off, piece < len - off ? piece : len - off);
    md5_final(&m, d);
    hex(d, text);
    cr_assert_str_eq(text, want, "length %zu in pieces", len);
}

Test(md5, rfc1321_suite)
{
    static const struct { const char *text, *digest; } suite[] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
         "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    for (size_t i = 0; i < sizeof suite / sizeof suite[0]; i++)
        expect_digest(suite[i].text, strlen(suite[i].text), suite[i].digest);
}

Test(md5, block_boundaries)
{
    static const struct { size_t len; const char *digest; } cases[] = {
        {55, "ef1772b6dff9a122358552954ad0df65"},  {56, "3b0c8ac703f828b04c6c197006d17218"},
        {57, "652b906d60af96844ebd21b674f35e93"},  {63, "b06521f39153d618550606be297466d5"},
        {64, "014842d480b571495a4a0363793f7367"},  {65, "c743a45e0d2e6a95cb859adae0248435"},
        {119, "8a7bd0732ed6a28ce75f6dabc90e1613"}, {120, "5f61c0ccad4cac44c75ff505e1f1e537"},
        {1000000, "7707d6ae4e027c70eea2a935c2296f21"},
    };
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_digest(a, cases[i].len, cases[i].digest);
    free(a);
}
