/*
 * TLS 1.3 post-handshake client authentication (RFC 8446 4.6.2) in the
 * reference engine: td_conn_request_client_auth (server,
 * harness/ref/engine/td_hs_server13_pha.c) and the client's answer
 * (td_cli13_on_post_handshake_certificate_request,
 * td_hs_client13_auth.c).
 *
 * Expected values:
 *   - the CertificateRequest's form from RFC 8446 4.3.2 (a non-empty
 *     certificate_request_context, unique within the connection;
 *     signature_algorithms present);
 *   - interop: wolfSSL, an independent implementation, as the client
 *     (wolfSSL_allow_post_handshake_auth) of the reference server and as
 *     the server (wolfSSL_request_certificate) of the reference client;
 *     application data flows both ways afterwards;
 *   - negatives, each naming its clause: a context that is not echoed
 *     (4.4.2, illegal_parameter), a Finished that does not verify (4.4.4,
 *     decrypt_error), a CertificateRequest to a client that did not
 *     offer post_handshake_auth (4.6.2, unexpected_message), an empty
 *     Certificate when a certificate is required (4.4.2.4,
 *     certificate_required).
 */
#include "td_vec.h" /* first: it selects POSIX */

#include "td_client13_test.h"
#include "td_conn.h"
#include "td_keys.h"
#include "td_ref_config.h"
#include "td_world.h"

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

Suite *td_engine_pha_suite(void);

#define PROFILE "tls13-client-auth"
#define EXT_PHA 0x0031u /* RFC 8446 4.2: post_handshake_auth(49) */

/* ------------------------------------------------------------ helpers */

typedef struct end {
    td_conn_config cfg;
    td_conn c;
} end;

static uint8_t xbuf[1 << 17];

static void load_profile(td_profile *p)
{
    char why[256] = "";

    ck_assert_msg(td_profile_load(p, PROFILE, why, sizeof why) == TD_OK, "%s",
                  why);
}

/* An end of the client authentication profile. The server does not ask
 * for a certificate in the handshake (client_auth none), so that any
 * client authentication is post-handshake; the client offers
 * post_handshake_auth when `pha`. */
static end *end_new(td_role role, td_world *w, int pha)
{
    end *e = calloc(1, sizeof *e);
    char why[256] = "";
    td_profile p;

    ck_assert_ptr_nonnull(e);
    load_profile(&p);
    ck_assert_msg(td_ref_config_from_profile(&p, role, (uint64_t)w->clock,
                                             &e->cfg, why, sizeof why) == TD_OK,
                  "%s", why);
    if (role == TD_ROLE_SERVER)
        e->cfg.client_auth = TD_CLIENT_AUTH_NONE;
    else if (pha)
        t13_list(&e->cfg.extra_extensions, (const uint16_t[]){EXT_PHA}, 1);
    return e;
}

static void end_start(end *e, td_world *w)
{
    td_party party = e->cfg.role == TD_ROLE_CLIENT ? TD_PARTY_CLIENT
                                                   : TD_PARTY_SERVER;

    ck_assert_int_eq(td_conn_init(&e->c, &e->cfg, &w->rng[party]), TD_OK);
    ck_assert_int_eq(td_conn_start(&e->c), TD_OK);
}

static void feed_any(td_conn *c, td_span rec)
{
    td_err e = td_conn_feed(c, rec);

    (void)e; /* the outcome is read from the connection's state */
}

/* Bytes both ways until nothing moves. */
static void pump(end *cl, end *sv)
{
    int round;

    for (round = 0; round < 32; round++) {
        size_t n, m;

        td_conn_drain(&cl->c, xbuf, sizeof xbuf, &n);
        if (n)
            feed_any(&sv->c, t13_span(xbuf, n));
        td_conn_drain(&sv->c, xbuf, sizeof xbuf, &m);
        if (m)
            feed_any(&cl->c, t13_span(xbuf, m));
        if (!n && !m)
            break;
    }
}

static void connected(const td_conn *c, const char *what)
{
    ck_assert_msg(c->state == TD_ST_CONNECTED, "%s: %s (%s: %s)", what,
                  td_hs_state_name(c->state), td_err_name(c->failure.err),
                  c->failure.why);
}

/* Two connected reference ends. */
static void ref_pair(td_world *w, int pha, end **cl, end **sv)
{
    *cl = end_new(TD_ROLE_CLIENT, w, pha);
    *sv = end_new(TD_ROLE_SERVER, w, 0);
    end_start(*sv, w);
    end_start(*cl, w);
    pump(*cl, *sv);
    connected(&(*cl)->c, "client handshake");
    connected(&(*sv)->c, "server handshake");
    ck_assert_int_eq((*sv)->c.params.client_auth, 0);
}

static void ref_app(end *from, end *to, const char *msg)
{
    uint8_t got[64];
    size_t n;
    end *cl = from->cfg.role == TD_ROLE_CLIENT ? from : to;
    end *sv = from->cfg.role == TD_ROLE_CLIENT ? to : from;

    ck_assert_int_eq(td_conn_write_app(&from->c, t13_span((const uint8_t *)msg,
                                                         strlen(msg))),
                     TD_OK);
    pump(cl, sv);
    td_conn_read_app(&to->c, got, sizeof got, &n);
    ck_assert_uint_eq(n, strlen(msg));
    ck_assert(memcmp(got, msg, n) == 0);
}

/* The CertificateRequest the server just sent, read back from its
 * transcript (after the handshake's, RFC 8446 4.4): its context into
 * ctx. Checks RFC 8446 4.3.2's form. */
static void sent_request(const td_conn *c, uint8_t *ctx, size_t *ctx_len)
{
    td_rd r;
    td_handshake m;
    td_certificate_request13 cr;
    td_span data;

    ck_assert_uint_gt(c->transcript_len, c->pha_base);
    td_rd_init(&r, c->transcript + c->pha_base,
               c->transcript_len - c->pha_base);
    ck_assert_int_eq(td_handshake_decode(&r, &m), TD_OK);
    ck_assert_uint_eq(m.msg_type, 13); /* certificate_request(13), 4 */
    ck_assert_int_eq(td_certificate_request13_decode(m.body, &cr), TD_OK);
    /* RFC 8446 4.3.2: in post-handshake authentication the context is
     * what the client's Certificate echoes: not empty */
    ck_assert_uint_gt(cr.certificate_request_context.len, 0);
    ck_assert_uint_le(cr.certificate_request_context.len, 255);
    /* RFC 8446 4.3.2: "The "signature_algorithms" extension MUST be
     * specified" (13 = signature_algorithms, 4.2) */
    ck_assert(td_ext_find(cr.extensions, 13, &data));
    memcpy(ctx, cr.certificate_request_context.p,
           cr.certificate_request_context.len);
    *ctx_len = cr.certificate_request_context.len;
}

/* ------------------------------------------- in memory: ref <-> ref */

/* The server asks twice after the handshake; the client answers with its
 * P-256 certificate each time, under contexts that differ (RFC 8446
 * 4.3.2: unique within the connection); application data flows in
 * between and after. */
START_TEST(test_ref_ref_valid)
{
    td_world w;
    end *cl, *sv;
    uint8_t ctx1[255], ctx2[255];
    size_t n1, n2, hs_len;

    td_world_init(&w, 41);
    ref_pair(&w, 1, &cl, &sv);
    hs_len = sv->c.transcript_len;
    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_OK);
    sent_request(&sv->c, ctx1, &n1);
    /* RFC 8446 4.6.2: one request at a time here */
    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_ERR_INTERNAL);
    pump(cl, sv);
    connected(&cl->c, "client after the request");
    connected(&sv->c, "server after the answer");
    ck_assert_int_eq(cl->c.params.client_auth, 1);
    ck_assert_int_eq(sv->c.params.client_auth, 1);
    ck_assert_int_eq(sv->c.params.peer_verified, 1);
    ck_assert_int_eq(sv->c.pha_state, TD_PHA_NONE);
    /* RFC 8446 4.4.1: the post-handshake messages left the transcript */
    ck_assert_uint_eq(sv->c.transcript_len, hs_len);
    ref_app(cl, sv, "after authentication");
    ref_app(sv, cl, "welcome");

    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_OK);
    sent_request(&sv->c, ctx2, &n2);
    ck_assert(n1 != n2 || memcmp(ctx1, ctx2, n1) != 0);
    pump(cl, sv);
    connected(&cl->c, "client, second request");
    connected(&sv->c, "server, second answer");
    ck_assert_int_eq(sv->c.pha_state, TD_PHA_NONE);
    ref_app(cl, sv, "still here");
    free(cl);
    free(sv);
    td_world_free(&w);
}
END_TEST

/* A client without a certificate answers with an empty Certificate
 * (RFC 8446 4.4.2) and its Finished. _i = 0: the server only requests
 * (4.4.2.4: it MAY continue); _i = 1: it requires one and aborts with
 * certificate_required (4.4.2.4). */
START_TEST(test_ref_ref_empty_certificate)
{
    td_world w;
    end *cl, *sv;

    td_world_init(&w, 42);
    cl = end_new(TD_ROLE_CLIENT, &w, 1);
    sv = end_new(TD_ROLE_SERVER, &w, 0);
    cl->cfg.chain.n = 0;
    memset(&cl->cfg.key, 0, sizeof cl->cfg.key);
    cl->cfg.key.type = TD_KEY_NONE;
    end_start(sv, &w);
    end_start(cl, &w);
    pump(cl, sv);
    connected(&sv->c, "server handshake");
    sv->cfg.client_auth =
        _i ? TD_CLIENT_AUTH_REQUIRE : TD_CLIENT_AUTH_REQUEST;
    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_OK);
    pump(cl, sv);
    if (_i) {
        ck_assert_int_eq(sv->c.state, TD_ST_FAILED);
        ck_assert_int_eq(sv->c.sent_alert, 1 + TD_ALERT_CERTIFICATE_REQUIRED);
        ck_assert_int_eq(cl->c.received_alert,
                         1 + TD_ALERT_CERTIFICATE_REQUIRED);
    } else {
        connected(&sv->c, "server after an empty Certificate");
        ck_assert_int_eq(sv->c.params.client_auth, 0);
        ck_assert_int_eq(sv->c.pha_state, TD_PHA_NONE);
        ref_app(cl, sv, "anonymous");
    }
    free(cl);
    free(sv);
    td_world_free(&w);
}
END_TEST

/* RFC 8446 4.2.6: "Servers MUST NOT send a post-handshake
 * CertificateRequest to clients which do not offer this extension":
 * the API refuses (TD_ERR_INTERNAL), as it does before the handshake
 * ends and on a client. */
START_TEST(test_request_refused)
{
    td_world w;
    end *cl, *sv;

    td_world_init(&w, 43);
    cl = end_new(TD_ROLE_CLIENT, &w, 0);
    sv = end_new(TD_ROLE_SERVER, &w, 0);
    end_start(sv, &w);
    end_start(cl, &w);
    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_ERR_INTERNAL);
    pump(cl, sv);
    connected(&sv->c, "server handshake");
    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_ERR_INTERNAL);
    ck_assert_int_eq(td_conn_request_client_auth(&cl->c), TD_ERR_INTERNAL);
    ck_assert_uint_eq(td_conn_pending(&sv->c), 0);
    connected(&sv->c, "server after the refusal");
    free(cl);
    free(sv);
    td_world_free(&w);
}
END_TEST

/* RFC 8446 4.6.2: "A client that receives a CertificateRequest message
 * without having sent the "post_handshake_auth" extension MUST send an
 * "unexpected_message" fatal alert." The server is made to send one by
 * a client that offered the extension; the client's record of what it
 * offered is its configuration (td_cli_offered_extension), which is then
 * cleared, so the client sees a request it did not invite. */
START_TEST(test_rfc_negative_not_offered)
{
    td_world w;
    end *cl, *sv;

    td_world_init(&w, 44);
    ref_pair(&w, 1, &cl, &sv);
    cl->cfg.extra_extensions.n = 0;
    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_OK);
    pump(cl, sv);
    ck_assert_int_eq(cl->c.state, TD_ST_FAILED);
    ck_assert_int_eq(cl->c.sent_alert, 1 + TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(sv->c.received_alert, 1 + TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(sv->c.params.client_auth, 0);
    free(cl);
    free(sv);
    td_world_free(&w);
}
END_TEST

/* RFC 8446 4.4.2: the client's certificate_request_context is "the value
 * of certificate_request_context in that message"; one that answers no
 * request of ours is illegal_parameter (6.2). The server's record of the
 * context it sent is changed after sending, so the client's echo of the
 * real one no longer matches. */
START_TEST(test_rfc_negative_context_mismatch)
{
    td_world w;
    end *cl, *sv;

    td_world_init(&w, 45);
    ref_pair(&w, 1, &cl, &sv);
    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_OK);
    ck_assert_uint_gt(sv->c.pha_context_len, 0);
    sv->c.pha_context[0] ^= 0x01;
    pump(cl, sv);
    ck_assert_int_eq(sv->c.state, TD_ST_FAILED);
    ck_assert_int_eq(sv->c.sent_alert, 1 + TD_ALERT_ILLEGAL_PARAMETER);
    ck_assert_int_eq(cl->c.received_alert, 1 + TD_ALERT_ILLEGAL_PARAMETER);
    ck_assert_int_eq(sv->c.params.client_auth, 0);
    free(cl);
    free(sv);
    td_world_free(&w);
}
END_TEST

/* RFC 8446 4.4.4: "Recipients of Finished messages MUST verify that the
 * contents are correct and if incorrect MUST terminate the connection
 * with a "decrypt_error" alert." The server's copy of the Finished base
 * key (client_application_traffic_secret_N, 4.4) has a bit flipped: the
 * record keys already derived from it are unchanged, the Certificate and
 * CertificateVerify still verify, and only the client's Finished differs
 * from what the server computes. */
START_TEST(test_rfc_negative_bad_finished)
{
    td_world w;
    end *cl, *sv;

    td_world_init(&w, 46);
    ref_pair(&w, 1, &cl, &sv);
    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_OK);
    sv->c.ks13.client_application_traffic_secret[0] ^= 0x80;
    pump(cl, sv);
    ck_assert_int_eq(sv->c.state, TD_ST_FAILED);
    ck_assert_int_eq(sv->c.sent_alert, 1 + TD_ALERT_DECRYPT_ERROR);
    ck_assert_int_eq(cl->c.received_alert, 1 + TD_ALERT_DECRYPT_ERROR);
    /* the CertificateVerify went through before the Finished failed */
    ck_assert_int_eq(sv->c.params.client_auth, 1);
    free(cl);
    free(sv);
    td_world_free(&w);
}
END_TEST

/* RFC 8446 4.6.2 / 6.2: a client Certificate after the handshake that
 * answers no request of the server's is unexpected_message. A copy of the
 * server taken before it asks (a snapshot is a memcpy; the request
 * changes nothing on its reading side) receives the client's answer to
 * the real server's request. */
START_TEST(test_rfc_negative_unrequested)
{
    static td_conn snap;
    static uint8_t req[1 << 14], ans[1 << 14];
    td_world w;
    end *cl, *sv;
    size_t n, m;

    td_world_init(&w, 47);
    ref_pair(&w, 1, &cl, &sv);
    memcpy(&snap, &sv->c, sizeof snap);
    ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_OK);
    td_conn_drain(&sv->c, req, sizeof req, &n);
    feed_any(&cl->c, t13_span(req, n));
    td_conn_drain(&cl->c, ans, sizeof ans, &m);
    ck_assert_uint_gt(m, 0);
    /* the real server takes it (so the bytes are a valid answer) */
    ck_assert_int_eq(td_conn_feed(&sv->c, t13_span(ans, m)), TD_OK);
    ck_assert_int_eq(sv->c.params.client_auth, 1);
    /* the copy never asked */
    ck_assert_int_eq(td_conn_feed(&snap, t13_span(ans, m)),
                     TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(snap.state, TD_ST_FAILED);
    ck_assert_int_eq(snap.sent_alert, 1 + TD_ALERT_UNEXPECTED_MESSAGE);
    ck_assert_int_eq(snap.params.client_auth, 0);
    free(cl);
    free(sv);
    td_world_free(&w);
}
END_TEST

/* ------------------------------------------------- interop: wolfSSL */

typedef struct wolf {
    WOLFSSL_CTX *ctx;
    WOLFSSL *ssl;
    td_world *w;
    td_party party;
    uint8_t in[1 << 16];
    size_t in_len, in_off;
    uint8_t out[1 << 16];
    size_t out_len;
} wolf;

static int wolf_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    wolf *f = ctx;
    size_t n = f->in_len - f->in_off;

    (void)ssl;
    if (n == 0)
        return WOLFSSL_CBIO_ERR_WANT_READ;
    if (n > (size_t)sz)
        n = (size_t)sz;
    memcpy(buf, f->in + f->in_off, n);
    f->in_off += n;
    if (f->in_off == f->in_len)
        f->in_off = f->in_len = 0;
    return (int)n;
}

static int wolf_send(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    wolf *f = ctx;

    (void)ssl;
    if ((size_t)sz > sizeof f->out - f->out_len)
        return WOLFSSL_CBIO_ERR_GENERAL;
    memcpy(f->out + f->out_len, buf, (size_t)sz);
    f->out_len += (size_t)sz;
    return sz;
}

static void wolf_file(const char *rel, char *out, size_t cap)
{
    ck_assert_int_eq(td_vectors_path(rel, out, cap), TD_OK);
}

/* A wolfSSL end. Client: the P-256 client certificate, post-handshake
 * authentication allowed when `pha`. Server: verifies a client
 * certificate against `client_ca` post-handshake only. */
static wolf *wolf_new(td_role role, td_world *w, int pha,
                      const char *client_ca)
{
    wolf *f = calloc(1, sizeof *f);
    char path[512];
    td_binding b;

    ck_assert_ptr_nonnull(f);
    f->w = w;
    f->party = role == TD_ROLE_CLIENT ? TD_PARTY_CLIENT : TD_PARTY_SERVER;
    b = td_world_bind(w, f->party);
    wolfSSL_Init();
    f->ctx = wolfSSL_CTX_new(role == TD_ROLE_CLIENT ? wolfTLSv1_3_client_method()
                                                    : wolfTLSv1_3_server_method());
    ck_assert_ptr_nonnull(f->ctx);
    if (role == TD_ROLE_SERVER) {
        wolf_file("pki/server-p256.chain.pem", path, sizeof path);
        ck_assert_int_eq(wolfSSL_CTX_use_certificate_chain_file(f->ctx, path),
                         WOLFSSL_SUCCESS);
        wolf_file("pki/server-p256.key.pem", path, sizeof path);
        ck_assert_int_eq(wolfSSL_CTX_use_PrivateKey_file(f->ctx, path,
                                                         WOLFSSL_FILETYPE_PEM),
                         WOLFSSL_SUCCESS);
        wolf_file(client_ca, path, sizeof path);
        ck_assert_int_eq(wolfSSL_CTX_load_verify_locations(f->ctx, path, NULL),
                         WOLFSSL_SUCCESS);
        wolfSSL_CTX_set_verify(f->ctx,
                               WOLFSSL_VERIFY_PEER |
                                   WOLFSSL_VERIFY_POST_HANDSHAKE,
                               NULL);
    } else {
        wolf_file("pki/root-ca.crt.pem", path, sizeof path);
        ck_assert_int_eq(wolfSSL_CTX_load_verify_locations(f->ctx, path, NULL),
                         WOLFSSL_SUCCESS);
        wolfSSL_CTX_set_verify(f->ctx, WOLFSSL_VERIFY_PEER, NULL);
        wolf_file("pki/client-p256.chain.pem", path, sizeof path);
        ck_assert_int_eq(wolfSSL_CTX_use_certificate_chain_file(f->ctx, path),
                         WOLFSSL_SUCCESS);
        wolf_file("pki/client-p256.key.pem", path, sizeof path);
        ck_assert_int_eq(wolfSSL_CTX_use_PrivateKey_file(f->ctx, path,
                                                         WOLFSSL_FILETYPE_PEM),
                         WOLFSSL_SUCCESS);
    }
    wolfSSL_CTX_SetIORecv(f->ctx, wolf_recv);
    wolfSSL_CTX_SetIOSend(f->ctx, wolf_send);
    f->ssl = wolfSSL_new(f->ctx);
    ck_assert_ptr_nonnull(f->ssl);
    wolfSSL_SetIOReadCtx(f->ssl, f);
    wolfSSL_SetIOWriteCtx(f->ssl, f);
    if (role == TD_ROLE_CLIENT) {
        ck_assert_int_eq(wolfSSL_UseSNI(f->ssl, WOLFSSL_SNI_HOST_NAME,
                                        "server.tlsdiff.test", 19),
                         WOLFSSL_SUCCESS);
        ck_assert_int_eq(wolfSSL_UseKeyShare(f->ssl, WOLFSSL_ECC_X25519),
                         WOLFSSL_SUCCESS);
        if (pha)
            ck_assert_int_eq(wolfSSL_allow_post_handshake_auth(f->ssl), 0);
    }
    td_world_restore(b);
    return f;
}

static void wolf_free(wolf *f)
{
    td_binding b = td_world_bind(f->w, f->party);

    wolfSSL_free(f->ssl);
    wolfSSL_CTX_free(f->ctx);
    wolfSSL_ERR_clear_error();
    td_world_restore(b);
    free(f);
}

/* One step of the handshake, or a read after it (post-handshake
 * messages are handled inside wolfSSL_read). */
static void wolf_step(wolf *f)
{
    td_binding b = td_world_bind(f->w, f->party);
    char buf[256];

    if (!wolfSSL_is_init_finished(f->ssl))
        (void)(wolfSSL_is_server(f->ssl) ? wolfSSL_accept(f->ssl)
                                         : wolfSSL_connect(f->ssl));
    else
        (void)wolfSSL_read(f->ssl, buf, sizeof buf);
    td_world_restore(b);
}

static void wolf_pump(end *r, wolf *f)
{
    int round;

    for (round = 0; round < 32; round++) {
        size_t n;
        int moved;

        td_conn_drain(&r->c, xbuf, sizeof xbuf, &n);
        moved = n != 0;
        ck_assert_uint_le(n, sizeof f->in - f->in_len);
        memcpy(f->in + f->in_len, xbuf, n);
        f->in_len += n;
        wolf_step(f);
        moved |= f->out_len != 0;
        if (f->out_len)
            feed_any(&r->c, t13_span(f->out, f->out_len));
        f->out_len = 0;
        if (!moved)
            break;
    }
}

/* Application data both ways between the reference end and wolfSSL. */
static void wolf_app(end *r, wolf *f)
{
    static const char up[] = "from the reference", down[] = "from wolfSSL";
    char got[64];
    size_t n;
    int k;
    td_binding b;

    ck_assert_int_eq(td_conn_write_app(&r->c, t13_span((const uint8_t *)up,
                                                      strlen(up))),
                     TD_OK);
    td_conn_drain(&r->c, xbuf, sizeof xbuf, &n);
    memcpy(f->in + f->in_len, xbuf, n);
    f->in_len += n;
    b = td_world_bind(f->w, f->party);
    k = wolfSSL_read(f->ssl, got, sizeof got);
    ck_assert_int_eq(wolfSSL_write(f->ssl, down, (int)strlen(down)),
                     (int)strlen(down));
    td_world_restore(b);
    ck_assert_int_eq(k, (int)strlen(up));
    ck_assert(memcmp(got, up, strlen(up)) == 0);
    ck_assert_int_eq(td_conn_feed(&r->c, t13_span(f->out, f->out_len)), TD_OK);
    f->out_len = 0;
    td_conn_read_app(&r->c, (uint8_t *)got, sizeof got, &n);
    ck_assert_uint_eq(n, strlen(down));
    ck_assert(memcmp(got, down, n) == 0);
}

/* A wolfSSL client that allows post-handshake authentication answers the
 * reference server's request with its P-256 certificate; the server
 * verifies it against client-ca (the profile's server.trust). _i = 1:
 * a wolfSSL client that does not allow it: the server must not ask
 * (RFC 8446 4.2.6), and the API refuses. */
START_TEST(test_wolf_client_ref_server)
{
    td_world w;
    end *sv;
    wolf *f;

    td_world_init(&w, 48);
    sv = end_new(TD_ROLE_SERVER, &w, 0);
    end_start(sv, &w);
    f = wolf_new(TD_ROLE_CLIENT, &w, !_i, NULL);
    wolf_pump(sv, f);
    connected(&sv->c, "reference server handshake");
    ck_assert(wolfSSL_is_init_finished(f->ssl));
    if (_i) {
        ck_assert_int_eq(td_conn_request_client_auth(&sv->c),
                         TD_ERR_INTERNAL);
    } else {
        ck_assert_int_eq(td_conn_request_client_auth(&sv->c), TD_OK);
        wolf_pump(sv, f);
        connected(&sv->c, "reference server after the answer");
        ck_assert_int_eq(sv->c.params.client_auth, 1);
        ck_assert_int_eq(sv->c.params.peer_verified, 1);
        ck_assert_int_eq(sv->c.pha_state, TD_PHA_NONE);
    }
    wolf_app(sv, f);
    wolf_free(f);
    free(sv);
    td_world_free(&w);
}
END_TEST

/* The reference client (offering post_handshake_auth) and a wolfSSL
 * server that asks with wolfSSL_request_certificate after the handshake.
 * _i = 0: wolfSSL trusts client-ca: the client's certificate verifies
 * and application data flows; _i = 1: wolfSSL trusts only the server
 * root, so it rejects the certificate with an alert (which shows it
 * checked what the client sent). */
START_TEST(test_ref_client_wolf_server)
{
    td_world w;
    end *cl;
    wolf *f;
    td_binding b;
    int rc;

    td_world_init(&w, 49);
    cl = end_new(TD_ROLE_CLIENT, &w, 1);
    f = wolf_new(TD_ROLE_SERVER, &w, 0,
                 _i ? "pki/root-ca.crt.pem" : "pki/client-ca.crt.pem");
    end_start(cl, &w);
    wolf_pump(cl, f);
    connected(&cl->c, "reference client handshake");
    ck_assert_int_eq(cl->c.params.client_auth, 0);
    b = td_world_bind(f->w, f->party);
    rc = wolfSSL_request_certificate(f->ssl);
    td_world_restore(b);
    ck_assert_int_eq(rc, WOLFSSL_SUCCESS);
    wolf_pump(cl, f);
    ck_assert_int_eq(cl->c.params.client_auth, 1);
    if (_i) {
        ck_assert_int_eq(cl->c.state, TD_ST_FAILED);
        ck_assert_int_ne(cl->c.received_alert, 0);
    } else {
        connected(&cl->c, "reference client after its answer");
        wolf_app(cl, f);
    }
    wolf_free(f);
    free(cl);
    td_world_free(&w);
}
END_TEST

/* The reference client without post_handshake_auth: wolfSSL refuses to
 * ask (RFC 8446 4.2.6 on its side), and the connection goes on. */
START_TEST(test_ref_client_wolf_server_not_offered)
{
    td_world w;
    end *cl;
    wolf *f;
    td_binding b;
    int rc;

    td_world_init(&w, 50);
    cl = end_new(TD_ROLE_CLIENT, &w, 0);
    f = wolf_new(TD_ROLE_SERVER, &w, 0, "pki/client-ca.crt.pem");
    end_start(cl, &w);
    wolf_pump(cl, f);
    connected(&cl->c, "reference client handshake");
    b = td_world_bind(f->w, f->party);
    rc = wolfSSL_request_certificate(f->ssl);
    td_world_restore(b);
    ck_assert_int_ne(rc, WOLFSSL_SUCCESS);
    wolf_app(cl, f);
    wolf_free(f);
    free(cl);
    td_world_free(&w);
}
END_TEST

Suite *td_engine_pha_suite(void)
{
    Suite *s = suite_create("engine_pha");
    TCase *t = tcase_create("ref_ref");
    TCase *n = tcase_create("rfc_negative");
    TCase *x = tcase_create("interop");

    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_ref_ref_valid);
    tcase_add_loop_test(t, test_ref_ref_empty_certificate, 0, 2);
    tcase_add_test(t, test_request_refused);
    suite_add_tcase(s, t);
    tcase_set_timeout(n, 60);
    tcase_add_test(n, test_rfc_negative_not_offered);
    tcase_add_test(n, test_rfc_negative_context_mismatch);
    tcase_add_test(n, test_rfc_negative_bad_finished);
    tcase_add_test(n, test_rfc_negative_unrequested);
    suite_add_tcase(s, n);
    tcase_set_timeout(x, 60);
    tcase_add_loop_test(x, test_wolf_client_ref_server, 0, 2);
    tcase_add_loop_test(x, test_ref_client_wolf_server, 0, 2);
    tcase_add_test(x, test_ref_client_wolf_server_not_offered);
    suite_add_tcase(s, x);
    return s;
}
