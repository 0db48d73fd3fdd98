/*
 * The TLS 1.3 client's PSK resumption and 0-RTT (td_hs_client13_psk.c),
 * for the other client files: the ClientHello (td_hs_client_hello.c),
 * the ServerHello (td_hs_client.c), EncryptedExtensions, Finished and
 * NewSessionTicket (td_hs_client13.c, td_hs_client13_auth.c). Only they
 * include it.
 */
#ifndef TD_HS_CLIENT13_PSK_H
#define TD_HS_CLIENT13_PSK_H

#include "td_hs.h"

/* The psk_key_exchange_modes we offer (cfg->psk_modes, default
 * psk_dhe_ke), as bits (1 << TD_PSK_KE, 1 << TD_PSK_DHE_KE). */
unsigned td_cli13_psk_modes(const td_conn *c);

/* Before the first ClientHello is built: pick the ticket to offer from
 * cfg->session13_cache (c->psk, c->psk_state = TD_PSK_OFFERED), start
 * the schedule with its PSK, and decide whether to offer 0-RTT
 * (c->early_state). Nothing is offered when no ticket fits. */
TD_MUST_USE td_err td_cli13_psk_offer(td_conn *c);

/* The ClientHello's extension_data of psk_key_exchange_modes,
 * pre_shared_key (the binder zeroed: td_cli13_psk_bind fills it) or
 * early_data (`type`). */
TD_MUST_USE td_err td_cli13_psk_ext_data(const td_conn *c, uint16_t type,
                                         td_wr *w);

/* body[0..len): the whole ClientHello body, pre_shared_key last; the
 * binder (its last Hash.length bytes) computed over the transcript so
 * far and Truncate(ClientHello) and written in place (RFC 8446
 * 4.2.11.2). */
TD_MUST_USE td_err td_cli13_psk_bind(td_conn *c, uint8_t *body, size_t len);

/* After the first ClientHello is queued: when offering 0-RTT, the
 * compatibility CCS (RFC 8446 D.4) and the early write key. */
TD_MUST_USE td_err td_cli13_early_start(td_conn *c);

/* A HelloRetryRequest of `suite`: 0-RTT is over (RFC 8446 4.1.2: no
 * early_data in the second ClientHello; the write side back to
 * plaintext), and a PSK whose hash is not the suite's is dropped
 * (4.1.2: "optionally removing any PSKs which are incompatible").
 * suite NULL: a TLS 1.2 ServerHello; the PSK is dropped too. */
TD_MUST_USE td_err td_cli13_psk_on_hrr(td_conn *c, const td_ks_suite *suite);

/* The ServerHello's pre_shared_key (RFC 8446 4.2.11) and the key
 * exchange it implies: *dhe = 1 when the ServerHello must carry
 * key_share. Sets c->psk_state to TD_PSK_ACCEPTED or TD_PSK_NONE.
 * illegal_parameter for a selected_identity out of range, a suite of
 * another hash, or a key_share at odds with the modes we offered. */
TD_MUST_USE td_err td_cli13_psk_on_server_hello(td_conn *c,
                                                const td_server_hello *sh,
                                                const td_ks_suite *suite,
                                                int *dhe);

/* EncryptedExtensions answered early_data or not (RFC 8446 4.2.10,
 * 4.2.11: only with the PSK accepted, identity 0: illegal_parameter). */
TD_MUST_USE td_err td_cli13_early_on_ee(td_conn *c, int early_data);

/* After the server Finished, before the handshake write key: the
 * EndOfEarlyData when 0-RTT was accepted (RFC 8446 4.5), and the end
 * of the early secrets either way. */
TD_MUST_USE td_err td_cli13_early_end(td_conn *c);

/* A NewSessionTicket (RFC 8446 4.6.1) into cfg->session13_cache. */
TD_MUST_USE td_err td_cli13_store_ticket(td_conn *c,
                                         const td_new_session_ticket13 *nst);

#endif
