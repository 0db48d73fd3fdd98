/*
 * The structure-aware mutation step of edit scripts (td_edit.h), for a
 * libFuzzer custom mutator: decode the binary script, add, remove or
 * change one edit, encode it back. Values come from what the message
 * type has (its fields, the registry names of their values, the known
 * extension types) and from the boundaries where parsers break (0, 1,
 * 0xff, 0xffff, lengths one off). Deterministic in `seed`.
 */
#include "td_edit.h"

#include "td_ext.h"
#include "td_msg.h"
#include "td_names.h"

#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* splitmix64: small, seedable, good enough to pick mutations */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *s, size_t n)
{
    return n ? (size_t)(next(s) % n) : 0;
}

/* Which edits a mutation prefers: all of them (td_edit_mutate_msg), the
 * flight edits (td_edit_mutate_flight) or the framing and record edits
 * (td_edit_mutate_record). */
enum { FAMILY_ALL = 0, FAMILY_FLIGHT, FAMILY_RECORD };

/* What is known of the message the script will edit. */
#define PRESENT_MAX 64
typedef struct mut {
    uint64_t s;
    int family;
    uint8_t msg_type;
    uint16_t version;              /* 0: either form */
    size_t body_len;               /* 0: unknown */
    uint16_t present[PRESENT_MAX]; /* extension types of the message */
    size_t npresent;
} mut;

/* beyond the known types (td_edit_ext_types) */
static const uint16_t odd_ext_types[] = {
    0x0a0a, /* GREASE (RFC 8701) */
    0xfe0d, /* encrypted_client_hello, unknown to tlsdiff */
    0xffff, /* unassigned */
};

static const int64_t boundaries[] = {0,    1,     2,      0x7f,   0x80,    0xfe,
                                     0xff, 0x100, 0xfffe, 0xffff, 0x10000, 0xffffffffLL};

/* An integer for a field of `max` and registry `names`: for a field with
 * a registry, half the time one of its names (the values a peer's checks
 * are about: offered or not, supported, of the version), a quarter a
 * boundary, a quarter any value; without one, a boundary or any value. */
static int64_t gen_int(uint64_t *s, int64_t max, int names)
{
    size_t r = pick(s, 4);

    if (names && r <= 1) {
        size_t n;
        const td_name *t = td_names_table((td_names_kind)(names - 1), &n);
        if (n)
            return t[pick(s, n)].code;
    }
    if (r <= 1 || (names && r == 2))
        return boundaries[pick(s, N_OF(boundaries))] & max;
    return (int64_t)(next(s) & (uint64_t)max);
}

static uint16_t gen_len(uint64_t *s, size_t max)
{
    static const size_t lens[] = {0, 1, 2, 3, 31, 32, 33, 48, 64, 254, 255, 256, 511, 512};
    size_t n = pick(s, 3) ? lens[pick(s, N_OF(lens))] : pick(s, 65);

    return (uint16_t)(n > max ? max : n);
}

static void gen_bytes(uint64_t *s, uint8_t *p, size_t n)
{
    size_t i, r = pick(s, 4);

    for (i = 0; i < n; i++)
        p[i] = r == 0 ? 0 : r == 1 ? 0xff : (uint8_t)next(s);
}

/* A `set` value for field f. */
static void gen_value(uint64_t *s, td_edit *e)
{
    const td_edit_field_info *f = td_edit_field_about(e->field);
    size_t i, items;

    e->num = 0;
    e->len = 0;
    switch (f->kind) {
    case TD_EK_U8:
        e->num = gen_int(s, 0xff, f->names);
        break;
    case TD_EK_U16:
        e->num = gen_int(s, 0xffff, f->names);
        break;
    case TD_EK_U32:
        e->num = gen_int(s, 0xffffffffLL, f->names);
        break;
    case TD_EK_BOOL:
        e->num = (int64_t)pick(s, 2);
        break;
    case TD_EK_RANDOM:
        e->len = TD_RANDOM_LEN;
        gen_bytes(s, e->bytes, TD_RANDOM_LEN);
        if (pick(s, 4) == 0) /* the HelloRetryRequest random, or a downgrade sentinel */
            memcpy(e->bytes, td_hrr_random, TD_RANDOM_LEN);
        else if (pick(s, 4) == 0)
            memcpy(e->bytes + 24, pick(s, 2) ? td_downgrade_tls12 : td_downgrade_tls11, 8);
        break;
    case TD_EK_OPAQUE:
        e->len = gen_len(s, f->max);
        gen_bytes(s, e->bytes, e->len);
        break;
    case TD_EK_LIST8:
    case TD_EK_LIST16:
        items = pick(s, 7);
        for (i = 0; i < items; i++) {
            if (f->kind == TD_EK_LIST16) {
                int64_t v = pick(s, 5) ? gen_int(s, 0xffff, f->names) : 0x0a0a;
                e->bytes[e->len++] = (uint8_t)(v >> 8);
                e->bytes[e->len++] = (uint8_t)v;
            } else {
                e->bytes[e->len++] = (uint8_t)gen_int(s, 0xff, 0);
            }
        }
        if (f->kind == TD_EK_LIST16 && pick(s, 8) == 0) /* a list body of odd length */
            e->bytes[e->len++] = (uint8_t)next(s);
        break;
    }
}

static int64_t gen_pos(uint64_t *s)
{
    static const int64_t pos[] = {-1, 0, 1, 2};
    return pick(s, 2) ? pos[pick(s, N_OF(pos))] : (int64_t)pick(s, 16);
}

static uint8_t gen_hs_type(uint64_t *s)
{
    uint8_t t;
    int tries;

    if (pick(s, 4) == 0)
        return (uint8_t)next(s);
    for (tries = 0; tries < 64; tries++) {
        t = (uint8_t)next(s);
        if (td_hs_name(t))
            return t;
    }
    return TD_HS_FINISHED;
}

/* An offset or length: the edges of the body when it is known. */
static int64_t gen_at(mut *m, size_t small)
{
    static const int64_t fixed[] = {0, 1, 2, 3, 4, 34, 35, 38};
    size_t n = m->body_len;

    if (n && pick(&m->s, 2)) {
        const int64_t edge[] = {(int64_t)n - 1, (int64_t)n - 2, (int64_t)n / 2, (int64_t)n};
        int64_t v = edge[pick(&m->s, N_OF(edge))];
        return v < 0 ? 0 : v;
    }
    if (n && pick(&m->s, 2))
        return (int64_t)pick(&m->s, n + 1);
    return pick(&m->s, 2) ? fixed[pick(&m->s, N_OF(fixed))] : (int64_t)pick(&m->s, small);
}

static uint16_t gen_ext_type(mut *m, int existing)
{
    size_t nknown, r = pick(&m->s, 8);
    const uint16_t *known = td_edit_ext_types(&nknown);

    /* drop, dup, move and set need one the message has */
    if (m->npresent && (existing ? r < 6 : r < 2))
        return m->present[pick(&m->s, m->npresent)];
    if (r == 6)
        return (uint16_t)next(&m->s);
    if (r == 7)
        return odd_ext_types[pick(&m->s, N_OF(odd_ext_types))];
    return known[pick(&m->s, nknown)];
}

/* A record or plain edit: a content type (the RFC 8446 5.1 ones, invalid
 * 0, unknown ones) and a payload: what that type carries (a
 * ChangeCipherSpec is the one byte 1, RFC 5246 7.1, RFC 8446 5; an alert
 * its level and description, RFC 8446 6), empty (RFC 8446 5.1, 5.4: no
 * zero-length handshake or alert fragments), a short one, or over the
 * length limits (2^14 + 1, the TLS 1.3 inner plaintext and ciphertext
 * limits, RFC 5246 6.2.3's 2^14 + 2048), as one byte repeated. */
static void gen_record(uint64_t *s, td_edit *e)
{
    static const uint8_t cts[] = {20, 21, 22, 23, 24, 0, 0x63, 0xff};
    static const int64_t big[] = {16385, 16386, 16624, 16641, 18409, 18433, TD_EDIT_RECORD_MAX};
    size_t r;

    e->type = pick(s, 8) ? cts[pick(s, N_OF(cts))] : (uint8_t)next(s);
    r = pick(s, 5);
    if (r == 1 || r == 2) /* what the type carries; other types: either form */
        r = e->type == 20 ? 1 : e->type == 21 ? 2 : r;
    switch (r) {
    case 0:
        break; /* empty */
    case 1:
        e->len = 1;
        e->bytes[0] = pick(s, 4) ? 1 : (uint8_t)next(s); /* ChangeCipherSpec: 1 */
        break;
    case 2:
        e->len = 2;
        e->bytes[0] = (uint8_t)(1 + pick(s, 2)); /* AlertLevel */
        e->bytes[1] = (uint8_t)next(s);
        break;
    case 3:
        e->len = 1;
        e->bytes[0] = pick(s, 2) ? 0 : (uint8_t)next(s);
        e->num = big[pick(s, N_OF(big))];
        return;
    default:
        e->len = gen_len(s, 64);
        gen_bytes(s, e->bytes, e->len);
        break;
    }
    e->num = e->len;
}

/* Real handshake messages to inject (the flight family): a body of each
 * type that decodes, in the TLS 1.3 form where the versions differ, and
 * the TLS 1.2 forms of Certificate, CertificateRequest and Finished; a
 * message out of place is what SMACK and SKIP-TLS send. Each body is
 * head, fill_len bytes of fill (randoms, keys, verify_data), tail. */
static const struct {
    uint8_t type;
    uint8_t head_len, fill_len, tail_len;
    uint8_t fill;
    uint8_t head[20];
    uint8_t tail[12];
} real_msgs[] = {
    {0, 0, 0, 0, 0, {0}, {0}},                                                /* hello_request */
    {1, 2, 32, 9, 0x11, {3, 3}, {0, 0, 2, 0x13, 1, 1, 0, 0, 0}},              /* client_hello */
    {2, 2, 32, 12, 0x11, {3, 3}, {0, 0x13, 1, 0, 0, 6, 0, 0x2b, 0, 2, 3, 4}}, /* server_hello */
    /* new_session_ticket: lifetime 7200, age_add, empty nonce, a 4-byte ticket */
    {4, 9, 0, 8, 0, {0, 0, 0x1c, 0x20, 1, 2, 3, 4, 0}, {0, 4, 0xaa, 0xbb, 0xcc, 0xdd, 0, 0}},
    {5, 0, 0, 0, 0, {0}, {0}},                                    /* end_of_early_data */
    {8, 2, 0, 0, 0, {0, 0}, {0}},                                 /* encrypted_extensions */
    {11, 4, 0, 0, 0, {0, 0, 0, 0}, {0}},                          /* certificate (1.3) */
    {11, 3, 0, 0, 0, {0, 0, 0}, {0}},                             /* certificate (1.2) */
    {12, 4, 32, 4, 9, {3, 0, 0x1d, 0x20}, {4, 3, 0, 0}},          /* server_key_exchange */
    {13, 11, 0, 0, 0, {0, 0, 8, 0, 0x0d, 0, 4, 0, 2, 4, 3}, {0}}, /* certificate_request */
    {13, 8, 0, 0, 0, {1, 1, 0, 2, 4, 1, 0, 0}, {0}},              /* the same, 1.2 */
    {14, 0, 0, 0, 0, {0}, {0}},                                   /* server_hello_done */
    {15, 8, 0, 0, 0, {4, 3, 0, 4, 0, 0, 0, 0}, {0}},              /* certificate_verify */
    {16, 1, 32, 0, 9, {0x20}, {0}},                               /* client_key_exchange */
    {20, 0, 32, 0, 0, {0}, {0}},                                  /* finished (SHA-256) */
    {20, 0, 12, 0, 0, {0}, {0}},                                  /* finished (1.2) */
    {24, 1, 0, 0, 0, {0}, {0}},                                   /* key_update */
    {24, 1, 0, 0, 0, {1}, {0}},                                   /* the same, requested */
    {254, 0, 32, 0, 0, {0}, {0}},                                 /* message_hash */
};

/* An inject edit of a real message (td_edit_mutate_flight). */
static void gen_real_inject(uint64_t *s, td_edit *e)
{
    size_t i = pick(s, N_OF(real_msgs)), h = real_msgs[i].head_len, f = real_msgs[i].fill_len;

    e->type = real_msgs[i].type;
    memcpy(e->bytes, real_msgs[i].head, h);
    memset(e->bytes + h, real_msgs[i].fill, f);
    memcpy(e->bytes + h + f, real_msgs[i].tail, real_msgs[i].tail_len);
    e->len = (uint16_t)(h + f + real_msgs[i].tail_len);
}

/* A record or plain edit of the record family: what each content type
 * carries (RFC 8446 5.1, 6; RFC 5246 7.1): a CCS byte, a whole alert
 * with a description that matters, a handshake message or its first
 * bytes (a header split off), application data; else gen_record's. */
static void gen_record_payload(uint64_t *s, td_edit *e)
{
    static const uint8_t descs[] = {0, 10, 20, 22, 40, 42, 47, 50, 70, 80, 90, 100, 109, 255};
    static const uint8_t hs[][5] = {{0x18, 0x00, 0x00, 0x01, 0x00},  /* KeyUpdate */
                                    {0x00, 0x00, 0x00, 0x00, 0x00},  /* HelloRequest, then 0 */
                                    {0x14, 0x00, 0x00, 0x20, 0x00}}; /* a Finished header */

    switch (pick(s, 5)) {
    case 0:
        e->type = TD_CT_CHANGE_CIPHER_SPEC;
        e->len = 1;
        e->bytes[0] = pick(s, 4) ? 1 : 2;
        break;
    case 1:
        e->type = TD_CT_ALERT;
        e->len = 2;
        e->bytes[0] = (uint8_t)(1 + pick(s, 2)); /* warning, fatal */
        e->bytes[1] = descs[pick(s, N_OF(descs))];
        break;
    case 2:
        e->type = TD_CT_HANDSHAKE;
        e->len = (uint16_t)(1 + pick(s, 5));
        memcpy(e->bytes, hs[pick(s, N_OF(hs))], e->len);
        break;
    case 3:
        e->type = TD_CT_APPLICATION_DATA;
        e->len = (uint16_t)pick(s, 17);
        gen_bytes(s, e->bytes, e->len);
        break;
    default:
        gen_record(s, e);
        return;
    }
    e->num = e->len;
}

/* A fresh edit of op (field kept for set when it is one of this message). */
static void gen_args(mut *m, td_edit *e)
{
    static const int64_t deltas[] = {1, -1, 2, -2, 0xff, -0xff, 0x100, 0x10000, -0x10000};
    uint64_t *s = &m->s;
    uint8_t op = e->op, field = e->field;

    memset(e, 0, sizeof *e);
    e->op = op;
    switch (op) {
    case TD_EDIT_SET: {
        const td_edit_slot *sl[2] = {NULL, NULL};
        size_t n[2] = {0, 0}, total;

        if (m->version) {
            sl[0] = td_edit_slots(m->msg_type, m->version, &n[0], NULL);
        } else {
            sl[0] = td_edit_slots(m->msg_type, TD_TLS1_3, &n[0], NULL);
            sl[1] = td_edit_slots(m->msg_type, TD_TLS1_2, &n[1], NULL);
        }
        total = n[0] + n[1];
        if (!td_edit_field_about(field)) {
            size_t k = pick(s, total);
            field = total == 0 ? (uint8_t)(1 + pick(s, TD_EF_END - 1))
                    : k < n[0] ? sl[0][k].field
                               : sl[1][k - n[0]].field;
        }
        e->field = field;
        gen_value(s, e);
        break;
    }
    case TD_EDIT_EXT_INSERT:
    case TD_EDIT_EXT_SET:
        e->len = gen_len(s, 64);
        gen_bytes(s, e->bytes, e->len);
        /* fall through */
    case TD_EDIT_EXT_DROP:
    case TD_EDIT_EXT_DUP:
    case TD_EDIT_EXT_MOVE:
        e->type = gen_ext_type(m, op != TD_EDIT_EXT_INSERT);
        if (op == TD_EDIT_EXT_MOVE || op == TD_EDIT_EXT_INSERT)
            e->num = gen_pos(s);
        break;
    case TD_EDIT_BYTES:
        e->num = gen_at(m, 128);
        if (m->body_len && e->num == (int64_t)m->body_len && pick(s, 2))
            e->num--; /* mostly overwrite, sometimes append */
        if (e->num < 0)
            e->num = 0;
        e->len = (uint16_t)(1 + pick(s, 4));
        gen_bytes(s, e->bytes, e->len);
        break;
    case TD_EDIT_TRUNCATE:
        e->num = gen_at(m, 256);
        break;
    case TD_EDIT_LENGTH:
        e->num = deltas[pick(s, N_OF(deltas))];
        break;
    case TD_EDIT_TYPE:
    case TD_EDIT_INJECT:
        if (op == TD_EDIT_INJECT && m->family == FAMILY_FLIGHT && pick(s, 4)) {
            gen_real_inject(s, e);
            break;
        }
        e->type = gen_hs_type(s);
        if (op == TD_EDIT_INJECT) {
            e->len = gen_len(s, 64);
            gen_bytes(s, e->bytes, e->len);
        }
        break;
    case TD_EDIT_REPLACE:
        e->len = gen_len(s, TD_EDIT_BYTES_MAX);
        gen_bytes(s, e->bytes, e->len);
        break;
    case TD_EDIT_REPEAT:
        e->num = 1 + (int64_t)pick(s, 3);
        break;
    case TD_EDIT_SPLIT: {
        static const int64_t sizes[] = {1, 2, 3, 5, 16, 255, 256, 16384};
        e->num = sizes[pick(s, N_OF(sizes))];
        break;
    }
    case TD_EDIT_RECORD:
    case TD_EDIT_PLAIN:
        if (m->family == FAMILY_RECORD)
            gen_record_payload(s, e);
        else
            gen_record(s, e);
        break;
    default:
        break;
    }
}

/* Which op to add: mostly message edits, sometimes flight edits. */
static uint8_t gen_op(mut *m)
{
    uint64_t *s = &m->s;
    static const uint8_t weighted[] = {
        TD_EDIT_SET,      TD_EDIT_SET,      TD_EDIT_SET,        TD_EDIT_SET,     TD_EDIT_EXT_DROP,
        TD_EDIT_EXT_DUP,  TD_EDIT_EXT_MOVE, TD_EDIT_EXT_INSERT, TD_EDIT_EXT_SET, TD_EDIT_BYTES,
        TD_EDIT_TRUNCATE, TD_EDIT_LENGTH,   TD_EDIT_TYPE,       TD_EDIT_REPLACE, TD_EDIT_STALE,
        TD_EDIT_SKIP,     TD_EDIT_REPEAT,   TD_EDIT_INJECT,     TD_EDIT_REORDER, TD_EDIT_SPLIT,
        TD_EDIT_MERGE,    TD_EDIT_RECORD,   TD_EDIT_PLAIN,
    };
    static const uint8_t flight[] = {
        TD_EDIT_SKIP,   TD_EDIT_REPEAT, TD_EDIT_REPEAT,  TD_EDIT_INJECT,
        TD_EDIT_INJECT, TD_EDIT_INJECT, TD_EDIT_REORDER, TD_EDIT_MERGE,
        TD_EDIT_MERGE,  TD_EDIT_STALE,  TD_EDIT_REORDER,
    };
    static const uint8_t record[] = {
        TD_EDIT_SPLIT,  TD_EDIT_SPLIT, TD_EDIT_RECORD, TD_EDIT_RECORD,
        TD_EDIT_RECORD, TD_EDIT_PLAIN, TD_EDIT_PLAIN,  TD_EDIT_PLAIN,
    };
    size_t n;
    uint8_t op = weighted[pick(s, N_OF(weighted))];

    /* a family's edits 7 times in 8, any edit otherwise */
    if (m->family == FAMILY_FLIGHT && pick(s, 8))
        return flight[pick(s, N_OF(flight))];
    if (m->family == FAMILY_RECORD && pick(s, 8))
        return record[pick(s, N_OF(record))];

    /* no fields: the raw and flight edits only */
    if (!td_edit_slots(m->msg_type, TD_TLS1_3, &n, NULL) &&
        !td_edit_slots(m->msg_type, TD_TLS1_2, &n, NULL) && op <= TD_EDIT_EXT_SET)
        op = (uint8_t)(TD_EDIT_BYTES + pick(s, TD_EDIT_OP_END - TD_EDIT_BYTES));
    return op;
}

/* Change an edit a little: a number one off, a byte, a length, or new
 * arguments for the same op. */
static void tweak(mut *m, td_edit *e)
{
    uint64_t *s = &m->s;
    td_edit old = *e;

    switch (pick(s, 4)) {
    case 0:
        e->num += pick(s, 2) ? 1 : -1;
        break;
    case 1:
        if (e->len)
            e->bytes[pick(s, e->len)] ^= (uint8_t)(1u << pick(s, 8));
        break;
    case 2:
        if (e->len && pick(s, 2))
            e->len--;
        else if (e->len < TD_EDIT_BYTES_MAX)
            e->bytes[e->len++] = (uint8_t)next(s);
        break;
    default:
        gen_args(m, e);
        break;
    }
    if (td_edit_check(e, NULL, 0) != TD_OK) {
        *e = old;
        gen_args(m, e);
    }
}

static int is_struct(uint8_t op)
{
    return op >= TD_EDIT_SET && op <= TD_EDIT_EXT_SET;
}
static int is_raw(uint8_t op)
{
    return op == TD_EDIT_BYTES || op == TD_EDIT_TRUNCATE || op == TD_EDIT_REPLACE;
}

static void mutate_once(mut *m, td_edit_script *sc)
{
    uint64_t *s = &m->s;
    size_t r = pick(s, 10), i;

    if (sc->n == 0 || (r < 5 && sc->n < TD_EDIT_MAX)) {
        size_t lo = 0, hi = sc->n, at;
        td_edit e;

        memset(&e, 0, sizeof e);
        e.op = gen_op(m);
        gen_args(m, &e);
        /* set and ext edits before the raw ones, which would make the
         * body undecodable under them */
        for (i = 0; i < sc->n; i++) {
            if (is_struct(e.op) && is_raw(sc->e[i].op) && hi == sc->n)
                hi = i;
            if (is_raw(e.op) && is_struct(sc->e[i].op))
                lo = i + 1;
        }
        at = lo + pick(s, hi - lo + 1);
        memmove(&sc->e[at + 1], &sc->e[at], (sc->n - at) * sizeof sc->e[0]);
        sc->e[at] = e;
        sc->n++;
    } else if (r < 7) {
        i = pick(s, sc->n);
        memmove(&sc->e[i], &sc->e[i + 1], (sc->n - i - 1) * sizeof sc->e[0]);
        sc->n--;
        memset(&sc->e[sc->n], 0, sizeof sc->e[0]);
    } else {
        tweak(m, &sc->e[pick(s, sc->n)]);
    }
}

/* The extension types of the message's block, if it decodes. */
static void learn(mut *m, td_span body, const td_msg_ctx *ctx)
{
    static const td_msg_ctx tls13 = {TD_TLS1_3, TD_KX_ECDHE, 0, 0};
    const td_edit_slot *sl;
    td_msg msg;
    td_span block;
    td_ext_iter it;
    uint16_t type;
    td_span data;
    size_t n, i;
    int got;

    m->body_len = body.len;
    if (!body.p || td_msg_decode(m->msg_type, body, ctx ? ctx : &tls13, &msg) != TD_OK)
        return;
    m->version = ctx ? ctx->version : TD_TLS1_3;
    sl = td_edit_slots(m->msg_type, m->version, &n, NULL);
    for (i = 0; i < n && sl[i].field != TD_EF_EXTENSIONS; i++)
        ;
    if (i == n)
        return;
    memcpy(&block, (const uint8_t *)&msg + sl[i].off, sizeof block);
    td_ext_iter_init(&it, block);
    while (m->npresent < PRESENT_MAX && td_ext_iter_next(&it, &type, &data, &got) == TD_OK && got)
        m->present[m->npresent++] = type;
}

static size_t mutate(uint8_t *data, size_t size, size_t max, unsigned seed, uint8_t msg_type,
                     td_span body, const td_msg_ctx *ctx, int family)
{
    td_edit_script sc, t;
    uint8_t enc[TD_EDIT_MAX * (TD_EDIT_BYTES_MAX + 8)];
    td_span in = {data, size};
    mut m;
    int tries;

    memset(&m, 0, sizeof m);
    m.s = seed;
    m.family = family;
    m.msg_type = msg_type;
    learn(&m, body, ctx);
    if (td_edit_decode(in, &sc) != TD_OK)
        sc.n = 0; /* decode left it empty */
    for (tries = 0; tries < 8; tries++) {
        td_wr w;
        td_span out;
        size_t i;

        t = sc;
        mutate_once(&m, &t);
        for (i = 0; i < t.n; i++)
            if (td_edit_check(&t.e[i], NULL, 0) != TD_OK)
                break;
        if (i < t.n)
            continue;
        td_wr_init(&w, enc, sizeof enc);
        if (td_edit_encode(&t, &w) != TD_OK || td_wr_finish(&w, &out) != TD_OK || out.len > max)
            continue;
        if (out.len)
            memcpy(data, out.p, out.len);
        return out.len;
    }
    return size;
}

size_t td_edit_mutate_msg(uint8_t *data, size_t size, size_t max, unsigned seed, uint8_t msg_type,
                          td_span body, const td_msg_ctx *ctx)
{
    return mutate(data, size, max, seed, msg_type, body, ctx, FAMILY_ALL);
}

size_t td_edit_mutate(uint8_t *data, size_t size, size_t max, unsigned seed, uint8_t msg_type)
{
    td_span none = {NULL, 0};

    return td_edit_mutate_msg(data, size, max, seed, msg_type, none, NULL);
}

size_t td_edit_mutate_flight(uint8_t *data, size_t size, size_t max, unsigned seed,
                             uint8_t msg_type)
{
    td_span none = {NULL, 0};

    return mutate(data, size, max, seed, msg_type, none, NULL, FAMILY_FLIGHT);
}

size_t td_edit_mutate_record(uint8_t *data, size_t size, size_t max, unsigned seed,
                             uint8_t msg_type)
{
    td_span none = {NULL, 0};

    return mutate(data, size, max, seed, msg_type, none, NULL, FAMILY_RECORD);
}
