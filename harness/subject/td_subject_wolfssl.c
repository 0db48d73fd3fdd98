/*
 * The wolfSSL subject: wolfSSL in one role over memory I/O.
 *
 * Configuration comes only from the profile; randomness and time come from
 * the world (cmake/wolfssl/user_settings.h routes wolfSSL's RNG and clock
 * to harness/core/td_wolfssl_hooks.c), and every call into wolfSSL is made
 * with the subject's world and party bound. Server sessions are kept in the
 * world's store through wolfSSL's external cache callbacks, never in
 * wolfSSL's global cache.
 *
 * wolfssl/internal.h is included for one thing the public API does not
 * give in this version: the (sigAlgo, hashAlgo) pair that authenticated
 * the server, from which the SignatureScheme is rebuilt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/internal.h>

#include "td_names.h"
#include "td_subject_impl.h"
#include "td_wolfssl_pk.h"

typedef struct wsub {
    td_subject base;
    WOLFSSL_CTX *ctx;
    WOLFSSL *ssl;
    td_buf in;
    size_t in_off;
    bool eof;
    bool stopped;
    bool verify_peer;
    bool verify_called, verify_failed;
} wsub;

static td_err config_error(td_err e, const char *what, const char *detail)
{
    td_subject_set_error("wolfSSL rejected %s%s%s", what, detail ? ": " : "",
                         detail ? detail : "");
    return e;
}

/* ---- memory I/O --------------------------------------------------------- */

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    wsub *w = ctx;
    size_t avail = w->in.len - w->in_off, n;

    (void)ssl;
    if (avail == 0)
        return w->eof ? WOLFSSL_CBIO_ERR_CONN_CLOSE : WOLFSSL_CBIO_ERR_WANT_READ;
    n = avail < (size_t)sz ? avail : (size_t)sz;
    memcpy(buf, w->in.p + w->in_off, n);
    w->in_off += n;
    if (w->in_off == w->in.len)
        w->in.len = w->in_off = 0;
    return (int)n;
}

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    wsub *w = ctx;

    (void)ssl;
    if (td_buf_append(&w->base.out, (const uint8_t *)buf, (size_t)sz) != TD_OK)
        return WOLFSSL_CBIO_ERR_GENERAL;
    return sz;
}

/* ---- callbacks ---------------------------------------------------------- */

static int verify_cb(int preverify, WOLFSSL_X509_STORE_CTX *store)
{
    wsub *w = store ? store->userCtx : NULL;

    if (w) {
        w->verify_called = true;
        if (!preverify)
            w->verify_failed = true;
    }
    return preverify; /* observe, never override */
}

static void session_free(void *sess) { wolfSSL_SESSION_free(sess); }

static wsub *subject_of(WOLFSSL *ssl) { return wolfSSL_GetIOReadCtx(ssl); }

static int session_new_cb(WOLFSSL *ssl, WOLFSSL_SESSION *sess)
{
    wsub *w = subject_of(ssl);
    unsigned int len = 0;
    const unsigned char *id = wolfSSL_SESSION_get_id(sess, &len);

    if (!w || !id || len == 0)
        return 0; /* wolfSSL frees it */
    w->base.world->session_free = session_free;
    td_world_session_put(w->base.world, id, len, sess);
    return 1; /* the world owns the reference now */
}

static WOLFSSL_SESSION *session_get_cb(WOLFSSL *ssl, const unsigned char *id, int len, int *copy)
{
    wsub *w = subject_of(ssl);

    *copy = 1; /* the world keeps ownership */
    return w ? td_world_session_get(w->base.world, id, (size_t)len) : NULL;
}

/* ---- configuration from the profile -------------------------------------- */

static td_err join_names(const td_code_list *l, td_names_kind kind, char *out, size_t cap)
{
    size_t i, used = 0;

    out[0] = '\0';
    for (i = 0; i < l->n; i++) {
        const char *n = td_name_of(kind, l->v[i]);
        int k;
        if (!n)
            return TD_ERR_NOT_FOUND;
        k = snprintf(out + used, cap - used, "%s%s", i ? ":" : "", n);
        if (k < 0 || (size_t)k >= cap - used)
            return TD_ERR_NOSPACE;
        used += (size_t)k;
    }
    return TD_OK;
}

/* RFC 8446 4.2.3 SignatureScheme -> wolfSSL "<sig>+<hash>" (SetSuitesHashSigAlgo).
 * wolfSSL cannot offer rsa_pss_rsae without rsa_pss_pss: "RSA-PSS" adds both. */
static const char *wolfssl_sigalg_name(uint16_t scheme)
{
    switch (scheme) {
    case 0x0401: return "RSA+SHA256";
    case 0x0501: return "RSA+SHA384";
    case 0x0601: return "RSA+SHA512";
    case 0x0201: return "RSA+SHA1";
    case 0x0403: return "ECDSA+SHA256";
    case 0x0503: return "ECDSA+SHA384";
    case 0x0603: return "ECDSA+SHA512";
    case 0x0203: return "ECDSA+SHA1";
    case 0x0804: case 0x0809: return "RSA-PSS+SHA256";
    case 0x0805: case 0x080a: return "RSA-PSS+SHA384";
    case 0x0806: case 0x080b: return "RSA-PSS+SHA512";
    case 0x0807: return "ED25519";
    default: return NULL;
    }
}

static td_err configure_sigalgs(wsub *w, const td_code_list *l)
{
    char list[512] = "";
    size_t i, used = 0;

    for (i = 0; i < l->n; i++) {
        const char *n = wolfssl_sigalg_name(l->v[i]);
        int k;
        if (!n)
            return config_error(TD_ERR_UNSUPPORTED, "signature scheme",
                                td_name_or_hex(TD_NAMES_SIGSCHEME, l->v[i]));
        if (strstr(list, n)) /* rsae and pss map to the same entry */
            continue;
        k = snprintf(list + used, sizeof list - used, "%s%s", used ? ":" : "", n);
        if (k < 0 || (size_t)k >= sizeof list - used)
            return TD_ERR_NOSPACE;
        used += (size_t)k;
    }
    if (wolfSSL_CTX_set1_sigalgs_list(w->ctx, list) != WOLFSSL_SUCCESS)
        return config_error(TD_ERR_UNSUPPORTED, "signature algorithms", list);
    return TD_OK;
}

static td_err path_of(const char *rel, char *out, size_t cap)
{
    td_err e = td_vectors_path(rel, out, cap);
    if (e != TD_OK)
        return config_error(e, "path", rel);
    return TD_OK;
}

/* Every wolfSSL server of a world encrypts tickets under the same keys, so
 * the second connection of a resumption profile (a new subject, so a new
 * WOLFSSL_CTX) can open the first one's ticket. wolfSSL would otherwise
 * draw a key per context from the party's stream. The keys come from the
 * world's seed with their own label; their expiry (wolfSSL's
 * ticketKeyCtx.expirary, in LowResTimer seconds) is two days past the
 * world's clock, far beyond any ticket lifetime a profile uses. */
static td_err set_ticket_keys(wsub *w)
{
    uint8_t keys[WOLFSSL_TICKET_KEYS_SZ];
    size_t secret = WOLFSSL_TICKET_NAME_SZ + 2 * WOLFSSL_TICKET_KEY_SZ, i;
    word32 expiry = LowResTimer() + 2 * 86400;
    td_rng r;

    td_rng_init(&r, w->base.world->seed, "wolfssl-ticket-keys");
    td_rng_bytes(&r, keys, secret);
    /* wolfSSL uses the name's bottom bit as the key index */
    keys[WOLFSSL_TICKET_NAME_SZ - 1] &= 0xfe;
    for (i = 0; i < 2; i++) {
        keys[secret + 4 * i] = (uint8_t)(expiry >> 24);
        keys[secret + 4 * i + 1] = (uint8_t)(expiry >> 16);
        keys[secret + 4 * i + 2] = (uint8_t)(expiry >> 8);
        keys[secret + 4 * i + 3] = (uint8_t)expiry;
    }
    if (wolfSSL_CTX_set_tlsext_ticket_keys(w->ctx, keys, (int)sizeof keys) !=
        WOLFSSL_SUCCESS)
        return config_error(TD_ERR_LIBRARY, "session ticket keys", NULL);
    return TD_OK;
}

static td_err configure_ctx(wsub *w)
{
    const td_profile *p = &w->base.profile;
    const td_side *side = &p->side[w->base.role];
    char buf[1024];
    int mode;

    if (wolfSSL_CTX_set_min_proto_version(w->ctx, side->min_version) != WOLFSSL_SUCCESS ||
        wolfSSL_CTX_set_max_proto_version(w->ctx, side->max_version) != WOLFSSL_SUCCESS)
        return config_error(TD_ERR_UNSUPPORTED, "the version range", NULL);
    if (side->suites.n) {
        TRY(join_names(&side->suites, TD_NAMES_SUITE, buf, sizeof buf));
        if (wolfSSL_CTX_set_cipher_list(w->ctx, buf) != WOLFSSL_SUCCESS)
            return config_error(TD_ERR_UNSUPPORTED, "cipher suites", buf);
    }
    if (side->sigalgs.n)
        TRY(configure_sigalgs(w, &side->sigalgs));
    if (side->groups.n) {
        int groups[TD_PROFILE_MAX_LIST];
        size_t i;
        for (i = 0; i < side->groups.n; i++)
            groups[i] = side->groups.v[i];
        if (wolfSSL_CTX_set_groups(w->ctx, groups, (int)side->groups.n) != WOLFSSL_SUCCESS)
            return config_error(TD_ERR_UNSUPPORTED, "groups", NULL);
    }
    if (side->chain[0]) {
        TRY(path_of(side->chain, buf, sizeof buf));
        if (wolfSSL_CTX_use_certificate_chain_file(w->ctx, buf) != WOLFSSL_SUCCESS)
            return config_error(TD_ERR_IO, "certificate chain", buf);
    }
    if (side->key[0]) {
        TRY(path_of(side->key, buf, sizeof buf));
        if (wolfSSL_CTX_use_PrivateKey_file(w->ctx, buf, WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS)
            return config_error(TD_ERR_IO, "private key", buf);
    }
    if (side->trust[0]) {
        TRY(path_of(side->trust, buf, sizeof buf));
        if (wolfSSL_CTX_load_verify_locations(w->ctx, buf, NULL) != WOLFSSL_SUCCESS)
            return config_error(TD_ERR_IO, "trust anchors", buf);
    }

    if (w->base.role == TD_ROLE_CLIENT)
        mode = side->trust[0] ? WOLFSSL_VERIFY_PEER : WOLFSSL_VERIFY_NONE;
    else if (p->client_auth == TD_CLIENT_AUTH_NONE)
        mode = WOLFSSL_VERIFY_NONE;
    else if (p->client_auth == TD_CLIENT_AUTH_REQUEST)
        mode = WOLFSSL_VERIFY_PEER;
    else
        mode = WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    w->verify_peer = (mode & WOLFSSL_VERIFY_PEER) != 0;
    wolfSSL_CTX_set_verify(w->ctx, mode, verify_cb);

    if (!p->tickets) {
        wolfSSL_CTX_NoTicketTLSv12(w->ctx);
        if (w->base.role == TD_ROLE_SERVER)
            wolfSSL_CTX_no_ticket_TLSv13(w->ctx);
    } else if (w->base.role == TD_ROLE_SERVER) {
        TRY(set_ticket_keys(w));
    }
    wolfSSL_CTX_set_session_cache_mode(w->ctx, WOLFSSL_SESS_CACHE_NO_INTERNAL);
    if (w->base.role == TD_ROLE_SERVER) {
        wolfSSL_CTX_sess_set_new_cb(w->ctx, session_new_cb);
        wolfSSL_CTX_sess_set_get_cb(w->ctx, session_get_cb);
    }
    wolfSSL_CTX_SetIORecv(w->ctx, io_recv);
    wolfSSL_CTX_SetIOSend(w->ctx, io_send);
    return TD_OK;
}

static td_err configure_ssl(wsub *w)
{
    const td_profile *p = &w->base.profile;
    const td_side *side = &p->side[w->base.role];
    char alpn[sizeof p->alpn];

    wolfSSL_SetIOReadCtx(w->ssl, w);
    wolfSSL_SetIOWriteCtx(w->ssl, w);
    wolfSSL_SetCertCbCtx(w->ssl, w);

    if (w->base.role == TD_ROLE_CLIENT) {
        if (side->key_shares_set) {
            size_t i;
            if (wolfSSL_NoKeyShares(w->ssl) != WOLFSSL_SUCCESS)
                return config_error(TD_ERR_UNSUPPORTED, "key shares", NULL);
            for (i = 0; i < side->key_shares.n; i++)
                if (wolfSSL_UseKeyShare(w->ssl, side->key_shares.v[i]) != WOLFSSL_SUCCESS)
                    return config_error(TD_ERR_UNSUPPORTED, "key share",
                                        td_name_or_hex(TD_NAMES_GROUP, side->key_shares.v[i]));
        }
        if (p->sni[0]) {
            if (wolfSSL_UseSNI(w->ssl, WOLFSSL_SNI_HOST_NAME, p->sni, (word16)strlen(p->sni)) !=
                WOLFSSL_SUCCESS)
                return config_error(TD_ERR_UNSUPPORTED, "server_name", p->sni);
            if (w->verify_peer && wolfSSL_check_domain_name(w->ssl, p->sni) != WOLFSSL_SUCCESS)
                return config_error(TD_ERR_UNSUPPORTED, "domain check", p->sni);
        }
        if (p->tickets && wolfSSL_UseSessionTicket(w->ssl) != WOLFSSL_SUCCESS)
            return config_error(TD_ERR_UNSUPPORTED, "session_ticket", NULL);
    } else if (p->hrr_cookie) {
        if (wolfSSL_send_hrr_cookie(w->ssl, NULL, 0) != WOLFSSL_SUCCESS)
            return config_error(TD_ERR_UNSUPPORTED, "HelloRetryRequest cookie", NULL);
    }
    if (p->alpn[0]) {
        memcpy(alpn, p->alpn, sizeof alpn);
        if (wolfSSL_UseALPN(w->ssl, alpn, (word32)strlen(alpn),
                            WOLFSSL_ALPN_FAILED_ON_MISMATCH) != WOLFSSL_SUCCESS)
            return config_error(TD_ERR_UNSUPPORTED, "ALPN", p->alpn);
    }
    return TD_OK;
}

/* ---- observation -------------------------------------------------------- */

static uint16_t group_of(WOLFSSL *ssl)
{
    static const struct { const char *name; uint16_t group; } t[] = {
        {"SECP256R1", 0x0017}, {"SECP384R1", 0x0018}, {"SECP521R1", 0x0019},
        {"X25519", 0x001d},    {"X448", 0x001e},      {"FFDHE_2048", 0x0100},
        {"FFDHE_3072", 0x0101}, {"FFDHE_4096", 0x0102},
    };
    const char *n = wolfSSL_get_curve_name(ssl);
    size_t i;

    for (i = 0; n && i < sizeof t / sizeof t[0]; i++)
        if (strcmp(n, t[i].name) == 0)
            return t[i].group;
    return 0;
}

/* wolfSSL's (sigAlgo, hashAlgo) -> RFC 8446 4.2.3 SignatureScheme. */
static uint16_t sig_scheme_of(byte sig, byte hash)
{
    uint16_t h = hash == sha256_mac ? 0x04 : hash == sha384_mac ? 0x05
               : hash == sha512_mac ? 0x06 : hash == sha_mac ? 0x02 : 0;

    switch (sig) {
    case rsa_sa_algo: return h ? (uint16_t)(h << 8 | 0x01) : 0;
    case ecc_dsa_sa_algo: return h ? (uint16_t)(h << 8 | 0x03) : 0;
    case rsa_pss_sa_algo: return h >= 4 ? (uint16_t)(0x0800 | h) : 0;
    case rsa_pss_pss_algo: return h >= 4 ? (uint16_t)(0x0800 | (h + 5)) : 0;
    case ed25519_sa_algo: return 0x0807;
    default: return 0;
    }
}

static bool suite_is_ephemeral(uint16_t suite, uint16_t version)
{
    const char *n = td_name_of(TD_NAMES_SUITE, suite);
    return version == TD_TLS1_3 || (n && strstr(n, "DHE_") != NULL);
}

/* With OPENSSL_EXTRA, wolfSSL_get_peer_certificate returns a copy the
 * caller owns (OpenSSL 1.1 semantics). */
static bool has_peer_certificate(WOLFSSL *ssl)
{
    WOLFSSL_X509 *x = wolfSSL_get_peer_certificate(ssl);
    bool has = x != NULL;

    wolfSSL_X509_free(x);
    return has;
}

static void observe(wsub *w)
{
    td_state *st = &w->base.st;
    WOLFSSL_ALERT_HISTORY h;

    if (wolfSSL_get_alert_history(w->ssl, &h) == WOLFSSL_SUCCESS) {
        if (h.last_tx.code >= 0) {
            st->sent.present = true;
            st->sent.level = (uint8_t)h.last_tx.level;
            st->sent.description = (uint8_t)h.last_tx.code;
        }
        if (h.last_rx.code >= 0) {
            st->received.present = true;
            st->received.level = (uint8_t)h.last_rx.level;
            st->received.description = (uint8_t)h.last_rx.code;
        }
    }
    if (st->handshake_done) {
        st->version = (uint16_t)wolfSSL_version(w->ssl);
        st->cipher_suite = (uint16_t)wolfSSL_get_current_cipher_suite(w->ssl);
        st->group = suite_is_ephemeral(st->cipher_suite, st->version) ? group_of(w->ssl) : 0;
        st->resumed = wolfSSL_session_reused(w->ssl) != 0;
        if (st->resumed)
            st->sig_scheme = 0;
        else if (w->base.role == TD_ROLE_CLIENT)
            st->sig_scheme = sig_scheme_of(w->ssl->options.peerSigAlgo,
                                           w->ssl->options.peerHashAlgo);
        else
            st->sig_scheme = sig_scheme_of(w->ssl->options.sigAlgo, w->ssl->options.hashAlgo);
        if (st->version < TD_TLS1_3 && !suite_is_ephemeral(st->cipher_suite, st->version))
            st->sig_scheme = 0; /* static RSA: nothing is signed */
        st->peer_verified = w->verify_peer && w->verify_called && !w->verify_failed &&
                            has_peer_certificate(w->ssl);
    }
    if (!w->stopped)
        st->verdict = TD_VERDICT_CONTINUE;
    else if ((st->sent.present && st->sent.level == 2) ||
             (st->received.present && st->received.level == 2))
        st->verdict = TD_VERDICT_ALERT;
    else
        st->verdict = TD_VERDICT_CLOSED;
}

static void stop(wsub *w, int err)
{
    w->stopped = true;
    w->base.st.lib_error = err;
    wolfSSL_ERR_error_string_n((unsigned long)err, w->base.st.lib_error_name,
                               sizeof w->base.st.lib_error_name);
}

/* Run the handshake, then read application data, as far as input allows. */
static void run(wsub *w)
{
    uint8_t buf[4096];

    if (w->stopped)
        return;
    if (!w->base.st.handshake_done) {
        int r = w->base.role == TD_ROLE_CLIENT ? wolfSSL_connect(w->ssl) : wolfSSL_accept(w->ssl);
        if (r == WOLFSSL_SUCCESS)
            w->base.st.handshake_done = true;
        else {
            int e = wolfSSL_get_error(w->ssl, r);
            if (e != WOLFSSL_ERROR_WANT_READ && e != WOLFSSL_ERROR_WANT_WRITE)
                stop(w, e);
        }
    }
    while (w->base.st.handshake_done && !w->stopped) {
        int n = wolfSSL_read(w->ssl, buf, (int)sizeof buf);
        if (n > 0) {
            if (td_buf_append(&w->base.app_in, buf, (size_t)n) != TD_OK) {
                stop(w, MEMORY_E);
                break;
            }
            continue;
        }
        n = wolfSSL_get_error(w->ssl, n);
        if (n != WOLFSSL_ERROR_WANT_READ && n != WOLFSSL_ERROR_WANT_WRITE)
            stop(w, n);
        break;
    }
    observe(w);
}

/* ---- operations --------------------------------------------------------- */

static td_err w_feed(td_subject *s, const uint8_t *data, size_t len)
{
    wsub *w = (wsub *)s;
    td_binding b = td_world_bind(s->world, td_subject_party(s));
    td_err e = td_buf_append(&w->in, data, len);

    if (e == TD_OK)
        run(w);
    td_world_restore(b);
    return e;
}

static td_err w_feed_eof(td_subject *s)
{
    wsub *w = (wsub *)s;
    td_binding b = td_world_bind(s->world, td_subject_party(s));

    w->eof = true;
    run(w);
    td_world_restore(b);
    return TD_OK;
}

static td_err w_write_app(td_subject *s, const uint8_t *data, size_t len)
{
    wsub *w = (wsub *)s;
    td_binding b;
    td_err e = TD_OK;
    int n;

    if (!s->st.handshake_done || w->stopped)
        return TD_ERR_INTERNAL;
    b = td_world_bind(s->world, td_subject_party(s));
    n = wolfSSL_write(w->ssl, data, (int)len);
    if (n != (int)len) {
        stop(w, wolfSSL_get_error(w->ssl, n));
        observe(w);
        e = TD_ERR_LIBRARY;
    }
    td_world_restore(b);
    return e;
}

static td_err w_export_session(td_subject *s, uint8_t *out, size_t cap, size_t *len)
{
    wsub *w = (wsub *)s;
    td_binding b = td_world_bind(s->world, td_subject_party(s));
    WOLFSSL_SESSION *sess = wolfSSL_get1_session(w->ssl);
    td_err e = TD_OK;
    int n;

    *len = 0;
    n = sess ? wolfSSL_i2d_SSL_SESSION(sess, NULL) : -1;
    if (n <= 0)
        e = TD_ERR_LIBRARY;
    else if ((size_t)n > cap)
        e = TD_ERR_NOSPACE;
    else {
        unsigned char *p = out;
        *len = (size_t)wolfSSL_i2d_SSL_SESSION(sess, &p);
    }
    wolfSSL_SESSION_free(sess);
    td_world_restore(b);
    return e;
}

static td_err w_set_session(td_subject *s, const uint8_t *blob, size_t len)
{
    wsub *w = (wsub *)s;
    td_binding b = td_world_bind(s->world, td_subject_party(s));
    const unsigned char *p = blob;
    WOLFSSL_SESSION *sess = wolfSSL_d2i_SSL_SESSION(NULL, &p, (long)len);
    td_err e = TD_OK;

    if (!sess || wolfSSL_set_session(w->ssl, sess) != WOLFSSL_SUCCESS)
        e = TD_ERR_LIBRARY;
    wolfSSL_SESSION_free(sess);
    td_world_restore(b);
    return e;
}

static void w_free(td_subject *s)
{
    wsub *w = (wsub *)s;
    td_binding b = td_world_bind(s->world, td_subject_party(s));

    wolfSSL_free(w->ssl);
    wolfSSL_CTX_free(w->ctx); /* the subject's reference; the cache keeps its own */
    td_buf_free(&w->in);
    td_world_restore(b);
    free(w);
}

/* No snapshots: wolfSSL's state is on its heap, behind pointers. */
static const td_subject_ops wolfssl_ops = {
    w_feed, w_feed_eof, w_write_app, w_export_session, w_set_session, w_free, NULL, NULL, NULL,
};

/* ---- contexts, made once per configuration ------------------------------
 *
 * A WOLFSSL_CTX holds the configuration (versions, suites, groups,
 * schemes, the certificate chain, the key and the trust anchors, parsed
 * from their PEM files), so making one per subject made every fuzz input
 * read and parse those files again. A context is kept per (role, profile,
 * world seed and clock: the ticket keys derive from them; with or without
 * the PK callbacks, td_wolfssl_pk_enabled) and shared by
 * the subjects of that configuration; each WOLFSSL holds a reference.
 * Nothing a connection does is kept in the context: sessions go to the
 * world (WOLFSSL_SESS_CACHE_NO_INTERNAL and the callbacks above), the
 * ticket keys are fixed (set_ticket_keys), and per-connection state is
 * set on the WOLFSSL (configure_ssl).
 *
 * wolfSSL draws randomness when it makes a context (its default ticket
 * key context). So that a context made for this input and one made for
 * an earlier input leave the case's streams alike, a context is made in
 * a world of its own, with a fixed seed and the case's clock, never in
 * the case's world. */
#define CTX_CACHE_MAX 16u

typedef struct ctx_entry {
    WOLFSSL_CTX *ctx; /* NULL: a free slot */
    td_role role;
    uint64_t seed;
    int64_t clock;
    td_profile profile;
    int pk; /* made with the PK callbacks (td_wolfssl_pk_enabled) */
    bool verify_peer;
} ctx_entry;

static ctx_entry ctx_cache[CTX_CACHE_MAX];
static size_t ctx_next;

static td_err make_ctx(wsub *w)
{
    static td_world ctx_world;
    WOLFSSL_METHOD *m = w->base.role == TD_ROLE_CLIENT ? wolfSSLv23_client_method()
                                                       : wolfSSLv23_server_method();
    td_binding b;
    td_err e;

    td_world_init(&ctx_world, UINT64_C(0x7464637478)); /* "tdctx" */
    ctx_world.clock = w->base.world->clock;
    b = td_world_bind(&ctx_world, td_subject_party(&w->base));
    w->ctx = m ? wolfSSL_CTX_new(m) : NULL;
    e = w->ctx ? configure_ctx(w) : config_error(TD_ERR_LIBRARY, "context creation", NULL);
    /* after the key and the versions are set: what is installed depends
     * on them (td_wolfssl_pk.c) */
    if (e == TD_OK)
        td_wolfssl_pk_install(w->ctx);
    td_world_restore(b);
    td_world_free(&ctx_world);
    return e;
}

static td_err context(wsub *w)
{
    const td_world *world = w->base.world;
    ctx_entry *c;
    size_t i;

    for (i = 0; i < CTX_CACHE_MAX; i++) {
        c = &ctx_cache[i];
        if (c->ctx && c->role == w->base.role && c->seed == world->seed &&
            c->clock == world->clock && c->pk == td_wolfssl_pk_enabled() &&
            memcmp(&c->profile, &w->base.profile, sizeof c->profile) == 0) {
            if (wolfSSL_CTX_up_ref(c->ctx) != WOLFSSL_SUCCESS)
                return config_error(TD_ERR_LIBRARY, "context reference", NULL);
            w->ctx = c->ctx;
            w->verify_peer = c->verify_peer;
            return TD_OK;
        }
    }
    TRY(make_ctx(w));
    c = &ctx_cache[ctx_next];
    ctx_next = (ctx_next + 1) % CTX_CACHE_MAX;
    if (c->ctx)
        wolfSSL_CTX_free(c->ctx); /* the cache's reference to the oldest */
    if (wolfSSL_CTX_up_ref(w->ctx) != WOLFSSL_SUCCESS) {
        c->ctx = NULL;
        return TD_OK; /* not kept; the subject still has its own */
    }
    c->ctx = w->ctx;
    c->role = w->base.role;
    c->seed = world->seed;
    c->clock = world->clock;
    c->profile = w->base.profile;
    c->pk = td_wolfssl_pk_enabled();
    c->verify_peer = w->verify_peer;
    return TD_OK;
}

static td_err create(wsub *w)
{
    TRY(context(w));
    w->ssl = wolfSSL_new(w->ctx);
    if (!w->ssl)
        return config_error(TD_ERR_LIBRARY, "object creation", NULL);
    return configure_ssl(w);
}

td_err td_subject_wolfssl_new(td_role role, const td_profile *profile, td_world *world,
                              td_subject **out)
{
    static bool initialised;
    wsub *w = calloc(1, sizeof *w);
    td_binding b;
    td_err e;

    if (!w)
        return TD_ERR_NOSPACE;
    w->base.ops = &wolfssl_ops;
    w->base.impl = TD_IMPL_WOLFSSL;
    w->base.role = role;
    w->base.world = world;
    w->base.profile = *profile;
    td_subject_set_error("%s", "");
    b = td_world_bind(world, td_subject_party(&w->base));
    if (!initialised) {
        wolfSSL_Init();
        if (getenv("TLSDIFF_WOLFSSL_DEBUG"))
            wolfSSL_Debugging_ON();
        initialised = true;
    }
    e = create(w);
    td_world_restore(b);
    if (e != TD_OK) {
        td_subject_free(&w->base);
        return e;
    }
    *out = &w->base;
    return TD_OK;
}
