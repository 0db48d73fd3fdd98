/*
 * td_wolfssl_memo: the wolfCrypt public-key primitives wolfSSL's TLS code
 * calls where its PK callbacks cannot be used, memoised with td_memo
 * (harness/core/td_wolfssl_memo.c says which, and how they are routed).
 *
 * Nothing here is called by the harness: wolfSSL's src/internal.c and
 * src/tls.c are compiled with their calls renamed to the wrappers
 * (cmake/wolfssl.cmake). This header is for the counts, which tests and
 * TD_MEMO_STATS=1 read.
 */
#ifndef TD_WOLFSSL_MEMO_H
#define TD_WOLFSSL_MEMO_H

#include <stdint.h>

typedef struct td_wolfssl_memo_counts {
    uint64_t calls, hits;
} td_wolfssl_memo_counts;

/* Calls of the wrappers since the process started and how many were
 * served from the memo cache: of one operation (a TD_MEMO_WOLF_PRIM_*
 * code of td_memo.h), or of all of them for 0. */
void td_wolfssl_memo_counts_get(int op, td_wolfssl_memo_counts *c);

#endif
