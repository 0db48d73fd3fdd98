/*
 * PLACEHOLDER: TLS 1.2 client after ServerHello (RFC 5246 7.3) is not written yet; every entry
 * point fails with TD_ERR_UNSUPPORTED so the engine stops with a clear
 * reason. Replaced file by file as the handlers land.
 */
#include "td_hs.h"

td_err td_cli12_on_server_hello(td_conn *c, const td_server_hello *sh)
{
    (void)c;
    (void)sh;
    return TD_ERR_UNSUPPORTED;
}

td_err td_cli12_on_certificate(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli12_on_certificate: not written yet");
}

td_err td_cli12_on_server_key_exchange(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli12_on_server_key_exchange: not written yet");
}

td_err td_cli12_on_certificate_request(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli12_on_certificate_request: not written yet");
}

td_err td_cli12_on_server_hello_done(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli12_on_server_hello_done: not written yet");
}

td_err td_cli12_on_new_session_ticket(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli12_on_new_session_ticket: not written yet");
}

td_err td_cli12_on_finished(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli12_on_finished: not written yet");
}

td_err td_cli12_on_hello_request(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli12_on_hello_request: not written yet");
}
