/*
 * PLACEHOLDER: TLS 1.3 server (RFC 8446 A.2) is not written yet; every entry
 * point fails with TD_ERR_UNSUPPORTED so the engine stops with a clear
 * reason. Replaced file by file as the handlers land.
 */
#include "td_hs.h"

td_err td_srv13_on_second_client_hello(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv13_on_second_client_hello: not written yet");
}

td_err td_srv13_on_end_of_early_data(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv13_on_end_of_early_data: not written yet");
}

td_err td_srv13_on_certificate(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv13_on_certificate: not written yet");
}

td_err td_srv13_on_certificate_verify(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv13_on_certificate_verify: not written yet");
}

td_err td_srv13_on_finished(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv13_on_finished: not written yet");
}

td_err td_srv13_on_key_update(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_srv13_on_key_update: not written yet");
}
