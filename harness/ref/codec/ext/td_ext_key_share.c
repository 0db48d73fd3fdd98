/*
 * key_share: RFC 8446 4.2.8.
 *
 *     struct {
 *         NamedGroup group;
 *         opaque key_exchange<1..2^16-1>;
 *     } KeyShareEntry;
 *
 *     struct {
 *         KeyShareEntry client_shares<0..2^16-1>;
 *     } KeyShareClientHello;
 *
 *     struct {
 *         NamedGroup selected_group;
 *     } KeyShareHelloRetryRequest;
 *
 *     struct {
 *         KeyShareEntry server_share;
 *     } KeyShareServerHello;
 *
 * The codec checks the syntax and the one rule that holds within the
 * extension itself: no group twice in client_shares. The rules that need
 * other extensions or the connection (a share for a group not in
 * supported_groups, the order of the shares, the HRR selected_group
 * against the first ClientHello, the key_exchange length and value for the
 * group, RFC 8446 4.2.8.1/4.2.8.2) belong to the handshake layer.
 *
 * The encoders write the struct as it is in the form of the context (a
 * list with a group twice, an empty key_exchange), so that a test can
 * send it; `count` is an output of decode only, and the fields of the
 * other forms are not read.
 */
#include "../td_codec_impl.h"

#include <string.h>

td_err td_key_share_entry_next(td_rd *list, td_key_share_entry *e, int *got)
{
    td_rd r = *list;
    td_key_share_entry k;

    if (td_rd_left(&r) == 0) {
        *got = 0;
        return TD_OK;
    }
    TRY(td_rd_u16(&r, &k.group));
    /* RFC 8446 4.2.8: key_exchange<1..2^16-1>; an empty one is out of
     * range (RFC 8446 6: decode_error). */
    TRY(td_codec_vec_read(&r, 2, 1, 0xffff, 1, &k.key_exchange));
    *e = k;
    *got = 1;
    *list = r;
    return TD_OK;
}

td_err td_key_share_entry_encode(td_wr *wr, const td_key_share_entry *e)
{
    td_wr w = *wr;

    TRY(td_wr_u16(&w, e->group));
    TRY(td_codec_vec_write(&w, 2, e->key_exchange));
    *wr = w;
    return TD_OK;
}

/* Check a client_shares body entry by entry; *count = entries. */
static td_err ks_client_shares_check(td_span body, size_t *count)
{
    /* One bit per NamedGroup: the duplicate check stays linear however
     * many entries the list holds (up to 13107 in 2^16-1 bytes). */
    uint8_t seen[65536 / 8];
    td_rd r;
    td_key_share_entry e;
    size_t n = 0;
    int got;

    memset(seen, 0, sizeof seen);
    td_rd_init_span(&r, body);
    for (;;) {
        TRY(td_key_share_entry_next(&r, &e, &got));
        if (!got)
            break;
        /* RFC 8446 4.2.8: "Clients MUST NOT offer multiple KeyShareEntry
         * values for the same group. ... Servers MAY check for violations
         * of these rules and abort the handshake with an
         * "illegal_parameter" alert if one is violated." We check. */
        ENSURE(!(seen[e.group >> 3] & (1u << (e.group & 7))), TD_ALERT_ILLEGAL_PARAMETER);
        seen[e.group >> 3] |= (uint8_t)(1u << (e.group & 7));
        n++;
    }
    *count = n;
    return TD_OK;
}

td_err td_ext_key_share_decode(td_span data, td_ext_ctx ctx, td_ext_key_share *out)
{
    td_ext_key_share ks;
    td_rd r;
    int got;

    TRY(td_ext_form_check(TD_EXT_KEY_SHARE, ctx));
    memset(&ks, 0, sizeof ks);
    td_rd_init_span(&r, data);
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
        /* RFC 8446 4.2.8: client_shares<0..2^16-1> */
        TRY(td_codec_vec_read(&r, 2, 0, 0xffff, 1, &ks.client_shares));
        TRY(ks_client_shares_check(ks.client_shares, &ks.count));
        break;
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
        TRY(td_rd_u16(&r, &ks.selected_group));
        break;
    default: /* TD_EXT_CTX_SERVER_HELLO13 */
        TRY(td_key_share_entry_next(&r, &ks.server_share, &got));
        /* RFC 8446 4.2.8: exactly one KeyShareEntry server_share */
        ENSURE(got, TD_ALERT_DECODE_ERROR);
        break;
    }
    /* the extension_data holds exactly the struct (RFC 8446 6) */
    TRY(td_rd_done(&r));
    *out = ks;
    return TD_OK;
}

td_err td_ext_key_share_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_key_share *in)
{
    TRY(td_ext_encode_check(TD_EXT_KEY_SHARE, ctx));
    switch (ctx) {
    case TD_EXT_CTX_CLIENT_HELLO:
        return td_codec_vec_write(wr, 2, in->client_shares);
    case TD_EXT_CTX_HELLO_RETRY_REQUEST:
        return td_wr_u16(wr, in->selected_group);
    default: /* TD_EXT_CTX_SERVER_HELLO13 */
        return td_key_share_entry_encode(wr, &in->server_share);
    }
}
