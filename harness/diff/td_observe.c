/*
 * td_observe: collecting what a subject sent (records in, reassembled
 * messages, alerts and counts out) and the report (td_observe.h). The
 * outcome text and the comparator are in td_observe_compare.c, the table
 * of compared message fields in td_observe_fields.c.
 *
 * No allocation: everything lives in the td_observation.
 */
#include "td_observe.h"
#include "td_crypto.h"
#include "td_names.h"

#include <stdarg.h>
#include <string.h>

void td_obs_init(td_observation *o)
{
    memset(o, 0, sizeof *o);
}

void td_obs_set_state(td_observation *o, const td_state *st)
{
    o->state = *st;
    o->has_state = 1;
}

void td_obs_set_crash(td_observation *o, const char *why)
{
    o->crashed = 1;
    snprintf(o->crash, sizeof o->crash, "%s", why ? why : "");
}

void td_obs_set_note(td_observation *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(o->note, sizeof o->note, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------------
 * Records
 * ------------------------------------------------------------------------ */

static size_t hs_body_len(const td_observation *o)
{
    return (size_t)o->hs_header[1] << 16 | (size_t)o->hs_header[2] << 8 | o->hs_header[3];
}

/* The message in flight is whole: keep it if there is a slot. */
static void hs_complete(td_observation *o)
{
    size_t len = hs_body_len(o);

    o->messages_seen++;
    if (o->n_messages < TD_OBS_MAX_MESSAGES) {
        td_obs_message *m = &o->messages[o->n_messages++];
        size_t room = TD_OBS_STORE - o->store_len;

        m->msg_type = o->hs_header[0];
        m->length = len;
        m->offset = o->store_len;
        m->stored = len < room ? len : room;
        o->store_len += m->stored;
        if (m->stored < len)
            o->truncated = 1;
    } else {
        o->truncated = 1;
    }
    o->hs_header_len = 0;
    o->hs_body_got = 0;
}

/* Body bytes of the message in flight go straight to where the message
 * will be kept (after the kept ones), as far as the store reaches. */
static void hs_keep(td_observation *o, td_span chunk)
{
    size_t at = o->store_len + o->hs_body_got;
    size_t n = 0;

    if (o->n_messages < TD_OBS_MAX_MESSAGES && at < TD_OBS_STORE)
        n = chunk.len < TD_OBS_STORE - at ? chunk.len : TD_OBS_STORE - at;
    if (n)
        memcpy(o->store + at, chunk.p, n);
}

static void add_handshake(td_observation *o, td_span fragment)
{
    td_rd r;

    td_rd_init_span(&r, fragment);
    while (td_rd_left(&r) > 0) {
        if (o->hs_header_len < TD_HANDSHAKE_HEADER_LEN) {
            uint8_t b;

            if (td_rd_u8(&r, &b) != TD_OK)
                return;
            o->hs_header[o->hs_header_len++] = b;
            if (o->hs_header_len == TD_HANDSHAKE_HEADER_LEN && hs_body_len(o) == 0)
                hs_complete(o);
        } else {
            size_t need = hs_body_len(o) - o->hs_body_got;
            size_t left = td_rd_left(&r);
            td_span chunk;

            if (td_rd_span(&r, left < need ? left : need, &chunk) != TD_OK)
                return;
            hs_keep(o, chunk);
            o->hs_body_got += chunk.len;
            if (o->hs_body_got == hs_body_len(o))
                hs_complete(o);
        }
    }
}

/* RFC 8446 6 / RFC 5246 7.2: an alert is two bytes; a record holding
 * anything but whole alerts is counted as malformed. */
static void add_alerts(td_observation *o, td_span fragment)
{
    td_rd r;
    uint8_t level, description;

    td_rd_init_span(&r, fragment);
    if (fragment.len == 0 || fragment.len % 2)
        o->malformed_alerts++;
    while (td_rd_left(&r) >= 2) {
        if (td_rd_u8(&r, &level) != TD_OK || td_rd_u8(&r, &description) != TD_OK)
            return;
        if (o->n_alerts < TD_OBS_MAX_ALERTS) {
            o->alerts[o->n_alerts].level = level;
            o->alerts[o->n_alerts].description = description;
            o->n_alerts++;
        }
        o->alerts_seen++;
    }
}

td_err td_obs_add_record(td_observation *o, uint8_t content_type, td_span plaintext,
                         int undecryptable)
{
    if (undecryptable) {
        o->undecryptable++;
        return TD_OK;
    }
    ENSURE(plaintext.p != NULL || plaintext.len == 0, TD_ERR_INTERNAL);
    switch (content_type) {
    case TD_CT_HANDSHAKE: add_handshake(o, plaintext); break;
    case TD_CT_ALERT: add_alerts(o, plaintext); break;
    case TD_CT_CHANGE_CIPHER_SPEC:
        if (o->ccs++ == 0)
            o->ccs_after = o->messages_seen;
        break;
    case TD_CT_APPLICATION_DATA:
        o->app_data_records++;
        o->app_data_bytes += plaintext.len;
        break;
    default: o->other_records++; break;
    }
    return TD_OK;
}

/* ------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------ */

td_span td_obs_message_body(const td_observation *o, size_t i)
{
    td_span s = {NULL, 0};
    td_rd r;

    /* The store holds peer bytes: spans of it come from td_rd. */
    td_rd_init(&r, o->store, o->store_len);
    if (i >= o->n_messages || td_rd_span(&r, o->messages[i].offset, &s) != TD_OK ||
        td_rd_span(&r, o->messages[i].stored, &s) != TD_OK)
        s.len = 0;
    return s;
}

/* RFC 8446 4.1.3: a ServerHello whose random is the HRR value. */
static int is_hrr(td_span body)
{
    td_rd r;
    uint16_t legacy_version;
    td_span random;

    td_rd_init_span(&r, body);
    return td_rd_u16(&r, &legacy_version) == TD_OK &&
           td_rd_span(&r, TD_RANDOM_LEN, &random) == TD_OK &&
           memcmp(random.p, td_hrr_random, TD_RANDOM_LEN) == 0;
}

static const char *type_name(uint8_t type, td_span body, char *buf, size_t cap)
{
    const char *name = td_hs_name(type);

    if (type == TD_HS_SERVER_HELLO && is_hrr(body))
        return "hello_retry_request";
    if (name)
        return name;
    snprintf(buf, cap, "unknown(%u)", type);
    return buf;
}

const char *td_obs_message_name(const td_observation *o, size_t i, char *buf, size_t cap)
{
    if (i >= o->n_messages)
        return "none";
    return type_name(o->messages[i].msg_type, td_obs_message_body(o, i), buf, cap);
}

void td_obs_unfinished(const td_observation *o, char *buf, size_t cap)
{
    char tmp[32];

    if (o->hs_header_len == 0)
        snprintf(buf, cap, "none");
    else if (o->hs_header_len < TD_HANDSHAKE_HEADER_LEN)
        snprintf(buf, cap, "%zu header bytes", o->hs_header_len);
    else
        snprintf(buf, cap, "%s (%zu of %zu bytes)",
                 type_name(o->hs_header[0], (td_span){NULL, 0}, tmp, sizeof tmp),
                 o->hs_body_got, hs_body_len(o));
}

/* ------------------------------------------------------------------------
 * Report
 * ------------------------------------------------------------------------ */

static const char *level_name(uint8_t level)
{
    return level == TD_ALERT_LEVEL_WARNING ? "warning"
           : level == TD_ALERT_LEVEL_FATAL ? "fatal"
                                           : "level?";
}

static const char *yes_no(int b)
{
    return b ? "yes" : "no";
}


static void print_state(const td_observation *o, FILE *f)
{
    /* td_diff does not link the subjects: no td_state_describe here. */
    static const char *const verdicts[] = {"continue", "alert", "closed", "crash"};
    const td_state *st = &o->state;
    char desc[160] = "";
    size_t at;

    if (!o->has_state) {
        fprintf(f, "state: not reported\n");
        return;
    }
    at = (size_t)snprintf(desc, sizeof desc, "%s",
                          (unsigned)st->verdict < 4 ? verdicts[st->verdict] : "?");
    if (st->sent.present && at < sizeof desc)
        at += (size_t)snprintf(desc + at, sizeof desc - at, ", sent %s:%s",
                               level_name(st->sent.level), td_err_name(st->sent.description));
    if (st->received.present && at < sizeof desc)
        snprintf(desc + at, sizeof desc - at, ", received %s:%s",
                 level_name(st->received.level), td_err_name(st->received.description));
    fprintf(f, "state: %s; version %s, suite %s, group %s, signature %s; done %s, resumed %s, "
               "peer verified %s",
            desc, st->version ? td_name_or_hex(TD_NAMES_VERSION, st->version) : "none",
            st->cipher_suite ? td_name_or_hex(TD_NAMES_SUITE, st->cipher_suite) : "none",
            st->group ? td_name_or_hex(TD_NAMES_GROUP, st->group) : "none",
            st->sig_scheme ? td_name_or_hex(TD_NAMES_SIGSCHEME, st->sig_scheme) : "none",
            yes_no(st->handshake_done), yes_no(st->resumed), yes_no(st->peer_verified));
    if (st->lib_error)
        fprintf(f, "; library error %d %s", st->lib_error, st->lib_error_name);
    fprintf(f, "\n");
}

void td_obs_print(const td_observation *o, FILE *f)
{
    char text[TD_OBS_LINE_LEN], buf[32];
    td_msg_ctx ctx;
    size_t i;

    td_obs_outcome(o, text, sizeof text);
    fprintf(f, "outcome: %s%s%s\n", text, o->crashed ? ": " : "", o->crashed ? o->crash : "");
    print_state(o, f);
    td_obs_ctx_init(&ctx, o->has_state ? &o->state : NULL);
    fprintf(f, "sent: %zu handshake message%s%s\n", o->messages_seen,
            o->messages_seen == 1 ? "" : "s", o->truncated ? " (truncated)" : "");
    for (i = 0; i <= o->n_messages; i++) {
        const td_obs_message *m = &o->messages[i];

        if (o->ccs && o->ccs_after == i)
            fprintf(f, "  change_cipher_spec%s\n", o->ccs > 1 ? " (and more later)" : "");
        if (i == o->n_messages)
            break;
        td_obs_fields_describe(m->msg_type, td_obs_message_body(o, i), &ctx, text, sizeof text);
        fprintf(f, "  %zu %s (%zu bytes%s)%s%s\n", i + 1,
                td_obs_message_name(o, i, buf, sizeof buf), m->length,
                m->stored < m->length ? ", cut" : "", text[0] ? ": " : "", text);
        td_obs_ctx_follow(&ctx, m->msg_type, td_obs_message_body(o, i));
    }
    if (o->ccs && o->ccs_after > o->n_messages)
        fprintf(f, "  change_cipher_spec after message %zu\n", o->ccs_after);
    if (o->hs_header_len) {
        td_obs_unfinished(o, text, sizeof text);
        fprintf(f, "  unfinished: %s\n", text);
    }
    fprintf(f, "alerts:");
    for (i = 0; i < o->n_alerts; i++)
        fprintf(f, "%s %s:%s", i ? "," : "", level_name(o->alerts[i].level),
                td_err_name(o->alerts[i].description));
    fprintf(f, "%s%s\n", o->n_alerts ? "" : " none",
            o->alerts_seen > o->n_alerts ? " (more not kept)" : "");
    fprintf(f,
            "records: %zu application data bytes in %zu records, %zu undecryptable, "
            "%zu malformed alert, %zu other\n",
            o->app_data_bytes, o->app_data_records, o->undecryptable, o->malformed_alerts,
            o->other_records);
    if (o->note[0])
        fprintf(f, "note: %s\n", o->note);
}


/* td_obs_digest: the fields fed one by one, each with its length, so two
 * observations cannot run together into the same bytes. */
typedef struct digest {
    td_hash_ctx h;
    td_err err; /* the first failure: the digest is then all zeros */
} digest;

static void digest_add(digest *h, const void *p, size_t n)
{
    uint8_t len[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};

    if (h->err == TD_OK)
        h->err = td_hash_update(&h->h, (td_span){len, sizeof len});
    if (h->err == TD_OK && n)
        h->err = td_hash_update(&h->h, (td_span){p, n});
}

static void digest_num(digest *h, uint64_t v)
{
    uint8_t b[8];
    int i;

    for (i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
    digest_add(h, b, sizeof b);
}

void td_obs_digest(const td_observation *o, char hex[33])
{
    const td_state *st = &o->state;
    uint8_t d[TD_HASH_MAX_LEN];
    digest h;
    size_t i;

    memset(d, 0, sizeof d);
    h.err = td_hash_init(&h.h, TD_HASH_SHA256);
    if (h.err == TD_OK) {
        digest_num(&h, (uint64_t)o->has_state);
        if (o->has_state) {
            digest_num(&h, (uint64_t)st->verdict);
            digest_num(&h, st->handshake_done);
            digest_num(&h, st->sent.present);
            digest_num(&h, st->sent.level);
            digest_num(&h, st->sent.description);
            digest_num(&h, st->received.present);
            digest_num(&h, st->received.level);
            digest_num(&h, st->received.description);
            digest_num(&h, st->version);
            digest_num(&h, st->cipher_suite);
            digest_num(&h, st->group);
            digest_num(&h, st->sig_scheme);
            digest_num(&h, st->resumed);
            digest_num(&h, st->peer_verified);
            digest_num(&h, (uint64_t)(int64_t)st->lib_error);
            digest_add(&h, st->lib_error_name, strlen(st->lib_error_name));
        }
        digest_num(&h, (uint64_t)o->crashed);
        digest_add(&h, o->crash, strlen(o->crash));
        digest_add(&h, o->note, strlen(o->note));
        digest_num(&h, o->messages_seen);
        digest_num(&h, (uint64_t)o->truncated);
        for (i = 0; i < o->n_messages; i++) {
            const td_obs_message *m = &o->messages[i];

            digest_num(&h, m->msg_type);
            digest_num(&h, m->length);
            digest_add(&h, o->store + m->offset, m->stored);
        }
        digest_add(&h, o->hs_header, o->hs_header_len);
        digest_num(&h, o->hs_body_got);
        for (i = 0; i < o->n_alerts; i++) {
            digest_num(&h, o->alerts[i].level);
            digest_num(&h, o->alerts[i].description);
        }
        digest_num(&h, o->alerts_seen);
        digest_num(&h, o->malformed_alerts);
        digest_num(&h, o->ccs);
        digest_num(&h, o->ccs_after);
        digest_num(&h, o->app_data_bytes);
        digest_num(&h, o->app_data_records);
        digest_num(&h, o->undecryptable);
        digest_num(&h, o->other_records);
        if (h.err != TD_OK || td_hash_peek(&h.h, d) != TD_OK)
            memset(d, 0, sizeof d);
    }
    for (i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}
