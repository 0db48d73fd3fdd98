/*
 * The handshake as data: one const table of {state, message, handler,
 * next states} for both roles and both versions, and the one dispatcher.
 * Anything not in the table is unexpected_message (RFC 8446 4, 6.2;
 * RFC 5246 7.4). The table renders as a Graphviz diagram (tlsdiff states
 * --dot).
 *
 * TLS 1.3 flows: RFC 8446 2 and A.1 (client), A.2 (server); TLS 1.2:
 * RFC 5246 7.3. The TLS 1.2 ChangeCipherSpec is a record, not a handshake
 * message: td_conn.c moves the *_WAIT_CHANGE_CIPHER_SPEC states on.
 */
#include "td_hs.h"

#include <stdio.h>
#include <string.h>

#define N(...) {__VA_ARGS__}
#define ROW(st, type, fn, next) {st, type, fn, next, 1}
#define POST(st, type, fn, next) {st, type, fn, next, 0}

static const td_hs_row rows[] = {
    /* client, both versions */
    ROW(TD_ST_CLI_WAIT_SERVER_HELLO, TD_HS_SERVER_HELLO, td_cli_on_server_hello,
        N(TD_ST_CLI_WAIT_ENCRYPTED_EXTENSIONS, TD_ST_CLI12_WAIT_CERTIFICATE,
          TD_ST_CLI_WAIT_SERVER_HELLO, TD_ST_CLI12_WAIT_NEW_SESSION_TICKET,
          TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC)),
    /* client, TLS 1.3 (RFC 8446 A.1) */
    ROW(TD_ST_CLI_WAIT_ENCRYPTED_EXTENSIONS, TD_HS_ENCRYPTED_EXTENSIONS,
        td_cli13_on_encrypted_extensions,
        N(TD_ST_CLI_WAIT_CERTIFICATE_OR_REQUEST, TD_ST_CLI_WAIT_FINISHED)),
    ROW(TD_ST_CLI_WAIT_CERTIFICATE_OR_REQUEST, TD_HS_CERTIFICATE_REQUEST,
        td_cli13_on_certificate_request, N(TD_ST_CLI_WAIT_CERTIFICATE)),
    ROW(TD_ST_CLI_WAIT_CERTIFICATE_OR_REQUEST, TD_HS_CERTIFICATE,
        td_cli13_on_certificate, N(TD_ST_CLI_WAIT_CERTIFICATE_VERIFY)),
    ROW(TD_ST_CLI_WAIT_CERTIFICATE, TD_HS_CERTIFICATE, td_cli13_on_certificate,
        N(TD_ST_CLI_WAIT_CERTIFICATE_VERIFY)),
    ROW(TD_ST_CLI_WAIT_CERTIFICATE_VERIFY, TD_HS_CERTIFICATE_VERIFY,
        td_cli13_on_certificate_verify, N(TD_ST_CLI_WAIT_FINISHED)),
    ROW(TD_ST_CLI_WAIT_FINISHED, TD_HS_FINISHED, td_cli13_on_finished,
        N(TD_ST_CONNECTED)),
    POST(TD_ST_CONNECTED, TD_HS_NEW_SESSION_TICKET,
         td_cli13_on_new_session_ticket, N(TD_ST_CONNECTED)),
    POST(TD_ST_CONNECTED, TD_HS_KEY_UPDATE, td_cli13_on_key_update,
         N(TD_ST_CONNECTED)),
    POST(TD_ST_CONNECTED, TD_HS_CERTIFICATE_REQUEST,
         td_cli13_on_post_handshake_certificate_request, N(TD_ST_CONNECTED)),
    /* client, TLS 1.2 (RFC 5246 7.3) */
    ROW(TD_ST_CLI12_WAIT_CERTIFICATE, TD_HS_CERTIFICATE, td_cli12_on_certificate,
        N(TD_ST_CLI12_WAIT_SERVER_KEY_EXCHANGE, TD_ST_CLI12_WAIT_REQUEST_OR_DONE)),
    ROW(TD_ST_CLI12_WAIT_SERVER_KEY_EXCHANGE, TD_HS_SERVER_KEY_EXCHANGE,
        td_cli12_on_server_key_exchange, N(TD_ST_CLI12_WAIT_REQUEST_OR_DONE)),
    ROW(TD_ST_CLI12_WAIT_REQUEST_OR_DONE, TD_HS_CERTIFICATE_REQUEST,
        td_cli12_on_certificate_request, N(TD_ST_CLI12_WAIT_SERVER_HELLO_DONE)),
    ROW(TD_ST_CLI12_WAIT_REQUEST_OR_DONE, TD_HS_SERVER_HELLO_DONE,
        td_cli12_on_server_hello_done,
        N(TD_ST_CLI12_WAIT_NEW_SESSION_TICKET,
          TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC)),
    ROW(TD_ST_CLI12_WAIT_SERVER_HELLO_DONE, TD_HS_SERVER_HELLO_DONE,
        td_cli12_on_server_hello_done,
        N(TD_ST_CLI12_WAIT_NEW_SESSION_TICKET,
          TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC)),
    ROW(TD_ST_CLI12_WAIT_NEW_SESSION_TICKET, TD_HS_NEW_SESSION_TICKET,
        td_cli12_on_new_session_ticket, N(TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC)),
    ROW(TD_ST_CLI12_WAIT_FINISHED, TD_HS_FINISHED, td_cli12_on_finished,
        N(TD_ST_CONNECTED, TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC)),
    POST(TD_ST_CONNECTED, TD_HS_HELLO_REQUEST, td_cli12_on_hello_request,
         N(TD_ST_CONNECTED)),
    /* RFC 5246 7.4.1.1: a HelloRequest "will be ignored by the client if
     * the client is currently negotiating a session" (and 7.4.9: it is
     * not part of the handshake messages) */
    POST(TD_ST_CLI12_WAIT_CERTIFICATE, TD_HS_HELLO_REQUEST,
         td_cli12_on_hello_request, N(TD_ST_CLI12_WAIT_CERTIFICATE)),
    POST(TD_ST_CLI12_WAIT_SERVER_KEY_EXCHANGE, TD_HS_HELLO_REQUEST,
         td_cli12_on_hello_request, N(TD_ST_CLI12_WAIT_SERVER_KEY_EXCHANGE)),
    POST(TD_ST_CLI12_WAIT_REQUEST_OR_DONE, TD_HS_HELLO_REQUEST,
         td_cli12_on_hello_request, N(TD_ST_CLI12_WAIT_REQUEST_OR_DONE)),
    POST(TD_ST_CLI12_WAIT_SERVER_HELLO_DONE, TD_HS_HELLO_REQUEST,
         td_cli12_on_hello_request, N(TD_ST_CLI12_WAIT_SERVER_HELLO_DONE)),
    POST(TD_ST_CLI12_WAIT_NEW_SESSION_TICKET, TD_HS_HELLO_REQUEST,
         td_cli12_on_hello_request, N(TD_ST_CLI12_WAIT_NEW_SESSION_TICKET)),
    POST(TD_ST_CLI12_WAIT_FINISHED, TD_HS_HELLO_REQUEST,
         td_cli12_on_hello_request, N(TD_ST_CLI12_WAIT_FINISHED)),

    /* server, both versions */
    ROW(TD_ST_SRV_WAIT_CLIENT_HELLO, TD_HS_CLIENT_HELLO, td_srv_on_client_hello,
        N(TD_ST_SRV_WAIT_FINISHED, TD_ST_SRV_WAIT_CERTIFICATE,
          TD_ST_SRV_WAIT_SECOND_CLIENT_HELLO, TD_ST_SRV_WAIT_END_OF_EARLY_DATA,
          TD_ST_SRV12_WAIT_CERTIFICATE, TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE,
          TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC)),
    /* server, TLS 1.3 (RFC 8446 A.2) */
    ROW(TD_ST_SRV_WAIT_SECOND_CLIENT_HELLO, TD_HS_CLIENT_HELLO,
        td_srv13_on_second_client_hello,
        N(TD_ST_SRV_WAIT_CERTIFICATE, TD_ST_SRV_WAIT_FINISHED)),
    ROW(TD_ST_SRV_WAIT_END_OF_EARLY_DATA, TD_HS_END_OF_EARLY_DATA,
        td_srv13_on_end_of_early_data,
        N(TD_ST_SRV_WAIT_CERTIFICATE, TD_ST_SRV_WAIT_FINISHED)),
    ROW(TD_ST_SRV_WAIT_CERTIFICATE, TD_HS_CERTIFICATE, td_srv13_on_certificate,
        N(TD_ST_SRV_WAIT_CERTIFICATE_VERIFY, TD_ST_SRV_WAIT_FINISHED)),
    ROW(TD_ST_SRV_WAIT_CERTIFICATE_VERIFY, TD_HS_CERTIFICATE_VERIFY,
        td_srv13_on_certificate_verify, N(TD_ST_SRV_WAIT_FINISHED)),
    ROW(TD_ST_SRV_WAIT_FINISHED, TD_HS_FINISHED, td_srv13_on_finished,
        N(TD_ST_CONNECTED)),
    POST(TD_ST_CONNECTED, TD_HS_KEY_UPDATE, td_srv13_on_key_update,
         N(TD_ST_CONNECTED)),
    /* RFC 8446 4.6.2: the client's answer to a post-handshake
     * CertificateRequest; the handlers keep their own transcript
     * (the handshake's, then the post-handshake messages, 4.4) */
    POST(TD_ST_CONNECTED, TD_HS_CERTIFICATE, td_srv13_on_pha_certificate,
         N(TD_ST_CONNECTED)),
    POST(TD_ST_CONNECTED, TD_HS_CERTIFICATE_VERIFY,
         td_srv13_on_pha_certificate_verify, N(TD_ST_CONNECTED)),
    POST(TD_ST_CONNECTED, TD_HS_FINISHED, td_srv13_on_pha_finished,
         N(TD_ST_CONNECTED)),
    /* server, TLS 1.2 (RFC 5246 7.3) */
    ROW(TD_ST_SRV12_WAIT_CERTIFICATE, TD_HS_CERTIFICATE, td_srv12_on_certificate,
        N(TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE)),
    ROW(TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE, TD_HS_CLIENT_KEY_EXCHANGE,
        td_srv12_on_client_key_exchange,
        N(TD_ST_SRV12_WAIT_CERTIFICATE_VERIFY,
          TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC)),
    ROW(TD_ST_SRV12_WAIT_CERTIFICATE_VERIFY, TD_HS_CERTIFICATE_VERIFY,
        td_srv12_on_certificate_verify, N(TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC)),
    ROW(TD_ST_SRV12_WAIT_FINISHED, TD_HS_FINISHED, td_srv12_on_finished,
        N(TD_ST_CONNECTED)),
    POST(TD_ST_CONNECTED, TD_HS_CLIENT_HELLO,
         td_srv12_on_client_hello_renegotiation, N(TD_ST_CONNECTED)),
};

static const char *const state_names[TD_ST_COUNT] = {
    [TD_ST_START] = "START",
    [TD_ST_CLI_WAIT_SERVER_HELLO] = "CLI_WAIT_SERVER_HELLO",
    [TD_ST_CLI_WAIT_ENCRYPTED_EXTENSIONS] = "CLI_WAIT_ENCRYPTED_EXTENSIONS",
    [TD_ST_CLI_WAIT_CERTIFICATE_OR_REQUEST] = "CLI_WAIT_CERTIFICATE_OR_REQUEST",
    [TD_ST_CLI_WAIT_CERTIFICATE] = "CLI_WAIT_CERTIFICATE",
    [TD_ST_CLI_WAIT_CERTIFICATE_VERIFY] = "CLI_WAIT_CERTIFICATE_VERIFY",
    [TD_ST_CLI_WAIT_FINISHED] = "CLI_WAIT_FINISHED",
    [TD_ST_CLI12_WAIT_CERTIFICATE] = "CLI12_WAIT_CERTIFICATE",
    [TD_ST_CLI12_WAIT_SERVER_KEY_EXCHANGE] = "CLI12_WAIT_SERVER_KEY_EXCHANGE",
    [TD_ST_CLI12_WAIT_REQUEST_OR_DONE] = "CLI12_WAIT_REQUEST_OR_DONE",
    [TD_ST_CLI12_WAIT_SERVER_HELLO_DONE] = "CLI12_WAIT_SERVER_HELLO_DONE",
    [TD_ST_CLI12_WAIT_NEW_SESSION_TICKET] = "CLI12_WAIT_NEW_SESSION_TICKET",
    [TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC] = "CLI12_WAIT_CHANGE_CIPHER_SPEC",
    [TD_ST_CLI12_WAIT_FINISHED] = "CLI12_WAIT_FINISHED",
    [TD_ST_SRV_WAIT_CLIENT_HELLO] = "SRV_WAIT_CLIENT_HELLO",
    [TD_ST_SRV_WAIT_SECOND_CLIENT_HELLO] = "SRV_WAIT_SECOND_CLIENT_HELLO",
    [TD_ST_SRV_WAIT_END_OF_EARLY_DATA] = "SRV_WAIT_END_OF_EARLY_DATA",
    [TD_ST_SRV_WAIT_CERTIFICATE] = "SRV_WAIT_CERTIFICATE",
    [TD_ST_SRV_WAIT_CERTIFICATE_VERIFY] = "SRV_WAIT_CERTIFICATE_VERIFY",
    [TD_ST_SRV_WAIT_FINISHED] = "SRV_WAIT_FINISHED",
    [TD_ST_SRV12_WAIT_CERTIFICATE] = "SRV12_WAIT_CERTIFICATE",
    [TD_ST_SRV12_WAIT_CLIENT_KEY_EXCHANGE] = "SRV12_WAIT_CLIENT_KEY_EXCHANGE",
    [TD_ST_SRV12_WAIT_CERTIFICATE_VERIFY] = "SRV12_WAIT_CERTIFICATE_VERIFY",
    [TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC] = "SRV12_WAIT_CHANGE_CIPHER_SPEC",
    [TD_ST_SRV12_WAIT_FINISHED] = "SRV12_WAIT_FINISHED",
    [TD_ST_CONNECTED] = "CONNECTED",
    [TD_ST_CLOSED] = "CLOSED",
    [TD_ST_FAILED] = "FAILED",
};

const char *td_hs_state_name(td_hs_state st)
{
    return (unsigned)st < TD_ST_COUNT && state_names[st] ? state_names[st]
                                                         : "?";
}

const td_hs_row *td_hs_table(size_t *n)
{
    *n = sizeof rows / sizeof rows[0];
    return rows;
}

/* The post-handshake rows of CONNECTED depend on role and version: a
 * server never takes a NewSessionTicket, a TLS 1.2 client never a
 * KeyUpdate. The handler checks that; the row only says the message is
 * meaningful in that state for someone. */
const td_hs_row *td_hs_lookup(td_hs_state state, uint8_t msg_type)
{
    size_t i;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].state == state && rows[i].msg_type == msg_type)
            return &rows[i];
    return NULL;
}

/* Rows of CONNECTED that belong to the other role. */
static int row_is_for(const td_hs_row *r, td_role role)
{
    if (r->handler == td_cli13_on_new_session_ticket ||
        r->handler == td_cli13_on_key_update ||
        r->handler == td_cli13_on_post_handshake_certificate_request ||
        r->handler == td_cli12_on_hello_request)
        return role == TD_ROLE_CLIENT;
    if (r->handler == td_srv13_on_key_update ||
        r->handler == td_srv13_on_pha_certificate ||
        r->handler == td_srv13_on_pha_certificate_verify ||
        r->handler == td_srv13_on_pha_finished ||
        r->handler == td_srv12_on_client_hello_renegotiation)
        return role == TD_ROLE_SERVER;
    return 1;
}

td_err td_hs_dispatch(td_conn *c, const td_handshake *msg)
{
    const td_hs_row *r = NULL;
    size_t i, before = c->transcript_len;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].state == c->state && rows[i].msg_type == msg->msg_type &&
            row_is_for(&rows[i], c->cfg->role)) {
            r = &rows[i];
            break;
        }
    /* RFC 8446 6.2 / RFC 5246 7.2.2: a message out of order */
    ENSURE(r != NULL, TD_ALERT_UNEXPECTED_MESSAGE);
    if (r->in_transcript)
        TRY(td_conn_transcript_add(c, msg->raw));
    return r->handler(c, msg, before);
}

td_err td_hs_table_dot(char *buf, size_t cap, size_t *len)
{
    size_t i, j, n = 0;
    int k;

    k = snprintf(buf, cap, "digraph tlsdiff_handshake {\n  rankdir=TB;\n"
                           "  node [shape=box, fontname=\"monospace\"];\n");
    ENSURE(k >= 0 && (size_t)k < cap, TD_ERR_NOSPACE);
    n = (size_t)k;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *m = td_hs_name(rows[i].msg_type);

        for (j = 0; j < TD_HS_MAX_NEXT; j++) {
            if (j > 0 && rows[i].next[j] == TD_ST_START)
                break;
            k = snprintf(buf + n, cap - n, "  %s -> %s [label=\"%s\"];\n",
                         td_hs_state_name(rows[i].state),
                         td_hs_state_name(rows[i].next[j]), m ? m : "?");
            ENSURE(k >= 0 && (size_t)k < cap - n, TD_ERR_NOSPACE);
            n += (size_t)k;
        }
    }
    k = snprintf(buf + n, cap - n, "}\n");
    ENSURE(k >= 0 && (size_t)k < cap - n, TD_ERR_NOSPACE);
    *len = n + (size_t)k;
    return TD_OK;
}
