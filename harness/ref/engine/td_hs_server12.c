/*
 * PLACEHOLDER: TLS 1.2 server (RFC 5246 7.3) is not written yet; every entry
 * point fails with TD_ERR_UNSUPPORTED so the engine stops with a clear
 * reason. Replaced file by file as the handlers land.
 */
#include "td_hs.h"

td_err td_srv12_on_client_hello(td_conn *c, const td_client_hello *ch)
{
    (void)c;
    (void)ch;
    return TD_ERR_UNSUPPORTED;
}

td_err td_srv12_on_certificate(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv12_on_certificate: not written yet");
}

td_err td_srv12_on_client_key_exchange(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv12_on_client_key_exchange: not written yet");
}

td_err td_srv12_on_certificate_verify(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv12_on_certificate_verify: not written yet");
}

td_err td_srv12_on_finished(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv12_on_finished: not written yet");
}

td_err td_srv12_on_client_hello_renegotiation(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv12_on_client_hello_renegotiation: not written yet");
}
