/*
 * wolfSSL's public-key callbacks, memoised (td_wolfssl_pk.c): internal
 * to the wolfSSL subject.
 */
#ifndef TD_WOLFSSL_PK_H
#define TD_WOLFSSL_PK_H

#include <stdint.h>

#include <wolfssl/wolfcrypt/settings.h>

#include <wolfssl/ssl.h>

/* Install the callbacks on a context whose certificate, key and version
 * range are configured and which has no WOLFSSL yet (what is installed
 * depends on them; td_wolfssl_pk.c says why). */
void td_wolfssl_pk_install(WOLFSSL_CTX *ctx);
/* Whether install installs anything now (TD_WOLFSSL_PK is not "0"): a
 * context made with callbacks and one made without are not the same. */
int td_wolfssl_pk_enabled(void);

/* Calls of the callbacks since the process started, and how many of them
 * were served from the memo cache (for tests and TD_MEMO_STATS): of one
 * operation (a TD_MEMO_WOLF_* code of td_memo.h), or of all for 0. */
typedef struct td_wolfssl_pk_counts {
    uint64_t calls, hits;
} td_wolfssl_pk_counts;

void td_wolfssl_pk_counts_get(int op, td_wolfssl_pk_counts *c);

#endif
