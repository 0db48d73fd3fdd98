/*
 * The key log hook: TLS 1.3 secrets handed to the caller under the labels
 * of the NSS key log format (SSLKEYLOGFILE), so a packet capture of a
 * loopback session can be decrypted. The engine does no I/O: the caller's
 * td_conn_config.keylog writes the lines.
 *
 * RFC 8446 7.1 names the secrets; the labels are the key log format's:
 *   client_early_traffic_secret         CLIENT_EARLY_TRAFFIC_SECRET
 *   client_handshake_traffic_secret     CLIENT_HANDSHAKE_TRAFFIC_SECRET
 *   server_handshake_traffic_secret     SERVER_HANDSHAKE_TRAFFIC_SECRET
 *   client_application_traffic_secret_0 CLIENT_TRAFFIC_SECRET_0
 *   server_application_traffic_secret_0 SERVER_TRAFFIC_SECRET_0
 *   exporter_master_secret              EXPORTER_SECRET
 * and for TLS 1.2 the master secret (RFC 5246 8.1) as CLIENT_RANDOM.
 */
#include "td_hs.h"

void td_hs_keylog13(const td_conn *c, td_ks13_secret which)
{
    const char *label;
    td_span secret;

    if (c->cfg->keylog == NULL)
        return;
    switch (which) {
    case TD_KS13_CLIENT_EARLY_TRAFFIC_SECRET:
        label = "CLIENT_EARLY_TRAFFIC_SECRET";
        break;
    case TD_KS13_CLIENT_HANDSHAKE_TRAFFIC_SECRET:
        label = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
        break;
    case TD_KS13_SERVER_HANDSHAKE_TRAFFIC_SECRET:
        label = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
        break;
    case TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET:
        label = "CLIENT_TRAFFIC_SECRET_0";
        break;
    case TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET:
        label = "SERVER_TRAFFIC_SECRET_0";
        break;
    case TD_KS13_EXPORTER_MASTER_SECRET:
        label = "EXPORTER_SECRET";
        break;
    default:
        return;
    }
    secret = td_ks13_get(&c->ks13, which);
    if (secret.len > 0)
        c->cfg->keylog(c->cfg->keylog_ctx, label, c->client_random, secret);
}

void td_hs_keylog12(const td_conn *c)
{
    td_span ms = {c->ks12.master_secret, TD_KS12_MASTER_SECRET_LEN};

    if (c->cfg->keylog != NULL && c->ks12.have_master_secret)
        c->cfg->keylog(c->cfg->keylog_ctx, "CLIENT_RANDOM", c->client_random, ms);
}
