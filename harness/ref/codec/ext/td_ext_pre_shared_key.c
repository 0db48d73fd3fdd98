/*
 * pre_shared_key: RFC 8446 4.2.11.
 *
 *     struct {
 *         opaque identity<1..2^16-1>;
 *         uint32 obfuscated_ticket_age;
 *     } PskIdentity;
 *
 *     opaque PskBinderEntry<32..255>;
 *
 *     struct {
 *         PskIdentity identities<7..2^16-1>;
 *         PskBinderEntry binders<33..2^16-1>;
 *     } OfferedPsks;
 *
 *     struct {
 *         select (Handshake.msg_type) {
 *             case client_hello: OfferedPsks;
 *             case server_hello: uint16 selected_identity;
 *         };
 *     } PreSharedKeyExtension;
 *
 * Left to the handshake layer: pre_shared_key last in the ClientHello (the
 * block codec), selected_identity within the client's list and the binder
 * values (they need the connection).
 *
 * The encoder writes the struct as it is in the form of the context
 * (lists out of bounds, counts that differ), so that a test can send it;
 * identity_count and binder_count are outputs of decode only.
 */
#include "../td_codec_impl.h"

#include <string.h>

td_err td_psk_identity_next(td_rd *list, td_psk_identity *e, int *got)
{
    td_rd r = *list;
    td_psk_identity p;

    if (td_rd_left(&r) == 0) {
        *got = 0;
        return TD_OK;
    }
    /* RFC 8446 4.2.11: identity<1..2^16-1>; RFC 8446 6: decode_error */
    TRY(td_codec_vec_read(&r, 2, 1, 0xffff, 1, &p.identity));
    TRY(td_rd_u32(&r, &p.obfuscated_ticket_age));
    *e = p;
    *got = 1;
    *list = r;
    return TD_OK;
}

td_err td_psk_binder_next(td_rd *list, td_span *binder, int *got)
{
    /* RFC 8446 4.2.11: opaque PskBinderEntry<32..255>; RFC 8446 6:
     * decode_error */
    return td_codec_vec_next(list, 1, 32, 255, binder, got);
}

size_t td_ext_pre_shared_key_binders_len(const td_ext_pre_shared_key *psk)
{
    /* RFC 8446 4.2.11.2: the binder hash covers the ClientHello "up to
     * and including the PreSharedKeyExtension.identities field", so what
     * is cut off is the binders vector: its 2-byte length and its body. */
    return 2 + psk->binders.len;
}

/* Check an identities body; *count = entries. */
static td_err psk_identities_check(td_span body, size_t *count)
{
    td_rd r;
    td_psk_identity e;
    size_t n = 0;
    int got;

    td_rd_init_span(&r, body);
    for (;;) {
        TRY(td_psk_identity_next(&r, &e, &got));
        if (!got)
            break;
        n++;
    }
    *count = n;
    return TD_OK;
}

/* OfferedPsks: both lists, their bounds and their counts. */
static td_err psk_offered_decode(td_rd *r, td_ext_pre_shared_key *psk)
{
    /* RFC 8446 4.2.11: identities<7..2^16-1>, binders<33..2^16-1>
     * (RFC 8446 6: decode_error) */
    TRY(td_codec_vec_read(r, 2, 7, 0xffff, 1, &psk->identities));
    TRY(td_codec_vec_read(r, 2, 33, 0xffff, 1, &psk->binders));
    TRY(td_rd_done(r));
    TRY(psk_identities_check(psk->identities, &psk->identity_count));
    /* RFC 8446 4.2.11: PskBinderEntry<32..255> */
    TRY(td_codec_vec_count(psk->binders, 1, 32, 255, &psk->binder_count));
    /* RFC 8446 4.2.11: binders are "A series of HMAC values, one for each
     * value in the identities list and in the same order". A count
     * mismatch is well-formed syntax whose fields disagree: that is
     * illegal_parameter, "a field in the handshake was incorrect or
     * inconsistent with other fields ... errors which conform to the
     * formal protocol syntax but are otherwise incorrect" (RFC 8446 6.2),
     * not decode_error, which is for messages that "do not conform to the
     * formal protocol syntax". BoringSSL agrees
     * (SSL_R_PSK_IDENTITY_BINDER_COUNT_MISMATCH, SSL_AD_ILLEGAL_PARAMETER).
     * The check does not wait for the server to pick an identity, so the
     * answer does not depend on which PSK the server would have chosen. */
    ENSURE(psk->identity_count == psk->binder_count, TD_ALERT_ILLEGAL_PARAMETER);
    return TD_OK;
}

td_err td_ext_pre_shared_key_decode(td_span data, td_ext_ctx ctx, td_ext_pre_shared_key *out)
{
    td_ext_pre_shared_key psk;
    td_rd r;

    TRY(td_ext_form_check(TD_EXT_PRE_SHARED_KEY, ctx));
    memset(&psk, 0, sizeof psk);
    td_rd_init_span(&r, data);
    if (ctx == TD_EXT_CTX_CLIENT_HELLO) {
        TRY(psk_offered_decode(&r, &psk));
    } else { /* TD_EXT_CTX_SERVER_HELLO13: uint16 selected_identity */
        TRY(td_rd_u16(&r, &psk.selected_identity));
        TRY(td_rd_done(&r));
    }
    *out = psk;
    return TD_OK;
}

td_err td_ext_pre_shared_key_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_pre_shared_key *in)
{
    td_wr w = *wr;

    TRY(td_ext_encode_check(TD_EXT_PRE_SHARED_KEY, ctx));
    if (ctx == TD_EXT_CTX_CLIENT_HELLO) {
        TRY(td_codec_vec_write(&w, 2, in->identities));
        TRY(td_codec_vec_write(&w, 2, in->binders));
    } else {
        TRY(td_wr_u16(&w, in->selected_identity));
    }
    *wr = w;
    return TD_OK;
}
