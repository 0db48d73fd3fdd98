/*
 * TLS 1.3, both roles: the traffic keys of a secret, our Finished, and
 * the application secrets (the client's handler files td_hs_client13*.c
 * and the server's td_hs_server13*.c call these).
 *
 * RFC 8446 7.3:
 *     [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
 *     [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
 *
 * RFC 8446 4.4.4:
 *     finished_key =
 *         HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
 *     struct {
 *         opaque verify_data[Hash.length];
 *     } Finished;
 *     verify_data =
 *         HMAC(finished_key,
 *              Transcript-Hash(Handshake Context,
 *                              Certificate*, CertificateVerify*))
 *
 * RFC 8446 7.1, after the server Finished:
 *
 *                  Derive-Secret(., "derived", "")
 *                        |
 *                        v
 *              0 -> HKDF-Extract = Master Secret
 *                        |
 *                        +-----> Derive-Secret(., "c ap traffic",
 *                        |                     ClientHello...server Finished)
 *                        |                     = client_application_traffic_secret_0
 *                        |
 *                        +-----> Derive-Secret(., "s ap traffic",
 *                        |                     ClientHello...server Finished)
 *                        |                     = server_application_traffic_secret_0
 *                        |
 *                        +-----> Derive-Secret(., "exp master",
 *                                              ClientHello...server Finished)
 *                                              = exporter_master_secret
 */
#include "td_hs.h"

td_err td_hs13_install(td_conn *c, td_ks13_secret which, int write)
{
    td_traffic_keys k;
    td_span key, iv;
    td_err e;

    TRY(td_ks13_traffic_keys(c->suite.hash, td_ks13_get(&c->ks13, which),
                             c->suite.aead, &k));
    key.p = k.key;
    key.len = k.key_length;
    iv.p = k.iv;
    iv.len = TD_AEAD_NONCE_LEN;
    e = write ? td_hs_install_write(c, TD_RECORD_TLS13, k.aead, key, iv)
              : td_hs_install_read(c, TD_RECORD_TLS13, k.aead, key, iv);
    td_secure_zero(&k, sizeof k);
    return e;
}

td_err td_hs13_send_finished(td_conn *c, td_ks13_secret which)
{
    uint8_t th[TD_HASH_MAX_LEN], vd[TD_HASH_MAX_LEN], body[TD_HASH_MAX_LEN];
    td_span h = {th, td_hash_len(c->suite.hash)}, s;
    td_finished fin;
    td_wr w;
    td_err e;

    TRY(td_conn_transcript_hash(c, c->suite.hash, c->transcript_len, th));
    TRY(td_ks13_verify_data(c->suite.hash, td_ks13_get(&c->ks13, which), h,
                            vd));
    fin.verify_data.p = vd;
    fin.verify_data.len = h.len;
    td_wr_init(&w, body, sizeof body);
    e = td_finished_encode(&w, &fin);
    if (e == TD_OK)
        e = td_wr_finish(&w, &s);
    if (e == TD_OK)
        e = td_conn_send_handshake(c, TD_HS_FINISHED, s);
    td_secure_zero(vd, sizeof vd);
    td_secure_zero(body, sizeof body);
    return e;
}

td_err td_hs13_application_secrets(td_conn *c)
{
    uint8_t th[TD_HASH_MAX_LEN];
    td_span h = {th, td_hash_len(c->suite.hash)};

    TRY(td_ks13_master_secret(&c->ks13));
    /* ClientHello...server Finished: the transcript so far */
    TRY(td_conn_transcript_hash(c, c->suite.hash, c->transcript_len, th));
    TRY(td_ks13_client_application_traffic_secret_0(&c->ks13, h));
    TRY(td_ks13_server_application_traffic_secret_0(&c->ks13, h));
    TRY(td_ks13_exporter_master_secret(&c->ks13, h));
    td_hs_keylog13(c, TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET);
    td_hs_keylog13(c, TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET);
    td_hs_keylog13(c, TD_KS13_EXPORTER_MASTER_SECRET);
    return TD_OK;
}
