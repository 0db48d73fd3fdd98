/*
 * What the TLS 1.3 server files share (td_hs_server.c, td_hs_server13.c,
 * td_hs_server13_retry.c, td_hs_server13_flight.c,
 * td_hs_server13_client.c, td_hs_server13_psk.c). Only they include it.
 */
#ifndef TD_HS_SERVER13_H
#define TD_HS_SERVER13_H

#include "td_hs.h"

/* What the server chose from a TLS 1.3 ClientHello (RFC 8446 4.1.1). The
 * spans point into the ClientHello or into the config. */
typedef struct td_srv13_choice {
    uint16_t cipher_suite;
    uint16_t group;
    int have_share;       /* the client sent a KeyShareEntry for group */
    td_span client_share; /* its key_exchange */
    uint16_t sig_scheme;  /* our CertificateVerify */
    int server_name;      /* the client sent server_name: acknowledge it */
    int record_size_limit; /* answer record_size_limit (RFC 8449 4) */
    td_span alpn;         /* the protocol chosen (RFC 7301 3.2); empty: none */
    int groups_present;   /* the client sent supported_groups */
    /* PSK (RFC 8446 4.2.11; td_hs_server13_psk.c): psk = 1 when a
     * ticket of ours fits (its binder not yet checked) */
    int psk;
    uint8_t psk_ke_mode;  /* TD_PSK_KE or TD_PSK_DHE_KE (4.2.9) */
    uint16_t psk_identity; /* index in the client's identities */
    size_t psk_entry;     /* index in cfg->session13_cache */
    uint32_t obfuscated_ticket_age;
    td_span psk_binder;   /* the client's binder for it */
    size_t binders_len;   /* what Truncate() cuts off (4.2.11.2) */
    int early_data_offered; /* the ClientHello has early_data (4.2.10) */
} td_srv13_choice;

/* The ClientHello's extensions, as the TLS 1.3 server reads them
 * (td_hs_server13.c). */
typedef struct td_ch13 {
    int groups_present, shares_present, sigalgs_present, psk_present,
        psk_modes_present, sni_present, alpn_present, rsl_present,
        cookie_present, early_data_present;
    td_span groups;  /* named_group_list body */
    td_span shares;  /* client_shares body */
    td_span sigalgs; /* supported_signature_algorithms body */
    td_span alpn;    /* protocol_name_list body */
    td_span cookie;
    uint16_t record_size_limit;
    td_ext_pre_shared_key psk; /* when psk_present */
    unsigned psk_modes;        /* psk_key_exchange_modes, as bits
                                  (1 << TD_PSK_KE, 1 << TD_PSK_DHE_KE) */
} td_ch13;

/* td_hs_server13.c: the extensions decoded (their codecs' alerts); the
 * checks of RFC 8446 4.1.2, 4.2.8, 4.2.9, 9.2; the choices of 4.1.1. */
TD_MUST_USE td_err td_srv13_ch_parse(const td_client_hello *ch, td_ch13 *x);
TD_MUST_USE td_err td_srv13_ch_check(const td_client_hello *ch,
                                     const td_ch13 *x);
TD_MUST_USE td_err td_srv13_choose(const td_conn *c, const td_client_hello *ch,
                                   const td_ch13 *x, td_srv13_choice *out);

/* td_hs_server13_retry.c: the HelloRetryRequest for choice->group (state
 * WAIT_SECOND_CLIENT_HELLO). */
TD_MUST_USE td_err td_srv13_send_hrr(td_conn *c, const td_srv13_choice *choice);

/* td_hs_server13.c: a TLS 1.3 ClientHello (version already chosen by
 * td_hs_server.c; c->params.version is 0x0304). Answers with a
 * HelloRetryRequest or the whole server flight. */
TD_MUST_USE td_err td_srv13_on_client_hello(td_conn *c,
                                            const td_client_hello *ch);

/* td_hs_server13_flight.c, for the ServerHello and the HelloRetryRequest
 * (RFC 8446 4.1.4: "the HelloRetryRequest has the same format as a
 * ServerHello message"):
 *   ext_selected_version  supported_versions with selected_version 0x0304
 *                         (RFC 8446 4.2.1) into an extensions block
 *   send_server_hello     the message with legacy_version 0x0303, this
 *                         random, the client's legacy_session_id echoed,
 *                         cipher_suite, null compression and the
 *                         extensions block, queued */
TD_MUST_USE td_err td_srv13_ext_selected_version(td_wr *w, td_ext_ctx ctx);
TD_MUST_USE td_err td_srv13_send_server_hello(td_conn *c,
                                              const uint8_t *random,
                                              uint16_t cipher_suite,
                                              td_span extensions);

/* td_hs_server13_flight.c: ServerHello, the handshake key schedule,
 * EncryptedExtensions, CertificateRequest, Certificate,
 * CertificateVerify, Finished and the application write key. */
TD_MUST_USE td_err td_srv13_send_flight(td_conn *c,
                                        const td_srv13_choice *choice);

/* td_hs_server13_psk.c (RFC 8446 4.2.9 - 4.2.11, 4.6.1):
 *   psk_choose    after the suite and group are chosen: the first of the
 *                 client's identities that is a live ticket of ours of
 *                 the suite's hash, and the mode (psk_dhe_ke when offered,
 *                 allowed and a group fits, else psk_ke)
 *   psk_accept    at the start of the flight, the ClientHello last in the
 *                 transcript: its binder (decrypt_error), then the PSK and
 *                 the 0-RTT decision (accept, or skip the records)
 *   early_refuse  0-RTT offered and not accepted: the driver skips it
 *                 (trial deprotection, or application_data records after
 *                 a HelloRetryRequest)
 *   send_ticket   after the client Finished: a NewSessionTicket */
TD_MUST_USE td_err td_srv13_psk_choose(const td_conn *c, const td_ch13 *x,
                                       td_srv13_choice *out);
TD_MUST_USE td_err td_srv13_psk_accept(td_conn *c,
                                       const td_srv13_choice *choice);
void td_srv13_early_refuse(td_conn *c, int after_hrr);
TD_MUST_USE td_err td_srv13_send_ticket(td_conn *c);

/* Hash.length bytes of Transcript-Hash(transcript[0..len)) under the
 * suite's hash. */
TD_MUST_USE td_err td_srv13_th(td_conn *c, size_t len, uint8_t *out,
                               td_span *hash);

/* A client CertificateVerify, in the handshake or after it (RFC 8446
 * 4.4.3): the scheme must be one our CertificateRequest listed and not
 * PKCS#1 v1.5 (illegal_parameter), the signature must verify over the
 * transcript up to `before` (decrypt_error). Sets client_auth and
 * peer_verified; the caller moves the state on. */
TD_MUST_USE td_err td_srv13_check_client_cv(td_conn *c, const td_handshake *msg,
                                            size_t before);

#endif
