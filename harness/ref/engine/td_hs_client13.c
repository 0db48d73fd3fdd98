/*
 * PLACEHOLDER: TLS 1.3 client after ServerHello (RFC 8446 A.1) is not written yet; every entry
 * point fails with TD_ERR_UNSUPPORTED so the engine stops with a clear
 * reason. Replaced file by file as the handlers land.
 */
#include "td_hs.h"

td_err td_cli13_on_encrypted_extensions(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli13_on_encrypted_extensions: not written yet");
}

td_err td_cli13_on_certificate_request(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli13_on_certificate_request: not written yet");
}

td_err td_cli13_on_certificate(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli13_on_certificate: not written yet");
}

td_err td_cli13_on_certificate_verify(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli13_on_certificate_verify: not written yet");
}

td_err td_cli13_on_finished(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli13_on_finished: not written yet");
}

td_err td_cli13_on_new_session_ticket(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli13_on_new_session_ticket: not written yet");
}

td_err td_cli13_on_key_update(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli13_on_key_update: not written yet");
}

td_err td_cli13_on_post_handshake_certificate_request(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli13_on_post_handshake_certificate_request: not written yet");
}
