/*
 * PLACEHOLDER: our side of authentication is not written yet; every entry
 * point fails with TD_ERR_UNSUPPORTED so the engine stops with a clear
 * reason. Replaced file by file as the handlers land.
 */
#include "td_hs.h"

td_err td_hs_pick_sig_scheme(const td_conn *c, td_span peer_list, uint16_t *scheme)
{
    (void)c;
    (void)peer_list;
    (void)scheme;
    return TD_ERR_UNSUPPORTED;
}

td_err td_hs_cv13_content(int from_server, td_span transcript_hash, uint8_t *out, size_t cap, size_t *len)
{
    (void)from_server;
    (void)transcript_hash;
    (void)out;
    (void)cap;
    (void)len;
    return TD_ERR_UNSUPPORTED;
}

td_err td_hs_sign(td_conn *c, uint16_t scheme, td_span msg, uint8_t *sig, size_t *sig_len)
{
    (void)c;
    (void)scheme;
    (void)msg;
    (void)sig;
    (void)sig_len;
    return TD_ERR_UNSUPPORTED;
}

td_err td_hs_certificate_body(const td_conn *c, int tls13, td_span context, td_wr *wr)
{
    (void)c;
    (void)tls13;
    (void)context;
    (void)wr;
    return TD_ERR_UNSUPPORTED;
}
