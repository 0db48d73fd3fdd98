/*
 * What td_wolfssl_pk.c and td_wolfssl_pk_rsa.c share: one memoised
 * operation (pk_memo and its td_pk_memo_* steps), the encoding of its
 * outputs, and the RSA callbacks td_wolfssl_pk_install installs.
 * td_wolfssl_pk.c's header comment gives the rules. Only those two
 * files include this.
 */
#ifndef TD_WOLFSSL_PK_IMPL_H
#define TD_WOLFSSL_PK_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <wolfssl/wolfcrypt/settings.h>

#include <wolfssl/ssl.h>

#include "td_memo.h"
#include "td_memo_draw.h"

#define OUT_MAX 2048u /* outputs of one operation, the td_rng state apart */

/* ---- one memoised operation --------------------------------------------- */

typedef struct pk_memo {
    td_memo_op op;
    int draws;         /* the operation draws from the party's stream */
    int usable;        /* 0: computed without the cache */
    int closed;        /* the key is complete */
    td_memo_draw draw; /* the bound party's stream, its state on entry (td_memo_draw.h) */
    td_rng after;      /* from a hit: its state after the operation */
    td_span in[TD_MEMO_MAX_PARTS];
    size_t n;
    uint8_t params[64]; /* the integer inputs, 4 bytes each */
    size_t params_len;
    uint8_t out[OUT_MAX + sizeof(td_rng)];
    size_t out_len;
} pk_memo;

void td_pk_memo_begin(pk_memo *m, td_memo_op op, int draws);
/* One input, by reference: it must not change before td_memo_put. */
void td_pk_memo_in(pk_memo *m, const void *p, size_t len);
void td_pk_memo_param(pk_memo *m, int32_t v);
/* 1 on a hit: the outputs in m->out[0..m->out_len), *status set; nothing
 * is changed until td_pk_memo_commit. */
int td_pk_memo_get(pk_memo *m, int *status);
/* The hit's outputs are in place: the stream as the operation left it. */
void td_pk_memo_commit(pk_memo *m);
/* After computing: keep out[0..len) (len <= OUT_MAX) and status. */
void td_pk_memo_put(pk_memo *m, const uint8_t *out, size_t len, int status);

/* ---- output encoding ------------------------------------------------------ */

typedef struct wbuf {
    uint8_t *p;
    size_t len, cap;
    int ok;
} wbuf;

typedef struct rbuf {
    const uint8_t *p;
    size_t len, off;
    int ok;
} rbuf;

void td_pk_w_i32(wbuf *w, int32_t v);
void td_pk_w_bytes(wbuf *w, const void *p, size_t n);
int32_t td_pk_r_i32(rbuf *r);
const uint8_t *td_pk_r_bytes(rbuf *r, size_t n);
wbuf td_pk_wbuf_of(pk_memo *m);
rbuf td_pk_rbuf_of(const pk_memo *m);

/* ---- the RSA callbacks (td_wolfssl_pk_rsa.c) ------------------------------ */

int td_pk_rsa_sign(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz, unsigned char *out,
                   word32 *outSz, const unsigned char *keyDer, unsigned int keySz, void *ctx);
int td_pk_rsa_pss_sign(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz, unsigned char *out,
                       unsigned int *outSz, int hash, int mgf, const unsigned char *keyDer,
                       unsigned int keySz, void *ctx);
int td_pk_rsa_enc(WOLFSSL *ssl, const unsigned char *in, unsigned int inSz, unsigned char *out,
                  word32 *outSz, const unsigned char *keyDer, unsigned int keySz, void *ctx);
int td_pk_rsa_verify(WOLFSSL *ssl, unsigned char *sig, unsigned int sigSz, unsigned char **out,
                     const unsigned char *keyDer, unsigned int keySz, void *ctx);
int td_pk_rsa_sign_check(WOLFSSL *ssl, unsigned char *sig, unsigned int sigSz, unsigned char **out,
                         const unsigned char *keyDer, unsigned int keySz, void *ctx);
int td_pk_rsa_pss_verify(WOLFSSL *ssl, unsigned char *sig, unsigned int sigSz, unsigned char **out,
                         int hash, int mgf, const unsigned char *keyDer, unsigned int keySz,
                         void *ctx);
int td_pk_rsa_dec(WOLFSSL *ssl, unsigned char *in, unsigned int inSz, unsigned char **out,
                  const unsigned char *keyDer, unsigned int keySz, void *ctx);

#endif
