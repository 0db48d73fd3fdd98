/*
 * td_memo: memoised deterministic public-key crypto.
 *
 * A test world is deterministic (td_world.h): the same profile and seed
 * make the same key shares, signatures and premaster secrets run after
 * run. So the handshake prefix a fuzz target replays on every input asks
 * for the same public-key operations every time, and they are most of
 * the cost of a run (scalar multiplications and modular exponentiations).
 * td_memo remembers their results.
 *
 * An operation is memoised as a pure function: an operation code and ALL
 * of its inputs (keys, peer values, messages, the randomness it consumes)
 * map to its outputs and status. A lookup compares the stored inputs
 * byte for byte, never a hash alone, so a hit returns exactly what the
 * computation would have returned; an input the fuzzer changed misses
 * and is computed for real. Whoever memoises an operation that draws
 * randomness must make the randomness part of the input and the state
 * of the stream after the draw part of the output (td_wolfssl_pk.c
 * does so for wolfSSL's key generation), so a hit leaves the world as
 * the computation would have.
 *
 * Users:
 *   the reference's crypto adapter (harness/ref/crypto): key shares,
 *   ECDH and X25519, signatures and their verification, RSA key
 *   transport; the scripted peer runs the same engine, so it is covered;
 *   wolfSSL's PK callbacks (harness/subject/td_wolfssl_pk.c);
 *   the ECDH and X25519 primitives wolfSSL's TLS code calls where no
 *   callback is consulted (harness/core/td_wolfssl_memo.c).
 *
 * The cache is bounded (TD_MEMO_SLOTS entries of at most TD_MEMO_MAX_ENTRY
 * bytes, set-associative, the least recently used of a set replaced), so
 * a long fuzzing run holds at most about TD_MEMO_SLOTS * TD_MEMO_MAX_ENTRY
 * bytes in it.
 *
 * On by default; TD_MEMO=0 in the environment (or td_memo_set_enabled)
 * turns it off: every operation is then computed, with the same code
 * path as a miss. tests/cli/memo_equivalence.sh runs the conformance
 * suite both ways and compares every observation.
 */
#ifndef TD_MEMO_H
#define TD_MEMO_H

#include "td_bytes.h"

#include <stddef.h>
#include <stdint.h>

#define TD_MEMO_SLOTS 16384u
#define TD_MEMO_WAYS 4u
#define TD_MEMO_MAX_ENTRY 8192u /* inputs + outputs; larger ones are not kept */
#define TD_MEMO_MAX_PARTS 8u

/* Operation codes: part of the key, so two operations with equal inputs
 * never share an entry. */
typedef enum td_memo_op {
    TD_MEMO_REF_KX_PUBLIC = 1,
    TD_MEMO_REF_KX_SHARED,
    TD_MEMO_REF_SIG_SIGN,
    TD_MEMO_REF_SIG_VERIFY,
    TD_MEMO_REF_RSA_ENCRYPT,
    TD_MEMO_REF_RSA_DECRYPT,
    TD_MEMO_WOLF_ECC_KEYGEN = 32,
    TD_MEMO_WOLF_ECC_SIGN,
    TD_MEMO_WOLF_ECC_VERIFY,
    TD_MEMO_WOLF_ECC_SHARED,
    TD_MEMO_WOLF_X25519_KEYGEN,
    TD_MEMO_WOLF_X25519_SHARED,
    TD_MEMO_WOLF_ED25519_SIGN,
    TD_MEMO_WOLF_ED25519_VERIFY,
    TD_MEMO_WOLF_RSA_SIGN,
    TD_MEMO_WOLF_RSA_VERIFY,
    TD_MEMO_WOLF_RSA_PSS_SIGN,
    TD_MEMO_WOLF_RSA_PSS_VERIFY,
    TD_MEMO_WOLF_RSA_ENC,
    TD_MEMO_WOLF_RSA_DEC,
    TD_MEMO_WOLF_DH_AGREE,
    TD_MEMO_WOLF_DH_KEYGEN,
    TD_MEMO_WOLF_RSA_SIGN_CHECK, /* wolfSSL's check of its own RSA signature */
    /* wolfCrypt primitives wolfSSL's TLS code calls where no callback is
     * consulted (td_wolfssl_memo.c) */
    TD_MEMO_WOLF_PRIM_ECC_SHARED = 64, /* wc_ecc_shared_secret */
    TD_MEMO_WOLF_PRIM_X25519_SHARED,   /* wc_curve25519_shared_secret_ex */
    TD_MEMO_WOLF_PRIM_X25519_KEYGEN,   /* wc_curve25519_make_key */
} td_memo_op;

/* Whether lookups and stores happen (TD_MEMO unset or not "0": yes). */
int td_memo_enabled(void);
void td_memo_set_enabled(int on);

/* The result stored for (op, in[0..n)) into out (cap bytes): 1 with
 * *out_len and *status set on a hit, 0 on a miss, when memoisation is
 * off, or when the stored output does not fit in cap. */
int td_memo_get(td_memo_op op, const td_span *in, size_t n, uint8_t *out, size_t cap,
                size_t *out_len, int *status);
/* Store the result of (op, in[0..n)). Entries over TD_MEMO_MAX_ENTRY and
 * calls while memoisation is off are ignored. */
void td_memo_put(td_memo_op op, const td_span *in, size_t n, const uint8_t *out, size_t out_len,
                 int status);

typedef struct td_memo_stats {
    uint64_t hits, misses, stores, evictions;
    size_t entries, bytes; /* held now */
} td_memo_stats;

void td_memo_stats_get(td_memo_stats *s);
/* Drop every entry and zero the counters. */
void td_memo_clear(void);

#endif
