/*
 * PLACEHOLDER: ClientHello and the version-deciding ServerHello (client) is not written yet; every entry
 * point fails with TD_ERR_UNSUPPORTED so the engine stops with a clear
 * reason. Replaced file by file as the handlers land.
 */
#include "td_hs.h"

td_err td_hs_client_start(td_conn *c)
{
    (void)c;
    return TD_ERR_UNSUPPORTED;
}

td_err td_cli_on_server_hello(td_conn *c, const td_handshake *msg, size_t before)
{
    (void)msg;
    (void)before;
    return TD_CONN_FAIL(c, TD_ERR_UNSUPPORTED, "td_cli_on_server_hello: not written yet");
}
