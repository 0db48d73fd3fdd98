/*
 * PLACEHOLDER: the peer certificate chain is not written yet; every entry
 * point fails with TD_ERR_UNSUPPORTED so the engine stops with a clear
 * reason. Replaced file by file as the handlers land.
 */
#include "td_hs.h"

td_err td_hs_check_peer_chain(td_conn *c)
{
    (void)c;
    return TD_ERR_UNSUPPORTED;
}

td_err td_hs_store_peer_chain13(td_conn *c, const td_certificate13 *m)
{
    (void)c;
    (void)m;
    return TD_ERR_UNSUPPORTED;
}

td_err td_hs_store_peer_chain12(td_conn *c, const td_certificate12 *m)
{
    (void)c;
    (void)m;
    return TD_ERR_UNSUPPORTED;
}
