/*
 * The reference engine's driver: records in and out, record protection,
 * alerts, ChangeCipherSpec, application data, the transcript and the
 * first failure. Handshake messages go to the table (td_hs_table.c).
 *
 * RFC 8446 5 (record layer), 5.1 (no handshake message spans a key
 * change), 6 (alerts), D.4 (compatibility CCS); RFC 5246 6.2 (record
 * layer), 7.1 (ChangeCipherSpec), 7.2 (alerts).
 *
 * 0-RTT (RFC 8446 4.2.10): the client's early data goes out through
 * td_conn_write_early; a server that accepted it takes application data
 * while it waits for EndOfEarlyData; a server that refused it skips it:
 *   "Ignore the extension and return a regular 1-RTT response.  The
 *    server then skips past early data by attempting to deprotect
 *    received records using the handshake traffic key, discarding
 *    records which fail deprotection (up to the configured
 *    max_early_data_size).  Once a record is deprotected successfully,
 *    it is treated as the start of the client's second flight"
 *   "Request that the client send another ClientHello by responding with
 *    a HelloRetryRequest. ... The server then ignores early data by
 *    skipping all records with an external content type of
 *    "application_data" (indicating that they are encrypted), up to the
 *    configured max_early_data_size."
 * The handlers set td_conn.early_skip; the driver skips (early_skip).
 * What a skipped record counts against the allowance is its payload at
 * most: the record length less the AEAD tag (16 bytes for every suite
 * here) and the inner content type byte (4.6.1 counts "Application Data
 * payload (i.e., plaintext but not padding or the inner content type
 * byte)"; without the keys, padding cannot be told apart, as 4.6.1
 * notes). Once the allowance is spent, skipping ends and the record is
 * processed as any other: one that fails to deprotect is bad_record_mac
 * (5.2), an application_data record before the second ClientHello is
 * unexpected_message.
 */
#include "td_conn.h"
#include "td_hs.h"

#include <stdio.h>
#include <string.h>

#ifdef TD_INJECT_BUGS
#include "td_inject.h"
#endif

td_err td_conn_fail_at(td_conn *c, td_err err, const char *file, int line,
                       const char *why)
{
    if (c->failure.err == TD_OK) {
        c->failure.err = err;
        c->failure.file = file;
        c->failure.line = line;
        snprintf(c->failure.why, sizeof c->failure.why, "%s", why ? why : "");
    }
    if (c->state == TD_ST_FAILED)
        return err;
    c->state = TD_ST_FAILED;
    /* Whatever the failed step queued is not sent. */
    c->hs_out_len = 0;
    if (td_err_is_alert(err) && !c->sent_alert) {
        uint8_t body[2];
        td_wr w;
        td_alert a = {TD_ALERT_LEVEL_FATAL, (uint8_t)err};
        td_span s;

        td_wr_init(&w, body, sizeof body);
        if (td_alert_encode(&w, &a) == TD_OK && td_wr_finish(&w, &s) == TD_OK &&
            td_hs_send_record(c, TD_CT_ALERT, s) == TD_OK) {
            c->sent_alert = 1 + err;
            c->sent_alert_level = TD_ALERT_LEVEL_FATAL;
        }
    }
    return err;
}

td_err td_conn_init(td_conn *c, const td_conn_config *cfg, const td_rng *rng)
{
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->rng = *rng;
    c->state = TD_ST_START;
    c->read_mode.version = TD_RECORD_TLS12;
    c->read_mode.protection = TD_RECORD_PLAINTEXT;
    c->write_mode = c->read_mode;
    c->out_record_version = 0x0303;
    td_hs_reasm_init(&c->reasm);
    return TD_OK;
}

td_err td_conn_draw(td_conn *c, td_draw what, uint8_t *out, size_t n)
{
    const td_draw_script *s = c->cfg->script;

    ENSURE((unsigned)what < TD_DRAW_KINDS, TD_ERR_INTERNAL);
    if (s) {
        size_t i, seen = 0;

        for (i = 0; i < s->n; i++) {
            if (s->item[i].what != what)
                continue;
            if (seen++ < c->script_used[what])
                continue;
            /* a script item of the wrong size is a broken test vector */
            ENSURE(s->item[i].len == n, TD_ERR_INTERNAL);
            memcpy(out, s->item[i].bytes, n);
            c->script_used[what]++;
            return TD_OK;
        }
    }
    td_rng_bytes(&c->rng, out, n);
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------ */

/* One record of `type` under the current write state, appended to out. */
td_err td_hs_send_record(td_conn *c, uint8_t type, td_span content)
{
    td_wr w;

    td_wr_init(&w, c->out + c->out_len, sizeof c->out - c->out_len);
    if (c->write.installed) {
        TRY(td_protect_seal(&c->write, type, content, 0, &w));
    } else {
        td_record rec;

        rec.type = type;
        rec.legacy_record_version = c->out_record_version;
        rec.fragment = content;
        TRY(td_record_encode(&w, c->write_mode, &rec));
    }
    c->out_len += td_wr_len(&w);
    return TD_OK;
}

/* The scripted peer's on_flush hook (td_conn_hooks), if any. */
static td_err flush_hook(td_conn *c, int idle)
{
    if (!c->cfg->hooks || !c->cfg->hooks->on_flush)
        return TD_OK;
    return c->cfg->hooks->on_flush(c->cfg->hooks->ctx, idle);
}

td_err td_conn_flush(td_conn *c)
{
    size_t off = 0;

    TRY(flush_hook(c, 0));
    while (off < c->hs_out_len) {
        size_t n = c->hs_out_len - off;
        td_span s;

        if (n > TD_MAX_PLAINTEXT_LEN)
            n = TD_MAX_PLAINTEXT_LEN; /* RFC 8446 5.1, RFC 5246 6.2.1 */
        s.p = c->hs_out + off;
        s.len = n;
        TRY(td_hs_send_record(c, TD_CT_HANDSHAKE, s));
        off += n;
    }
    c->hs_out_len = 0;
    /* after the first flight, plaintext records say TLS 1.2 (RFC 8446 5.1) */
    c->out_record_version = 0x0303;
    return TD_OK;
}

td_err td_conn_send_ccs(td_conn *c)
{
    static const uint8_t one[1] = {TD_CCS_CHANGE_CIPHER_SPEC};
    td_span s = {one, 1};
    td_protect saved = c->write;

    TRY(td_conn_flush(c));
    /* RFC 8446 5: the compatibility CCS is never protected; in TLS 1.2 it
     * precedes the key change, so it is under the old (null) state. */
    c->write.installed = 0;
    {
        td_err e = td_hs_send_record(c, TD_CT_CHANGE_CIPHER_SPEC, s);

        c->write.installed = saved.installed;
        return e;
    }
}

td_err td_conn_transcript_add(td_conn *c, td_span bytes)
{
    ENSURE(bytes.len <= sizeof c->transcript - c->transcript_len,
           TD_ERR_NOSPACE);
    if (bytes.len)
        memcpy(c->transcript + c->transcript_len, bytes.p, bytes.len);
    c->transcript_len += bytes.len;
    return TD_OK;
}

td_err td_conn_transcript_hash(td_conn *c, td_hash_alg alg, size_t len,
                               uint8_t *out)
{
    ENSURE(len <= c->transcript_len, TD_ERR_INTERNAL);
    /* a hash of an earlier prefix (a CertificateVerify's "before") or
     * under another algorithm starts again from the first byte */
    if (!c->th_valid || c->th_alg != alg || c->th_len > len) {
        c->th_valid = 0;
        TRY(td_hash_init(&c->th, alg));
        c->th_alg = alg;
        c->th_len = 0;
        c->th_valid = 1;
    }
    if (len > c->th_len) {
        td_err e = td_hash_update(&c->th, (td_span){c->transcript + c->th_len,
                                                    len - c->th_len});

        if (e != TD_OK) {
            c->th_valid = 0;
            return e;
        }
        c->th_len = len;
    }
    return td_hash_peek(&c->th, out);
}

void td_conn_wipe(td_conn *c)
{
    td_secure_zero(&c->read, sizeof c->read);
    td_secure_zero(&c->write, sizeof c->write);
    td_secure_zero(&c->pending_read, sizeof c->pending_read);
    td_secure_zero(&c->ks13, sizeof c->ks13);
    td_secure_zero(&c->ks12, sizeof c->ks12);
    td_secure_zero(c->kx_priv, sizeof c->kx_priv);
    td_secure_zero(&c->psk, sizeof c->psk);
    td_secure_zero(&c->hs12.session, sizeof c->hs12.session);
    td_secure_zero(&c->th, sizeof c->th);
    c->th_valid = 0;
    c->state = TD_ST_FAILED;
}

void td_conn_transcript_set_len(td_conn *c, size_t len)
{
    c->transcript_len = len;
    c->th_valid = 0;
}

/* The scripted peer's edit of the message just encoded at raw (the tail
 * of hs_out): the hook writes its wire bytes after it; the transcript
 * takes them or the canonical message; what the hook says is queued
 * where the queue ends once it returns (before raw when the hook
 * flushed). While it runs the message is out of the queue, so that a
 * td_conn_flush from the hook frames only what came before. */
static td_err send_edited(td_conn *c, uint8_t msg_type, td_span raw)
{
    size_t start = c->hs_out_len - raw.len, wire_len = 0;
    uint8_t *wire = c->hs_out + c->hs_out_len;
    size_t cap = sizeof c->hs_out - c->hs_out_len;
    int edited_transcript = 1, handled = TD_CONN_HOOK_CANONICAL;
    td_span queued = raw, tr = raw;

    c->hs_out_len = start;
    TRY(c->cfg->hooks->on_send(c->cfg->hooks->ctx, msg_type, raw, wire, cap, &wire_len,
                               &edited_transcript, &handled));
    ENSURE(wire_len <= cap && c->hs_out_len <= start, TD_ERR_INTERNAL);
    if (handled != TD_CONN_HOOK_CANONICAL) {
        ENSURE(handled == TD_CONN_HOOK_QUEUE || handled == TD_CONN_HOOK_SENT,
               TD_ERR_INTERNAL);
        if (edited_transcript)
            tr = (td_span){wire, wire_len};
        queued = handled == TD_CONN_HOOK_QUEUE ? (td_span){wire, wire_len}
                                               : (td_span){wire, 0};
    }
    /* HelloRequest is not part of the transcript (RFC 5246 7.4.1.1) */
    if (msg_type != TD_HS_HELLO_REQUEST)
        TRY(td_conn_transcript_add(c, tr));
    if (queued.len)
        memmove(c->hs_out + c->hs_out_len, queued.p, queued.len);
    c->hs_out_len += queued.len;
    return TD_OK;
}

td_err td_conn_send_handshake(td_conn *c, uint8_t msg_type, td_span body)
{
    td_wr w;
    td_handshake hs;
    td_span raw;
    size_t start = c->hs_out_len;

    hs.msg_type = msg_type;
    hs.body = body;
    td_wr_init(&w, c->hs_out + start, sizeof c->hs_out - start);
    TRY(td_handshake_encode(&w, &hs));
    TRY(td_wr_finish(&w, &raw));
    c->hs_out_len += raw.len;
    if (c->cfg->hooks && c->cfg->hooks->on_send)
        return send_edited(c, msg_type, raw);
    /* HelloRequest is not part of the transcript (RFC 5246 7.4.1.1); the
     * TLS 1.3 post-handshake messages are the caller's to exclude. */
    if (msg_type != TD_HS_HELLO_REQUEST)
        TRY(td_conn_transcript_add(c, raw));
    return TD_OK;
}

size_t td_conn_pending(const td_conn *c)
{
    return c->out_len;
}

void td_conn_drain(td_conn *c, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = c->out_len < cap ? c->out_len : cap;

    if (n)
        memcpy(out, c->out, n);
    memmove(c->out, c->out + n, c->out_len - n);
    c->out_len -= n;
    *len = n;
}

/* ------------------------------------------------------------------------
 * Input
 * ------------------------------------------------------------------------ */

static td_err on_alert(td_conn *c, td_span content)
{
    td_alert a;

    TRY(td_alert_decode(content, &a));
    c->received_alert = 1 + a.description;
    c->received_alert_level = a.level;
    if (a.description == TD_ALERT_CLOSE_NOTIFY) {
        c->state = TD_ST_CLOSED; /* RFC 8446 6.1, RFC 5246 7.2.1 */
        return TD_OK;
    }
    if (a.description == TD_ALERT_USER_CANCELED &&
        a.level == TD_ALERT_LEVEL_WARNING)
        return TD_OK; /* RFC 8446 6.1: followed by close_notify */
    /* RFC 8446 6: every other alert ends the connection whatever its
     * level; RFC 5246 7.2.2 says the same of fatal ones, and the reference
     * sends no warnings that matter to the handshake. */
    c->state = TD_ST_FAILED;
    return TD_OK;
}

static int is_tls13(const td_conn *c)
{
    return c->params.version == 0x0304;
}

static td_err on_ccs(td_conn *c, td_span content)
{
    td_ccs ccs;

    TRY(td_ccs_decode(content, is_tls13(c) ? TD_RECORD_TLS13 : TD_RECORD_TLS12,
                      &ccs));
    /* RFC 8446 5: "If an implementation detects a change_cipher_spec
     * record received before the first ClientHello message ..., it MUST
     * be treated as an unexpected record type": a server that has not
     * received one yet takes the TLS 1.2 path below, which refuses it */
    if (is_tls13(c) || (c->params.version == 0 && c->state != TD_ST_START &&
                        c->state != TD_ST_SRV_WAIT_CLIENT_HELLO &&
                        c->cfg->max_version >= 0x0304)) {
        /* RFC 8446 5: a CCS "at any time after the first ClientHello ...
         * and before the peer's Finished message has been received MUST
         * simply" be dropped; after that, unexpected_message. */
        ENSURE(c->state != TD_ST_CONNECTED && c->state != TD_ST_START,
               TD_ALERT_UNEXPECTED_MESSAGE);
        c->ccs_seen = 1;
        return TD_OK;
    }
    /* RFC 5246 7.1: the CCS is expected only where the table says; early
     * (before the keys exist: the CVE-2014-0224 class) it is
     * unexpected_message. It must also not split a handshake message. */
#ifdef TD_INJECT_BUGS
    /* test-only: an early CCS between handshake messages is dropped as
     * TLS 1.3's compatibility one */
    if (td_injected_bug == TD_BUG_EARLY_CCS &&
        c->state != TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC &&
        c->state != TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC &&
        c->state != TD_ST_CONNECTED && !c->pending_read.installed)
        return td_hs_reasm_check_boundary(&c->reasm);
#endif
    ENSURE(c->state == TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC ||
               c->state == TD_ST_SRV12_WAIT_CHANGE_CIPHER_SPEC,
           TD_ALERT_UNEXPECTED_MESSAGE);
    TRY(td_hs_reasm_check_boundary(&c->reasm));
    ENSURE(c->pending_read.installed, TD_ERR_INTERNAL);
    c->read = c->pending_read;
    td_protect_reset(&c->pending_read);
    c->read_mode.protection = TD_RECORD_PROTECTED;
    c->state = c->state == TD_ST_CLI12_WAIT_CHANGE_CIPHER_SPEC
                   ? TD_ST_CLI12_WAIT_FINISHED
                   : TD_ST_SRV12_WAIT_FINISHED;
    return TD_OK;
}

/* The alert for a header announcing a body over the reference's limit
 * (TD_MAX_HANDSHAKE_BODY): the peer's input, so an alert, not an internal
 * failure. The header already names the type: one the state does not
 * take is out of order whatever its length (RFC 8446 4: "A peer which
 * receives a handshake message in an unexpected order MUST abort the
 * handshake with an "unexpected_message" alert"; RFC 5246 7.2.2).
 * Otherwise RFC 8446 6.2: "illegal_parameter: A field in the handshake
 * was incorrect"; OpenSSL answers an excessive message size the same
 * way. */
static td_err oversized_alert(const td_conn *c)
{
    td_rd h;
    uint8_t msg_type;

    td_rd_init(&h, c->reasm.buf, c->reasm.len);
    TRY(td_rd_u8(&h, &msg_type));
    if (!td_hs_lookup(c->state, msg_type))
        return TD_ALERT_UNEXPECTED_MESSAGE;
    return TD_ALERT_ILLEGAL_PARAMETER;
}

static td_err on_handshake(td_conn *c, td_span content)
{
    td_handshake msg;
    int got;

    TRY(td_hs_reasm_feed(&c->reasm, content));
    for (;;) {
        td_err e = td_hs_reasm_next(&c->reasm, &msg, &got);

        if (e == TD_ERR_NOSPACE)
            return oversized_alert(c);
        TRY(e);
        if (!got)
            return TD_OK;
        TRY(td_hs_dispatch(c, &msg));
        if (c->state == TD_ST_FAILED || c->state == TD_ST_CLOSED)
            return TD_OK;
    }
}

static td_err on_app_data(td_conn *c, td_span content)
{
    if (c->state == TD_ST_SRV_WAIT_END_OF_EARLY_DATA) {
        /* 0-RTT data the server accepted (RFC 8446 4.2.10); RFC 8446
         * 4.6.1: "A server receiving more than max_early_data_size bytes
         * of 0-RTT data SHOULD terminate the connection with an
         * "unexpected_message" alert." */
        ENSURE(content.len <= c->early_left, TD_ALERT_UNEXPECTED_MESSAGE);
        c->early_left -= content.len;
    } else {
        /* RFC 8446 2, RFC 5246 7: application data only once the
         * handshake is done. After our own close_notify the peer may
         * still send until it closes too (RFC 8446 6.1: each side closes
         * its write side). */
        ENSURE(c->state == TD_ST_CONNECTED ||
                   (c->state == TD_ST_CLOSED && c->params.version != 0 &&
                    c->received_alert != 1 + TD_ALERT_CLOSE_NOTIFY),
               TD_ALERT_UNEXPECTED_MESSAGE);
    }
    ENSURE(content.len <= sizeof c->app - c->app_len, TD_ERR_NOSPACE);
    if (content.len)
        memcpy(c->app + c->app_len, content.p, content.len);
    c->app_len += content.len;
    return TD_OK;
}

/* RFC 8446 4.2.10 (the top of this file): whether the record at
 * c->in[0..total), which the server could not take, is 0-RTT data it
 * skips; charged against the allowance. */
static int early_skipped(td_conn *c, size_t total)
{
    size_t len = total - TD_RECORD_HEADER_LEN;
    size_t payload = len > TD_AEAD_TAG_LEN + 1 ? len - TD_AEAD_TAG_LEN - 1 : 0;

    if (c->early_skip == TD_EARLY_SKIP_OFF ||
        c->in[0] != TD_CT_APPLICATION_DATA)
        return 0;
    if (payload > c->early_skip_left) {
        c->early_skip = TD_EARLY_SKIP_OFF; /* the allowance is spent */
        return 0;
    }
    c->early_skip_left -= payload;
    return 1;
}

/* One whole record at c->in[0..total). */
static td_err on_record(td_conn *c, size_t total)
{
    uint8_t plain[TD_MAX_INNER_PLAINTEXT_LEN + 2048];
    td_rd r;
    uint8_t type = c->in[0];
    td_span content;

    td_rd_init(&r, c->in, total);
    if (c->read.installed &&
        !(c->read.version == TD_RECORD_TLS13 &&
          type == TD_CT_CHANGE_CIPHER_SPEC)) {
        td_protect_plain p;
        td_err e = td_protect_open(&c->read, &r, plain, sizeof plain, &p);

        /* RFC 8446 4.2.10: a refused 0-RTT record (the state is unchanged
         * by a failed open) */
        if (e != TD_OK && c->early_skip == TD_EARLY_SKIP_TRIAL &&
            early_skipped(c, total))
            return TD_OK;
        if (e != TD_OK && c->cfg->hooks && c->cfg->hooks->on_receive)
            c->cfg->hooks->on_receive(c->cfg->hooks->ctx, type,
                                      (td_span){c->in + TD_RECORD_HEADER_LEN,
                                                total - TD_RECORD_HEADER_LEN},
                                      1);
        TRY(e);
        /* "Once a record is deprotected successfully, it is treated as the
         * start of the client's second flight" */
        if (c->early_skip == TD_EARLY_SKIP_TRIAL)
            c->early_skip = TD_EARLY_SKIP_OFF;
        type = p.type;
        content = p.content;
    } else {
        td_record rec;

        /* RFC 8446 4.2.10: after a HelloRetryRequest, application_data
         * records are skipped until the second ClientHello */
        if (c->early_skip == TD_EARLY_SKIP_APP_DATA) {
            if (early_skipped(c, total))
                return TD_OK;
            if (type == TD_CT_HANDSHAKE)
                c->early_skip = TD_EARLY_SKIP_OFF;
        }
        TRY(td_record_decode(&r, c->read_mode, &rec));
        content = rec.fragment;
    }
    if (c->cfg->hooks && c->cfg->hooks->on_receive)
        c->cfg->hooks->on_receive(c->cfg->hooks->ctx, type, content, 0);
    switch (type) {
    case TD_CT_HANDSHAKE:
        return on_handshake(c, content);
    case TD_CT_ALERT:
        TRY(td_hs_reasm_check_boundary(&c->reasm)); /* RFC 8446 5.1 */
        return on_alert(c, content);
    case TD_CT_CHANGE_CIPHER_SPEC:
        return on_ccs(c, content);
    case TD_CT_APPLICATION_DATA:
        TRY(td_hs_reasm_check_boundary(&c->reasm)); /* RFC 8446 5.1 */
        return on_app_data(c, content);
    default:
        return TD_ALERT_UNEXPECTED_MESSAGE; /* RFC 8446 5, RFC 5246 6 */
    }
}

/* A record header this state refuses (a plaintext alert where records
 * are protected, say): the scripted peer still sees the bytes, as raw
 * records (content type 0), from the refused header on. */
static void raw_to_hook(td_conn *c, td_span in, size_t off)
{
    size_t n = in.len - off;

    if (!c->cfg->hooks || !c->cfg->hooks->on_receive)
        return;
    if (n > sizeof c->in - c->in_len)
        n = sizeof c->in - c->in_len;
    if (n)
        memcpy(c->in + c->in_len, in.p + off, n);
    c->cfg->hooks->on_receive(c->cfg->hooks->ctx, 0, (td_span){c->in, c->in_len + n}, 1);
}

/* After td_conn_start or td_conn_feed: the scripted peer's on_flush
 * (idle), whose failure fails the connection. */
static td_err idle_hook(td_conn *c, td_err e)
{
    td_err h;

    if (!c->cfg->hooks || !c->cfg->hooks->on_flush)
        return e;
    h = flush_hook(c, 1);
    if (h != TD_OK && e == TD_OK)
        return TD_CONN_FAIL(c, h, "scripted peer");
    return e;
}

static td_err feed(td_conn *c, td_span in)
{
    size_t off = 0;

    if (c->state == TD_ST_FAILED)
        return c->failure.err ? c->failure.err : TD_ALERT_INTERNAL_ERROR;
    /* RFC 8446 6.1: "Any data received after a closure alert has been
     * received MUST be ignored." */
    if (c->received_alert == 1 + TD_ALERT_CLOSE_NOTIFY)
        return TD_OK;
    while (off < in.len || c->in_len >= TD_RECORD_HEADER_LEN) {
        size_t want, n, total;
        td_err e;

        /* top up to a header, then to the whole record */
        want = TD_RECORD_HEADER_LEN;
        if (c->in_len >= TD_RECORD_HEADER_LEN) {
            td_rd r;
            uint8_t type;
            uint16_t ver, len;

            td_record_mode hm = c->read.installed
                                    ? (td_record_mode){c->read_mode.version, TD_RECORD_PROTECTED}
                                    : c->read_mode;

            /* 0-RTT records to skip before the second ClientHello are
             * protected ones (RFC 8446 4.2.10, 5.2 lengths) */
            if (c->early_skip == TD_EARLY_SKIP_APP_DATA)
                hm.protection = TD_RECORD_PROTECTED;
            td_rd_init(&r, c->in, c->in_len);
            e = td_record_header_decode(&r, hm, &type, &ver, &len);
            if (e != TD_OK) {
                raw_to_hook(c, in, off);
                return TD_CONN_FAIL(c, e, "record header");
            }
            want = TD_RECORD_HEADER_LEN + len;
        }
        if (c->in_len < want) {
            n = want - c->in_len;
            if (n > in.len - off)
                n = in.len - off;
            if (n == 0)
                break;
            memcpy(c->in + c->in_len, in.p + off, n);
            c->in_len += n;
            off += n;
            continue;
        }
        total = want;
        e = on_record(c, total);
        memmove(c->in, c->in + total, c->in_len - total);
        c->in_len -= total;
        if (e != TD_OK)
            return TD_CONN_FAIL(c, e, "record");
        if (c->state == TD_ST_FAILED ||
            c->received_alert == 1 + TD_ALERT_CLOSE_NOTIFY)
            return c->failure.err;
    }
    return TD_OK;
}

td_err td_conn_feed(td_conn *c, td_span in)
{
    return idle_hook(c, feed(c, in));
}

static td_err start(td_conn *c)
{
    td_err e;

    if (c->cfg->role != TD_ROLE_CLIENT) {
        c->state = TD_ST_SRV_WAIT_CLIENT_HELLO;
        return TD_OK;
    }
    e = td_hs_client_start(c);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "ClientHello");
    return TD_OK;
}

td_err td_conn_start(td_conn *c)
{
    return idle_hook(c, start(c));
}

/* Application data records under the current write key. */
static td_err send_app(td_conn *c, td_span data)
{
    size_t off = 0;

    do {
        size_t n = data.len - off;
        td_span s;

        if (n > TD_MAX_PLAINTEXT_LEN)
            n = TD_MAX_PLAINTEXT_LEN;
        s.p = n ? data.p + off : NULL;
        s.len = n;
        TRY(td_hs_send_record(c, TD_CT_APPLICATION_DATA, s));
        off += n;
    } while (off < data.len);
    return TD_OK;
}

td_err td_conn_write_app(td_conn *c, td_span data)
{
    ENSURE(c->state == TD_ST_CONNECTED, TD_ERR_INTERNAL);
    return send_app(c, data);
}

td_err td_conn_send_post_handshake(td_conn *c, uint8_t msg_type, td_span body)
{
    size_t saved = c->transcript_len;
    int client = c->cfg->role == TD_ROLE_CLIENT;

    ENSURE(c->state == TD_ST_CONNECTED, TD_ERR_INTERNAL);
    TRY(td_conn_send_handshake(c, msg_type, body));
    td_conn_transcript_set_len(c, saved); /* RFC 8446 4.4.1: not in the transcript */
    if (msg_type != TD_HS_KEY_UPDATE || !is_tls13(c))
        return td_conn_flush(c);
    /* RFC 8446 4.6.3, 7.2: under the old key (installing flushes first),
     * then application_traffic_secret_N+1 */
    TRY(td_ks13_key_update(&c->ks13, client ? TD_KS13_CLIENT : TD_KS13_SERVER));
    return td_hs13_install(c,
                           client ? TD_KS13_CLIENT_APPLICATION_TRAFFIC_SECRET
                                  : TD_KS13_SERVER_APPLICATION_TRAFFIC_SECRET,
                           1);
}

td_err td_conn_write_early(td_conn *c, td_span data)
{
    /* RFC 8446 4.2.10: only after offering early_data, under
     * client_early_traffic_secret (the write key until the server's
     * Finished: 2, A.1), within the ticket's max_early_data_size
     * (4.6.1) */
    ENSURE(c->cfg->role == TD_ROLE_CLIENT &&
               (c->early_state == TD_EARLY_OFFERED ||
                c->early_state == TD_EARLY_ACCEPTED) &&
               c->state >= TD_ST_CLI_WAIT_SERVER_HELLO &&
               c->state <= TD_ST_CLI_WAIT_FINISHED &&
               data.len <= c->early_left,
           TD_ERR_INTERNAL);
    TRY(send_app(c, data));
    c->early_left -= data.len;
    return TD_OK;
}

void td_conn_read_app(td_conn *c, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = c->app_len < cap ? c->app_len : cap;

    if (n)
        memcpy(out, c->app, n);
    memmove(c->app, c->app + n, c->app_len - n);
    c->app_len -= n;
    *len = n;
}

td_err td_conn_send_raw_record(td_conn *c, td_protect *st, uint8_t type,
                               td_span content)
{
    td_protect *p = st ? st : &c->write;
    td_wr w;

    td_wr_init(&w, c->out + c->out_len, sizeof c->out - c->out_len);
    if (p->installed) {
        TRY(td_protect_seal_unchecked(p, type, content, &w));
    } else {
        td_record rec;

        rec.type = type;
        rec.legacy_record_version = c->out_record_version;
        rec.fragment = content;
        TRY(td_record_encode_unchecked(&w, &rec));
    }
    c->out_len += td_wr_len(&w);
    return TD_OK;
}

td_err td_conn_close(td_conn *c)
{
    static const uint8_t cn[2] = {TD_ALERT_LEVEL_WARNING,
                                  TD_ALERT_CLOSE_NOTIFY};
    td_span s = {cn, 2};

    ENSURE(c->state != TD_ST_FAILED, TD_ERR_INTERNAL);
    TRY(td_conn_flush(c));
    TRY(td_hs_send_record(c, TD_CT_ALERT, s));
    c->sent_alert = 1 + TD_ALERT_CLOSE_NOTIFY;
    c->sent_alert_level = TD_ALERT_LEVEL_WARNING;
    c->state = TD_ST_CLOSED;
    return TD_OK;
}

td_err td_hs_install_write(td_conn *c, td_record_version v, td_aead_alg alg,
                           td_span key, td_span iv)
{
    TRY(td_conn_flush(c));
    TRY(td_protect_install(&c->write, v, alg, key, iv));
    c->write_mode.version = v;
    c->write_mode.protection = TD_RECORD_PROTECTED;
    return TD_OK;
}

td_err td_hs_install_read(td_conn *c, td_record_version v, td_aead_alg alg,
                          td_span key, td_span iv)
{
    /* RFC 8446 5.1: "Handshake messages MUST NOT span key changes ...
     * an implementation MUST terminate the connection with an
     * unexpected_message alert" if they do. */
    TRY(td_hs_reasm_check_boundary(&c->reasm));
    TRY(td_protect_install(&c->read, v, alg, key, iv));
    c->read_mode.version = v;
    c->read_mode.protection = TD_RECORD_PROTECTED;
    return TD_OK;
}
