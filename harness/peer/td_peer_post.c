/*
 * The post-handshake messages of the scripted peer (td_peer.h,
 * td_peer_send_post_handshake): what a peer sends once both ends are
 * connected, built by its engine where the engine has the message and
 * here where it has not, then sent with td_conn_send_post_handshake (the
 * hooks edit it as any message under test).
 *
 * RFC 8446 4.6.3:  struct { KeyUpdateRequest request_update; } KeyUpdate;
 * RFC 8446 4.3.2:  struct { opaque certificate_request_context<0..2^8-1>;
 *                           Extension extensions<2..2^16-1>;
 *                  } CertificateRequest;
 * RFC 5246 7.4.1.1: struct { } HelloRequest;
 * RFC 5746 3.2:    struct { opaque renegotiated_connection<0..255>; }
 *                  RenegotiationInfo;
 * RFC 5746 3.5:    "The client MUST include ... the "renegotiation_info"
 *                  extension in the ClientHello, containing the saved
 *                  client_verify_data."
 */
#include "td_peer.h"

#include "td_conn.h"
#include "td_ext.h"
#include "td_msg.h"
#include "td_record.h"

#include <string.h>

/* The post-handshake CertificateRequest of a server whose client did not
 * offer post_handshake_auth (the engine refuses to send that one, RFC
 * 8446 4.2.6): the same form, a fresh 32-byte context drawn as the
 * engine draws it, signature_algorithms from the profile (the engine's
 * first default otherwise). */
static td_err certificate_request(td_conn *c, uint8_t *buf, size_t cap, td_span *out)
{
    static const uint16_t fallback[] = {0x0403, 0x0804, 0x0401};
    uint8_t ctx[32], exts[128];
    const td_code_list *l = &c->cfg->sigalgs;
    size_t i, n = l->n ? l->n : sizeof fallback / sizeof fallback[0];
    td_certificate_request13 cr;
    td_wr w;
    td_wr_mark ext, list;

    TRY(td_conn_draw(c, TD_DRAW_REQUEST_CONTEXT, ctx, sizeof ctx));
    td_wr_init(&w, exts, sizeof exts);
    TRY(td_wr_u16(&w, TD_EXT_SIGNATURE_ALGORITHMS));
    TRY(td_wr_open16(&w, &ext));
    TRY(td_wr_open16(&w, &list));
    for (i = 0; i < n; i++)
        TRY(td_wr_u16(&w, l->n ? l->v[i] : fallback[i]));
    TRY(td_wr_close(&w, &list));
    TRY(td_wr_close(&w, &ext));
    TRY(td_wr_finish(&w, &cr.extensions));
    cr.certificate_request_context = (td_span){ctx, sizeof ctx};
    td_wr_init(&w, buf, cap);
    TRY(td_certificate_request13_encode(&w, &cr));
    return td_wr_finish(&w, out);
}

/* The client's first ClientHello and its own Finished body in the
 * transcript of a finished handshake (TLS 1.2: the client's Finished
 * comes first in a full handshake, second in an abbreviated one, RFC
 * 5246 7.3). */
static td_err first_hello(const td_conn *c, td_span *hello, td_span *verify_data)
{
    unsigned finished = 0, want = c->hs12.abbreviated ? 2 : 1;
    td_rd r;

    hello->len = 0;
    verify_data->len = 0;
    td_rd_init(&r, c->transcript, c->transcript_len);
    while (td_rd_left(&r)) {
        td_handshake m;

        TRY(td_handshake_decode(&r, &m));
        if (m.msg_type == TD_HS_CLIENT_HELLO && hello->len == 0)
            *hello = m.body;
        if (m.msg_type == TD_HS_FINISHED && ++finished == want)
            *verify_data = m.body;
    }
    ENSURE(hello->len > 0, TD_ERR_INTERNAL);
    return TD_OK;
}

/* A renegotiation ClientHello: the first one again, with
 * renegotiation_info carrying client_verify_data in TLS 1.2 (RFC 5746
 * 3.5; the other extensions as they were). In TLS 1.3 it goes as it was:
 * there is no renegotiation (RFC 8446 4.1.2). */
static td_err renegotiation_hello(const td_conn *c, uint8_t *buf, size_t cap, td_span *out)
{
    static uint8_t exts[4096];
    td_span first, vd, data;
    td_client_hello ch;
    td_ext_iter it;
    uint16_t type;
    td_wr w;
    int got;

    TRY(first_hello(c, &first, &vd));
    TRY(td_client_hello_decode(first, &ch));
    if (c->params.version == 0x0303 && ch.has_extensions) {
        td_wr_init(&w, exts, sizeof exts);
        td_ext_iter_init(&it, ch.extensions);
        for (;;) {
            TRY(td_ext_iter_next(&it, &type, &data, &got));
            if (!got)
                break;
            if (type == TD_EXT_RENEGOTIATION_INFO) {
                td_wr_mark m, rc;

                TRY(td_wr_u16(&w, type));
                TRY(td_wr_open16(&w, &m));
                TRY(td_wr_open8(&w, &rc));
                TRY(td_wr_span(&w, vd));
                TRY(td_wr_close(&w, &rc));
                TRY(td_wr_close(&w, &m));
            } else {
                TRY(td_ext_write(&w, type, data));
            }
        }
        TRY(td_wr_finish(&w, &ch.extensions));
    }
    td_wr_init(&w, buf, cap);
    TRY(td_client_hello_encode(&w, &ch));
    return td_wr_finish(&w, out);
}

td_err td_peer_send_post_handshake(td_conn *c, uint8_t msg_type, uint8_t request_update)
{
    static uint8_t buf[8192];
    td_span body = {buf, 0};

    switch (msg_type) {
    case TD_HS_KEY_UPDATE:
        buf[0] = request_update; /* RFC 8446 4.6.3 */
        body.len = 1;
        break;
    case TD_HS_NEW_SESSION_TICKET:
        return td_conn_send_ticket(c);
    case TD_HS_CERTIFICATE_REQUEST:
        /* the engine's own exchange when the client offered
         * post_handshake_auth (RFC 8446 4.6.2) */
        if (td_conn_request_client_auth(c) == TD_OK)
            return TD_OK;
        TRY(certificate_request(c, buf, sizeof buf, &body));
        break;
    case TD_HS_HELLO_REQUEST:
        break; /* empty (RFC 5246 7.4.1.1) */
    case TD_HS_CLIENT_HELLO:
        ENSURE(c->cfg->role == TD_ROLE_CLIENT, TD_ERR_INTERNAL);
        TRY(renegotiation_hello(c, buf, sizeof buf, &body));
        break;
    default:
        return TD_ERR_UNSUPPORTED;
    }
    return td_conn_send_post_handshake(c, msg_type, body);
}
