/*
 * The engine's private interface: what the driver (td_conn.c), the table
 * (td_hs_table.c) and the handler files share. Only harness/ref/engine
 * includes it.
 *
 * Handler files, one per role and version:
 *   td_hs_client.c     ClientHello, and the ServerHello that picks the version
 *                      (the ClientHello itself: td_hs_client_hello.c)
 *   td_hs_client13.c   the TLS 1.3 client after ServerHello (RFC 8446 A.1)
 *   td_hs_client12.c   the TLS 1.2 client after ServerHello (RFC 5246 7.3)
 *                      (Certificate onwards: td_hs_client12_kx.c)
 *   td_hs_server.c     the ClientHello that picks the version
 *   td_hs_server13.c   the TLS 1.3 server (RFC 8446 A.2)
 *   td_hs_server12.c   the TLS 1.2 server (the client's second flight:
 *                      td_hs_server12_kx.c; what both TLS 1.2 roles
 *                      share: td_hs12.c, td_hs12.h)
 *   td_hs_peer_cert.c  the check of the peer's certificate chain (minimal:
 *                      signatures up to a trust anchor and validity at the
 *                      fixed clock; the X.509 issue replaces it)
 *   td_hs13.c          what both TLS 1.3 roles share: traffic keys,
 *                      Finished, the application secrets
 * Shared by all of them: td_hs_defaults.c (the default lists and the list
 * helpers), td_hs_ext.c (one extension into a block), td_hs_kx.c,
 * td_hs_keylog.c, td_hs_auth.c.
 */
#ifndef TD_HS_H
#define TD_HS_H

#include "td_conn.h"

/* One record of `type` under the current write state (td_conn.c). */
TD_MUST_USE td_err td_hs_send_record(td_conn *c, uint8_t type, td_span content);

/* Client: build and queue the ClientHello, go to WAIT_SERVER_HELLO. */
TD_MUST_USE td_err td_hs_client_start(td_conn *c);

/* Install keys for one direction (flushes first when writing); reading,
 * it also checks that no handshake bytes are left in the current record
 * (RFC 8446 5.1: unexpected_message). */
TD_MUST_USE td_err td_hs_install_write(td_conn *c, td_record_version v,
                                       td_aead_alg alg, td_span key,
                                       td_span iv);
TD_MUST_USE td_err td_hs_install_read(td_conn *c, td_record_version v,
                                      td_aead_alg alg, td_span key,
                                      td_span iv);

/* The peer's certificate chain (c->peer_chain, leaf first) against
 * c->cfg->trust at c->cfg->now; fills c->peer_key. Alerts: bad_certificate,
 * unsupported_certificate, certificate_expired, unknown_ca. */
TD_MUST_USE td_err td_hs_check_peer_chain(td_conn *c);

/* ------------------------------------------------------------------------
 * Shared by the handler files
 * ------------------------------------------------------------------------ */

/* td_hs_defaults.c: the engine's default lists (the whole supported set,
 * in the order of preference that file justifies) and the list helpers.
 * A config list left empty (n = 0) means the default.
 *   our_suites      cfg->suites, else the default of `version` (0x0304:
 *                   the TLS 1.3 suites; otherwise the TLS 1.2 suites)
 *   our_groups      cfg->groups, else the default (both versions)
 *   our_sigalgs     cfg->sigalgs, else the default (both versions)
 *   u16_in          whether a list body of uint16 values (as the codecs
 *                   hand it over) holds v
 *   code_in         whether l holds v
 *   code_list_body  l as a list body of uint16 values, in buf */
extern const td_code_list td_hs_default_suites13;
extern const td_code_list td_hs_default_suites12;
extern const td_code_list td_hs_default_groups;
extern const td_code_list td_hs_default_sigalgs;
const td_code_list *td_hs_our_suites(const td_conn *c, uint16_t version);
const td_code_list *td_hs_our_groups(const td_conn *c);
const td_code_list *td_hs_our_sigalgs(const td_conn *c);
int td_hs_u16_in(td_span list, uint16_t v);
int td_hs_code_in(const td_code_list *l, uint16_t v);
TD_MUST_USE td_err td_hs_code_list_body(const td_code_list *l, uint8_t *buf,
                                        size_t cap, td_span *out);

/* td_hs_ext.c: one extension into an extensions block (RFC 8446 4.2):
 *   ext_init  *x zeroed, of `type`, known (its typed codec applies); the
 *             caller then fills x->u
 *   ext_put   extension_type, then extension_data (td_ext_any_encode in
 *             ctx) as a vec16; *w is unchanged on failure */
void td_hs_ext_init(td_ext_any *x, uint16_t type);
TD_MUST_USE td_err td_hs_ext_put(td_wr *w, td_ext_ctx ctx,
                                 const td_ext_any *x);

/* td_hs13.c: what both TLS 1.3 roles share.
 *   install              the traffic keys of secret `which` (RFC 8446
 *                        7.3) installed for reading (write = 0) or
 *                        writing; the key bytes are wiped afterwards
 *   send_finished        our Finished (RFC 8446 4.4.4) with BaseKey =
 *                        secret `which`, over the transcript so far
 *   application_secrets  Master Secret, then over the transcript so far
 *                        (ClientHello...server Finished) the client and
 *                        server application traffic secrets and
 *                        exporter_master_secret (RFC 8446 7.1), each to
 *                        the key log */
TD_MUST_USE td_err td_hs13_install(td_conn *c, td_ks13_secret which,
                                   int write);
TD_MUST_USE td_err td_hs13_send_finished(td_conn *c, td_ks13_secret which);
TD_MUST_USE td_err td_hs13_application_secrets(td_conn *c);

/* td_hs_kx.c: an ephemeral key share for `group` (private key drawn as
 * TD_DRAW_KEY_SHARE, kept in c->kx_priv); its public value into pub. */
TD_MUST_USE td_err td_hs_kx_generate(td_conn *c, uint16_t group, uint8_t *pub,
                                     size_t *pub_len);
/* The shared secret with the peer's public value, using our private key
 * for `group` (illegal_parameter for a bad peer value, RFC 8446
 * 4.2.8.2; TD_ERR_INTERNAL if we hold no key for group). */
TD_MUST_USE td_err td_hs_kx_shared(const td_conn *c, uint16_t group,
                                   td_span peer_pub, uint8_t *shared,
                                   size_t *shared_len);
/* Forget the ephemeral private keys (RFC 8446 7.1: erase secrets). */
void td_hs_kx_wipe(td_conn *c);

/* td_hs_keylog.c: secret `which` of c->ks13 to cfg->keylog, if one is
 * set, under its key log label; the TLS 1.3 secrets of the NSS key log
 * format only (others are ignored). Called where each is derived. */
void td_hs_keylog13(const td_conn *c, td_ks13_secret which);
/* td_hs_keylog.c: the TLS 1.2 master secret to cfg->keylog under
 * CLIENT_RANDOM, if set (td_hs12_complete, before it is wiped). */
void td_hs_keylog12(const td_conn *c);

/* td_hs_auth.c: our side of authentication, both roles and versions.
 *   pick_sig_scheme  the first scheme of our preference (cfg->sigalgs, or
 *                    the engine default) that the peer's list (a u16 list
 *                    body) holds and our key fits; handshake_failure when
 *                    none (RFC 8446 4.4.2.2, RFC 5246 7.4.1.4.1)
 *   cv13_content     RFC 8446 4.4.3: 64 x 0x20, the context string
 *                    ("TLS 1.3, server CertificateVerify" or "client"),
 *                    0x00, the transcript hash
 *   sign             sign with cfg->key (RSA-PSS salt drawn as
 *                    TD_DRAW_SIGNATURE)
 *   certificate      the Certificate body from cfg->chain: TLS 1.3 form
 *                    with `context` and empty entry extensions, or TLS 1.2
 *   sig_curve        whether an ECDSA scheme binds the curve in the
 *                    negotiated version (td_crypto.h: TLS 1.3 yes, 1.2 no)
 */
td_sig_curve td_hs_sig_curve(const td_conn *c);
TD_MUST_USE td_err td_hs_pick_sig_scheme(const td_conn *c, td_span peer_list,
                                         uint16_t *scheme);
TD_MUST_USE td_err td_hs_cv13_content(int from_server, td_span transcript_hash,
                                      uint8_t *out, size_t cap, size_t *len);
TD_MUST_USE td_err td_hs_sign(td_conn *c, uint16_t scheme, td_span msg,
                              uint8_t *sig, size_t *sig_len);
TD_MUST_USE td_err td_hs_certificate_body(const td_conn *c, int tls13,
                                          td_span context, td_wr *wr);

/* td_hs_peer_cert.c: store a received Certificate (either form) in
 * c->peer_chain (bad_certificate when a certificate is over
 * TD_CONN_MAX_CERT_LEN or there are more than TD_CONN_MAX_CERTS: an
 * implementation limit, documented). */
TD_MUST_USE td_err td_hs_store_peer_chain13(td_conn *c,
                                            const td_certificate13 *m);
TD_MUST_USE td_err td_hs_store_peer_chain12(td_conn *c,
                                            const td_certificate12 *m);

/* Where the version-shared handlers hand over to TLS 1.2
 * (td_hs_client12.c, td_hs_server12.c): the ServerHello / ClientHello has
 * been decoded and TLS 1.2 chosen; c->params.version is set. */
TD_MUST_USE td_err td_cli12_on_server_hello(td_conn *c,
                                            const td_server_hello *sh);
TD_MUST_USE td_err td_srv12_on_client_hello(td_conn *c,
                                            const td_client_hello *ch);

/* td_hs_client_hello.c: what our ClientHello offered, for the client's checks
 * of the server's answers.
 *   offered_extension  whether the server may answer extension `type`:
 *                      it was in our last ClientHello (padding and
 *                      cookie never count: RFC 7685 3, RFC 8446 4.2.2);
 *                      a response to another is unsupported_extension
 *                      (RFC 8446 4.2, RFC 5246 7.4.1.4)
 *   offered_sig_scheme whether `scheme` was in our signature_algorithms
 *   offered_alpn       whether `protocol` was in our ALPN list */
int td_cli_offered_extension(const td_conn *c, uint16_t type);
int td_cli_offered_sig_scheme(const td_conn *c, uint16_t scheme);
int td_cli_offered_alpn(const td_conn *c, td_span protocol);
/* (td_hs_client_hello.c) whether we offered cipher suite s, listed group
 * g in supported_groups, and would negotiate version v (TLS 1.2 and 1.3
 * only, within cfg min..max) */
int td_cli_offered_suite(const td_conn *c, uint16_t s);
int td_cli_offered_group(const td_conn *c, uint16_t g);
int td_cli_offers_version(const td_conn *c, uint16_t v);
/* (td_hs_client_hello.c) build the ClientHello from the connection's
 * state (random, session id, key shares held, cookie) and queue it: the
 * first one, or the updated one after a HelloRetryRequest (RFC 8446
 * 4.1.2) */
TD_MUST_USE td_err td_cli_send_client_hello(td_conn *c);

/* The TLS 1.3 client's own flight (td_hs_client13_auth.c): after the
 * server Finished, under the client handshake key: [Certificate [+
 * CertificateVerify]] if asked, Finished (RFC 8446 4.4). */
TD_MUST_USE td_err td_cli13_send_flight(td_conn *c);

/* td_hs_client12.c, for td_hs_client_start before it builds the
 * ClientHello: when cfg->session_cache holds a TLS 1.2 session, its
 * session_id goes into c->session_id / c->session_id_len (RFC 5246
 * 7.4.1.2: the client offers the session to resume; RFC 8446 4.1.2: a
 * client with "a cached session ID set by a pre-TLS 1.3 server SHOULD
 * set this field to that value"), else c->session_id_len stays 0. The
 * ClientHello then sends c->session_id when c->session_id_len > 0
 * instead of drawing one, and must also offer that session's
 * cipher_suite (RFC 5246 7.4.1.2) and extended_master_secret (RFC 7627
 * 5.3). */
TD_MUST_USE td_err td_cli12_session_offer(td_conn *c);
/* td_hs_client12.c, for the ClientHello's session_ticket extension (RFC
 * 5077 3.2): the ticket of the session td_cli12_session_offer chose to
 * resume by ticket, else empty ("The extension will be empty if the
 * client does not already possess a ticket for the server", 3.1). When it
 * is not empty, c->session_id is a session ID the client drew so that it
 * recognises the server's acceptance (RFC 5077 3.4). */
td_span td_cli12_ticket_offer(const td_conn *c);

/* Handlers (td_hs_handler). */
#define TD_HS_HANDLER(name)                                                    \
    TD_MUST_USE td_err name(td_conn *c, const td_handshake *msg, size_t before)

TD_HS_HANDLER(td_cli_on_server_hello);
TD_HS_HANDLER(td_cli13_on_encrypted_extensions);
TD_HS_HANDLER(td_cli13_on_certificate_request);
TD_HS_HANDLER(td_cli13_on_certificate);
TD_HS_HANDLER(td_cli13_on_certificate_verify);
TD_HS_HANDLER(td_cli13_on_finished);
TD_HS_HANDLER(td_cli13_on_new_session_ticket);
TD_HS_HANDLER(td_cli13_on_key_update);
TD_HS_HANDLER(td_cli13_on_post_handshake_certificate_request);

TD_HS_HANDLER(td_cli12_on_certificate);
TD_HS_HANDLER(td_cli12_on_server_key_exchange);
TD_HS_HANDLER(td_cli12_on_certificate_request);
TD_HS_HANDLER(td_cli12_on_server_hello_done);
TD_HS_HANDLER(td_cli12_on_new_session_ticket);
TD_HS_HANDLER(td_cli12_on_finished);
TD_HS_HANDLER(td_cli12_on_hello_request);

TD_HS_HANDLER(td_srv_on_client_hello);
TD_HS_HANDLER(td_srv13_on_second_client_hello);
TD_HS_HANDLER(td_srv13_on_end_of_early_data);
TD_HS_HANDLER(td_srv13_on_certificate);
TD_HS_HANDLER(td_srv13_on_certificate_verify);
TD_HS_HANDLER(td_srv13_on_finished);
TD_HS_HANDLER(td_srv13_on_key_update);
/* td_hs_server13_pha.c: the answer to a post-handshake CertificateRequest
 * (RFC 8446 4.6.2), in CONNECTED */
TD_HS_HANDLER(td_srv13_on_pha_certificate);
TD_HS_HANDLER(td_srv13_on_pha_certificate_verify);
TD_HS_HANDLER(td_srv13_on_pha_finished);

TD_HS_HANDLER(td_srv12_on_certificate);
TD_HS_HANDLER(td_srv12_on_client_key_exchange);
TD_HS_HANDLER(td_srv12_on_certificate_verify);
TD_HS_HANDLER(td_srv12_on_finished);
TD_HS_HANDLER(td_srv12_on_client_hello_renegotiation);

#endif
