/* td_err names, td_names registry, td_rng (RFC 8439 known answers and
 * stream properties), td_world sessions and binding. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "td_err.h"
#include "td_names.h"
#include "td_rng.h"
#include "td_world.h"

Suite *td_core_suite(void);

static void hex(const char *h, uint8_t *out, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned v;
        ck_assert(sscanf(h + 2 * i, "%2x", &v) == 1);
        out[i] = (uint8_t)v;
    }
}

/* RFC 8439 A.1 test vectors #1 and #2: all-zero key and nonce, block
 * counters 0 and 1 (the same bytes `openssl enc -chacha20` gives with a
 * zero key and IV). */
START_TEST(chacha20_rfc8439_a1)
{
    static const uint32_t zero_key[8];
    uint8_t got[64], want[64];

    td_chacha20_block(zero_key, 0, got);
    hex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
        "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586", want, 64);
    ck_assert_mem_eq(got, want, 64);
    td_chacha20_block(zero_key, 1, got);
    hex("9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
        "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f", want, 64);
    ck_assert_mem_eq(got, want, 64);
}
END_TEST

/* Key 00 01 .. 1f, counter 1: `openssl enc -chacha20 -K 0001..1f
 * -iv 01000000000000000000000000000000` over 64 zero bytes. */
START_TEST(chacha20_key_counter)
{
    uint32_t key[8];
    uint8_t got[64], want[64];
    int i;

    for (i = 0; i < 8; i++)
        key[i] = (uint32_t)(4 * i) | (uint32_t)(4 * i + 1) << 8 | (uint32_t)(4 * i + 2) << 16 |
                 (uint32_t)(4 * i + 3) << 24;
    td_chacha20_block(key, 1, got);
    hex("18b84231ade6a6d113615c61af434e27f8b1f3f5e1ad5b5cecf8fc122a35755c"
        "7208086dd1ee3c5d9d815824640e003c9ba0f65ede5d59ce0d2a4a7f31955acd", want, 64);
    ck_assert_mem_eq(got, want, 64);
}
END_TEST

START_TEST(rng_streams)
{
    td_rng a, b, c, d;
    uint8_t x[300], y[300], z[300];
    size_t i;

    td_rng_init(&a, 42, "client");
    td_rng_init(&b, 42, "client");
    td_rng_init(&c, 42, "server");
    td_rng_init(&d, 43, "client");
    /* Draw in different chunk sizes: the stream must not depend on them. */
    for (i = 0; i < sizeof x; i += 7)
        td_rng_bytes(&a, x + i, sizeof x - i < 7 ? sizeof x - i : 7);
    td_rng_bytes(&b, y, sizeof y);
    ck_assert_mem_eq(x, y, sizeof x);
    ck_assert_uint_eq(a.drawn, sizeof x);
    td_rng_bytes(&c, z, sizeof z);
    ck_assert(memcmp(x, z, sizeof x) != 0);
    td_rng_bytes(&d, z, sizeof z);
    ck_assert(memcmp(x, z, sizeof x) != 0);
    /* Re-initialising rewinds. */
    td_rng_init(&a, 42, "client");
    td_rng_bytes(&a, z, sizeof z);
    ck_assert_mem_eq(x, z, sizeof x);
}
END_TEST

START_TEST(rng_below)
{
    td_rng r;
    unsigned seen[5] = {0};
    int i;

    td_rng_init(&r, 7, "peer");
    for (i = 0; i < 5000; i++) {
        uint32_t v = td_rng_below(&r, 5);
        ck_assert_uint_lt(v, 5);
        seen[v]++;
    }
    for (i = 0; i < 5; i++)
        ck_assert_uint_gt(seen[i], 800); /* 1000 expected each */
    ck_assert_uint_eq(td_rng_below(&r, 1), 0);
}
END_TEST

static int freed;
static void count_free(void *p)
{
    (void)p;
    freed++;
}

START_TEST(world_sessions)
{
    td_world w;
    static int token[TD_SESSION_SLOTS + 2];
    uint8_t id[32];
    int i;

    td_world_init(&w, 1);
    w.session_free = count_free;
    freed = 0;
    memset(id, 0xaa, sizeof id);
    td_world_session_put(&w, id, sizeof id, &token[0]);
    ck_assert_ptr_eq(td_world_session_get(&w, id, sizeof id), &token[0]);
    ck_assert_ptr_null(td_world_session_get(&w, id, 31));
    td_world_session_put(&w, id, sizeof id, &token[1]); /* replaces */
    ck_assert_int_eq(freed, 1);
    ck_assert_ptr_eq(td_world_session_get(&w, id, sizeof id), &token[1]);
    for (i = 0; i < TD_SESSION_SLOTS + 1; i++) { /* evicts the oldest */
        id[0] = (uint8_t)i;
        td_world_session_put(&w, id, sizeof id, &token[i + 1]);
    }
    /* 17 new ids into 16 slots (one holds the 0xaa id): the 0xaa entry and
     * the first new one are evicted. */
    ck_assert_int_eq(freed, 3);
    td_world_free(&w);
    ck_assert_int_eq(freed, 3 + TD_SESSION_SLOTS);
}
END_TEST

START_TEST(world_binding)
{
    td_world a, b;
    td_binding prev, inner;

    td_world_init(&a, 1);
    td_world_init(&b, 2);
    ck_assert_int_eq(a.clock, TD_CLOCK_DEFAULT);
    prev = td_world_bind(&a, TD_PARTY_SERVER);
    inner = td_world_bind(&b, TD_PARTY_CLIENT);
    ck_assert_ptr_eq(td_world_bound().world, &b);
    td_world_restore(inner);
    ck_assert_ptr_eq(td_world_bound().world, &a);
    ck_assert_int_eq(td_world_bound().party, TD_PARTY_SERVER);
    td_world_restore(prev);
    td_world_free(&a);
    td_world_free(&b);
}
END_TEST

START_TEST(names)
{
    uint16_t c;

    ck_assert_str_eq(td_err_name(TD_ALERT_PROTOCOL_VERSION), "protocol_version");
    ck_assert_str_eq(td_err_name(TD_ERR_NOSPACE), "internal:nospace");
    ck_assert_str_eq(td_err_name(255), "unknown(255)");
    ck_assert_int_eq(td_name_parse(TD_NAMES_SUITE, "TLS_AES_128_GCM_SHA256", &c), TD_OK);
    ck_assert_uint_eq(c, 0x1301); /* RFC 8446 B.4 */
    ck_assert_int_eq(td_name_parse(TD_NAMES_GROUP, "x25519", &c), TD_OK);
    ck_assert_uint_eq(c, 0x001d); /* RFC 8446 4.2.7 */
    ck_assert_int_eq(td_name_parse(TD_NAMES_SIGSCHEME, "rsa_pss_rsae_sha256", &c), TD_OK);
    ck_assert_uint_eq(c, 0x0804); /* RFC 8446 4.2.3 */
    ck_assert_int_eq(td_name_parse(TD_NAMES_SUITE, "0xC02B", &c), TD_OK);
    ck_assert_str_eq(td_name_of(TD_NAMES_SUITE, c), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    ck_assert_int_eq(td_name_parse(TD_NAMES_GROUP, "x25520", &c), TD_ERR_NOT_FOUND);
    ck_assert_int_eq(td_name_parse(TD_NAMES_GROUP, "0x10000", &c), TD_ERR_NOT_FOUND);
    ck_assert_str_eq(td_name_or_hex(TD_NAMES_GROUP, 0x1234), "0x1234");
}
END_TEST

Suite *td_core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *t = tcase_create("rng");

    tcase_add_test(t, chacha20_rfc8439_a1);
    tcase_add_test(t, chacha20_key_counter);
    tcase_add_test(t, rng_streams);
    tcase_add_test(t, rng_below);
    suite_add_tcase(s, t);
    t = tcase_create("world");
    tcase_add_test(t, world_sessions);
    tcase_add_test(t, world_binding);
    suite_add_tcase(s, t);
    t = tcase_create("names");
    tcase_add_test(t, names);
    suite_add_tcase(s, t);
    return s;
}
