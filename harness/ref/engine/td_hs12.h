/*
 * What the TLS 1.2 client (td_hs_client12.c) and server
 * (td_hs_server12.c) share: the suites and what each exchanges keys and
 * authenticates with, the Certificate message, the master secret, the
 * key change around ChangeCipherSpec, Finished both ways and the session
 * store. Only those two files and td_hs12.c include it.
 */
#ifndef TD_HS12_H
#define TD_HS12_H

#include "td_hs.h"

/* A TLS 1.2 suite of the supported set (issue 4). */
typedef struct td_hs12_suite {
    uint16_t cipher_suite;
    int kx_rsa;     /* 1: RSA key transport (RFC 5246 7.4.7.1); 0: ECDHE
                       (RFC 8422 2) */
    int auth_ecdsa; /* 1: ECDSA or EdDSA certificate (RFC 8422 2: ECDHE_ECDSA);
                       0: RSA certificate */
} td_hs12_suite;

/* The entry for cipher_suite; TD_ERR_NOT_FOUND when it is not a TLS 1.2
 * suite of the supported set. */
TD_MUST_USE td_err td_hs12_suite_find(uint16_t cipher_suite,
                                      td_hs12_suite *out);
/* Whether key can authenticate suite (RFC 5246 7.4.2: "The end entity
 * certificate's public key ... MUST be compatible with the selected key
 * exchange algorithm"). */
int td_hs12_key_fits(const td_key *key, const td_hs12_suite *suite);

/* Our lists (the config's, or the engine default when it is empty) and
 * the list helpers: td_hs_defaults.c, td_hs.h. */

/* The extension of `type` (supported_groups or signature_algorithms) of
 * a ClientHello as its uint16 list body: 1 when present and well formed. */
int td_hs12_ch_u16_list(const td_client_hello *ch, uint16_t type,
                        td_span *list);

/* Our signature schemes (td_hs_our_sigalgs, those the crypto adapter
 * supports) as a list body in buf: what a CertificateRequest offers and
 * what the CertificateVerify then must use. */
TD_MUST_USE td_err td_hs12_our_sigalgs_body(const td_conn *c, uint8_t *buf,
                                            size_t cap, td_span *out);

/* RFC 5246 7.4.2 / 7.4.6: our Certificate message, from cfg->chain, or
 * with an empty certificate_list when `empty` (a client asked for a
 * certificate it has none for). */
TD_MUST_USE td_err td_hs12_send_certificate(td_conn *c, int empty);

/* The ClientHello of this connection, decoded from the transcript (the
 * client's own, or the one the server received). */
TD_MUST_USE td_err td_hs12_client_hello(const td_conn *c,
                                        td_client_hello *ch);

/* Adopt cipher_suite: c->suite, c->params.cipher_suite, c->hs12.kx_rsa,
 * and an empty TLS 1.2 key schedule with the suite's PRF hash. */
TD_MUST_USE td_err td_hs12_set_suite(td_conn *c, uint16_t cipher_suite);

/* The master secret from the premaster secret (RFC 5246 8.1), or the
 * extended one over the transcript so far (RFC 7627 4, when
 * c->params.ems); the session keeps a copy. The caller wipes pms. */
TD_MUST_USE td_err td_hs12_master_secret(td_conn *c, td_span pms);

/* Key expansion (RFC 5246 6.3). The peer's write keys go to
 * c->pending_read, for the driver to install at the peer's
 * ChangeCipherSpec (RFC 5246 7.1). */
TD_MUST_USE td_err td_hs12_expect_peer_ccs(td_conn *c);

/* Our ChangeCipherSpec, our write keys, our Finished (RFC 5246 7.1,
 * 7.4.9) over the transcript so far, and everything flushed. */
TD_MUST_USE td_err td_hs12_send_ccs_finished(td_conn *c);

/* The peer's Finished (RFC 5246 7.4.9): 12 bytes (decode_error) equal to
 * PRF(master_secret, peer's label, Hash(transcript[0..before])) in
 * constant time (decrypt_error). */
TD_MUST_USE td_err td_hs12_check_finished(td_conn *c, const td_handshake *msg,
                                          size_t before);

/* The handshake is complete: keep the session (if it can be resumed) in
 * cfg->session_cache (a resumed one goes back where it was taken from,
 * with its renewed ticket), wipe the handshake's secrets, state
 * CONNECTED. */
void td_hs12_complete(td_conn *c);

/* Session tickets (RFC 5077). The reference server's tickets are
 * stateful: a ticket is TD_HS12_TICKET_LEN bytes drawn as TD_DRAW_TICKET,
 * a lookup key into the server's session store ("The format of the
 * ticket is an opaque structure", 3.2), sent with this
 * ticket_lifetime_hint in seconds (3.3). */
#define TD_HS12_TICKET_LEN 32u
#define TD_HS12_TICKET_LIFETIME 7200u

/* The valid entry of cache holding `ticket` (not empty): 1 + its index,
 * or 0. */
size_t td_hs12_session_by_ticket(const td_session_cache *cache,
                                 td_span ticket);
/* Resume from entry slot - 1 of cfg->session_cache: it becomes the
 * connection's session and leaves the store until td_hs12_complete puts
 * it back, so a failed resumption is not resumed again (RFC 5246 7.2.2:
 * "any connection terminated with a fatal alert MUST NOT be resumed";
 * RFC 5077 3.2: "If the ticket is accepted by the server but the
 * handshake fails, the client SHOULD delete the ticket"). Sets the master
 * secret, params.resumed and peer_verified, c->hs12.abbreviated. */
TD_MUST_USE td_err td_hs12_resume(td_conn *c, size_t slot);

/* Server (td_hs_server12.c): a new ticket for this connection's session,
 * in a NewSessionTicket (RFC 5077 3.3). */
TD_MUST_USE td_err td_srv12_send_new_session_ticket(td_conn *c);

/* A warning alert (RFC 5246 7.2); the connection goes on. */
TD_MUST_USE td_err td_hs12_send_warning(td_conn *c, uint8_t description);

#endif
