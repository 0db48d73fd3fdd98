/*
 * The edits of one certificate's validity, names, key and signature
 * algorithm (td_x509_mutate_impl.h), and the helpers every certificate
 * edit shares. An edit picks a certificate of the chain that decoded with
 * complete raw parts, changes raw parts (new values built here, in the
 * mutator's scratch, with the td_x509_encode_* helpers and td_der_*),
 * and refreshes it (td_xm_refresh: re-encoded, decoded again, marked for
 * re-signing). Edits that read a certificate's meaning (its SAN list,
 * keyUsage bits, ...) take only certificates whose meaning is current.
 *
 * Values are chosen around what the checks decide on: the clock
 * 2026-01-01T00:00:00Z and the UTCTime/GeneralizedTime boundary, the
 * host names of fuzz_x509_chain with wildcard forms, the test PKI's
 * names, the signature algorithms the two sides parse differently.
 */
#include "td_x509_mutate_impl.h"

#include "td_world.h"

#include <string.h>

#define SPAN(a) ((td_span){(const uint8_t *)(a), sizeof(a)})
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int td_xm_span_eq(td_span a, td_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* A certificate to edit: editable (and with current meaning if asked);
 * prefer CAs when ca_bias (3 in 4), else any. NULL when none. */
td_xm_cert *td_xm_pick(td_xm_state *st, int need_meaning, int ca_bias)
{
    size_t idx[TD_XIN_MAX_CERTS], n = 0, ca[TD_XIN_MAX_CERTS], n_ca = 0, i;

    for (i = 0; i < st->n; i++) {
        const td_xm_cert *m = &st->certs[i];

        if (!m->editable || (need_meaning && !m->meaning))
            continue;
        idx[n++] = i;
        if (m->meaning && m->c.has_basic_constraints && m->c.ca)
            ca[n_ca++] = i;
    }
    if (n == 0)
        return NULL;
    if (ca_bias && n_ca > 0 && td_xm_rnd(4) != 0)
        return &st->certs[ca[td_xm_rnd((uint32_t)n_ca)]];
    return &st->certs[idx[td_xm_rnd((uint32_t)n)]];
}

/* ---- extensions ------------------------------------------------------------ */

int td_xm_ext_find(const td_x509_cert *c, td_span oid)
{
    size_t i;

    for (i = 0; i < c->n_exts; i++)
        if (td_xm_span_eq(c->exts[i].oid, oid))
            return (int)i;
    return -1;
}

void td_xm_ext_remove(td_x509_cert *c, size_t i)
{
    memmove(&c->exts[i], &c->exts[i + 1], (c->n_exts - i - 1) * sizeof c->exts[0]);
    c->n_exts--;
    /* Extensions SIZE (1..MAX): the last one takes [3] with it */
    if (c->n_exts == 0)
        c->has_extensions = 0;
}

/* Append an extension (made a v3 certificate, 7 in 8). */
int td_xm_ext_append(td_x509_cert *c, td_x509_ext e)
{
    if (c->n_exts >= TD_X509_MAX_EXTS)
        return 0;
    c->exts[c->n_exts++] = e;
    c->has_extensions = 1;
    if (c->version != 2 && td_xm_rnd(8) != 0) {
        c->version = 2;
        c->version_field = 1;
    }
    return 1;
}

/* Set the value of the extension oid (criticality kept), or add it with
 * `critical`. */
int td_xm_ext_set(td_x509_cert *c, td_span oid, int critical, td_span value)
{
    int i = td_xm_ext_find(c, oid);
    td_x509_ext e;

    if (i >= 0) {
        c->exts[i].value = value;
        return 1;
    }
    memset(&e, 0, sizeof e);
    e.oid = oid;
    e.critical = critical;
    e.critical_field = critical;
    e.value = value;
    return td_xm_ext_append(c, e);
}

int td_xm_done(td_xm_cert *m)
{
    return td_xm_refresh(m) == TD_OK;
}

/* ---- validity ---------------------------------------------------------------- */

#define DAY INT64_C(86400)
#define UTC_FIRST INT64_C(-631152000)  /* 1950-01-01T00:00:00Z */
#define UTC_LAST INT64_C(2524607999)   /* 2049-12-31T23:59:59Z */

static int utc_ok(int64_t t)
{
    return t >= UTC_FIRST && t <= UTC_LAST;
}

static int64_t some_time(int64_t other)
{
    static const int64_t rel[] = {0, -1, 1, -DAY, DAY, -366 * DAY, 366 * DAY, -3650 * DAY};
    static const int64_t abs_t[] = {
        UTC_FIRST,     UTC_FIRST - 1,          UTC_LAST,  UTC_LAST + 1,
        INT64_C(0),    INT64_C(253402300799), /* 9999-12-31T23:59:59Z */
        INT64_C(951782400),                   /* 2000-02-29 */
    };
    uint32_t r = td_xm_rnd(16);

    if (r < 10)
        return TD_CLOCK_DEFAULT + rel[td_xm_rnd(COUNT(rel))];
    if (r < 14)
        return abs_t[td_xm_rnd(COUNT(abs_t))];
    return other + (td_xm_rnd(2) ? 1 : -1); /* next to the other bound */
}

int td_xm_validity_move(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    int after = (int)td_xm_rnd(2);
    int64_t t;
    uint8_t tag = 0;

    if (!m)
        return 0;
    t = some_time(after ? m->c.not_before : m->c.not_after);
    /* what GeneralizedTime can hold: years 0000..9999 */
    if (t < INT64_C(-62167219200) || t > INT64_C(253402300799))
        return 0;
    /* the form RFC 5280 4.1.2.5 asks for, or (1 in 4) GeneralizedTime
     * before 2050 */
    if (utc_ok(t) && td_xm_rnd(4) == 0)
        tag = TD_DER_GENERALIZED_TIME;
    if (after) {
        m->c.not_after = t;
        m->c.not_after_tag = tag;
    } else {
        m->c.not_before = t;
        m->c.not_before_tag = tag;
    }
    return td_xm_done(m);
}

int td_xm_validity_tag(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    int after = (int)td_xm_rnd(2);
    int64_t t;
    uint8_t *tag;

    if (!m)
        return 0;
    t = after ? m->c.not_after : m->c.not_before;
    tag = after ? &m->c.not_after_tag : &m->c.not_before_tag;
    if (*tag == TD_DER_GENERALIZED_TIME) {
        if (!utc_ok(t))
            return 0; /* UTCTime cannot hold it */
        *tag = TD_DER_UTC_TIME;
    } else {
        *tag = TD_DER_GENERALIZED_TIME;
    }
    return td_xm_done(m);
}

/* ---- names -------------------------------------------------------------------- */

static const char *const cn_values[] = {
    "server.tlsdiff.test", "*.tlsdiff.test",  "tlsdiff.test",       "127.0.0.1",
    "::1",                 "SERVER.TLSDIFF.TEST", "other.example",  "server.tlsdiff.test.",
    "*",                   "s*.tlsdiff.test", "tlsdiff Test Intermediate CA",
    "tlsdiff Test Root CA", "tlsdiff Test Client CA", "",
};

static int printable(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr(" '()+,-./:=?", *s)))
            return 0;
    return 1;
}

/* name with its (last) commonName replaced by cn, or cn appended. */
static int name_with_cn(const td_x509_name *name, const char *cn, td_span *out)
{
    static const uint8_t oid_cn[] = {0x55, 0x04, 0x03};
    td_x509_attr attrs[TD_X509_MAX_NAME_ATTRS];
    size_t n = name->n_attrs, i, at = n;
    td_wr w;

    memcpy(attrs, name->attrs, n * sizeof attrs[0]);
    for (i = 0; i < n; i++)
        if (td_xm_span_eq(attrs[i].oid, (td_span){oid_cn, sizeof oid_cn}))
            at = i;
    if (at == n) {
        if (n >= TD_X509_MAX_NAME_ATTRS)
            return 0;
        attrs[n++].oid = (td_span){oid_cn, sizeof oid_cn};
    }
    attrs[at].value = (td_span){(const uint8_t *)cn, strlen(cn)};
    attrs[at].tag = printable(cn) && td_xm_rnd(4) != 0 ? TD_DER_PRINTABLE_STRING
                                                       : TD_DER_UTF8_STRING;
    td_xm_begin(&w);
    return td_x509_encode_name(&w, attrs, n) == TD_OK && td_xm_commit(&w, out) == TD_OK;
}

/* Keep the link: a new subject for one certificate and the same new
 * issuer for every certificate it issued. */
int td_xm_name_link(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 1, 1);
    td_span old, name;
    size_t i;

    if (!m || !name_with_cn(&m->c.subject, cn_values[td_xm_rnd(COUNT(cn_values))], &name))
        return 0;
    old = m->c.subject.whole;
    for (i = 0; i < st->n; i++) {
        td_xm_cert *o = &st->certs[i];

        if (o->editable && td_xm_span_eq(o->c.issuer.whole, old)) {
            o->c.issuer.whole = name;
            o->issuer_touched = 1;
            if (o != m && !td_xm_done(o))
                return 0;
        }
    }
    m->c.subject.whole = name;
    return td_xm_done(m);
}

/* Break it: a new subject or issuer for one certificate only (1 in 8
 * the empty Name). */
int td_xm_name_break(td_xm_state *st)
{
    static const uint8_t empty_name[] = {0x30, 0x00};
    td_xm_cert *m = td_xm_pick(st, 1, 0);
    int issuer = (int)td_xm_rnd(2);
    td_span name;

    if (!m)
        return 0;
    if (td_xm_rnd(8) == 0)
        name = SPAN(empty_name);
    else if (!name_with_cn(issuer ? &m->c.issuer : &m->c.subject,
                           cn_values[td_xm_rnd(COUNT(cn_values))], &name))
        return 0;
    if (issuer) {
        m->c.issuer.whole = name;
        m->issuer_touched = 1;
    } else {
        m->c.subject.whole = name;
    }
    return td_xm_done(m);
}

/* Another certificate's subject (chain or pool) as the issuer. */
int td_xm_name_issuer(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    size_t which = td_xm_rnd((uint32_t)(st->n + td_xm_n_pool()));
    td_span name;

    if (!m)
        return 0;
    if (which < st->n) {
        if (!st->certs[which].editable)
            return 0;
        name = st->certs[which].c.subject.whole;
    } else {
        name = td_xm_pool_at(which - st->n)->subject.whole;
    }
    if (td_xm_span_eq(name, m->c.issuer.whole))
        return 0;
    m->c.issuer.whole = name;
    m->issuer_touched = 1;
    return td_xm_done(m);
}

/* ---- the key and the signature algorithm ---------------------------------------- */

int td_xm_key_swap(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    const td_xm_key *k;

    if (!m || td_xm_n_keys() == 0)
        return 0;
    k = td_xm_key_at(td_xm_rnd((uint32_t)td_xm_n_keys()));
    if (k->n_spki == 0 || td_xm_span_eq(k->spki[0], m->c.spki))
        return 0;
    m->c.spki = k->spki[td_xm_rnd((uint32_t)k->n_spki)];
    m->spki_changed = 1;
    return td_xm_done(m);
}

static const uint8_t alg_rsa256[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                     0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
static const uint8_t alg_rsa384[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                     0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05, 0x00};
static const uint8_t alg_rsa512[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                     0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05, 0x00};
static const uint8_t alg_rsa256_absent[] = {0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48,
                                            0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
static const uint8_t alg_sha1rsa[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                      0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00};
/* id-RSASSA-PSS, SHA-2 with MGF1 of the same hash and its length of salt */
#define PSS_ALG(h, salt)                                                                  \
    {0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30,  \
     0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,  \
     0x02, (h),  0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,  \
     0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,  \
     0x03, 0x04, 0x02, (h),  0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, (salt)}
static const uint8_t alg_pss256[] = PSS_ALG(0x01, 0x20), alg_pss384[] = PSS_ALG(0x02, 0x30),
                     alg_pss512[] = PSS_ALG(0x03, 0x40);
/* the same without saltLength: the DEFAULT 20 */
static const uint8_t alg_pss256_salt20[] = {
    0x30, 0x3c, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
    0x30, 0x2f, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
    0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a,
    0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60,
    0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00};
static const uint8_t alg_pss_noparams[] = {0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48,
                                           0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t alg_ec256[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
static const uint8_t alg_ec384[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
static const uint8_t alg_ec512[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};
static const uint8_t alg_ec256_null[] = {0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                         0xce, 0x3d, 0x04, 0x03, 0x02, 0x05, 0x00};
static const uint8_t alg_ecsha1[] = {0x30, 0x09, 0x06, 0x07, 0x2a, 0x86,
                                     0x48, 0xce, 0x3d, 0x04, 0x01};
static const uint8_t alg_ed25519[] = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70};
static const uint8_t alg_ed25519_null[] = {0x30, 0x07, 0x06, 0x03, 0x2b,
                                           0x65, 0x70, 0x05, 0x00};
static const uint8_t alg_ed448[] = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71};

/* The algorithms, with the scheme td_sig_sign makes them with (0: none
 * it can: kept with the old signature). */
static const struct {
    td_span alg;
    uint16_t scheme;
} algs[] = {
    {SPAN(alg_rsa256), 0x0401},       {SPAN(alg_rsa384), 0x0501},
    {SPAN(alg_rsa512), 0x0601},       {SPAN(alg_rsa256_absent), 0x0401},
    {SPAN(alg_sha1rsa), 0},           {SPAN(alg_pss256), 0x0804},
    {SPAN(alg_pss384), 0x0805},       {SPAN(alg_pss512), 0x0806},
    {SPAN(alg_pss256_salt20), 0},     {SPAN(alg_pss_noparams), 0},
    {SPAN(alg_ec256), 0x0403},        {SPAN(alg_ec384), 0x0503},
    {SPAN(alg_ec512), 0x0603},        {SPAN(alg_ec256_null), 0x0403},
    {SPAN(alg_ecsha1), 0},            {SPAN(alg_ed25519), 0x0807},
    {SPAN(alg_ed25519_null), 0x0807}, {SPAN(alg_ed448), 0},
};

void td_xm_default_alg(const td_xm_key *k, td_span *alg, uint16_t *scheme)
{
    /* an id-RSASSA-PSS key signs PSS only (RFC 4055 1.2) */
    static const uint8_t oid_pss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
    int pss = 0;
    size_t i;

    /* the algorithm's OID sits in the SPKI's first 16 octets */
    for (i = 0; k->n_spki > 0 && i + sizeof oid_pss <= k->spki[0].len && i < 16; i++)
        pss |= memcmp(k->spki[0].p + i, oid_pss, sizeof oid_pss) == 0;

    switch (k->key.type) {
    case TD_KEY_EC_P256:
        *alg = SPAN(alg_ec256), *scheme = 0x0403;
        break;
    case TD_KEY_EC_P384:
        *alg = SPAN(alg_ec384), *scheme = 0x0503;
        break;
    case TD_KEY_ED25519:
        *alg = SPAN(alg_ed25519), *scheme = 0x0807;
        break;
    default:
        *alg = pss ? SPAN(alg_pss256) : SPAN(alg_rsa256);
        *scheme = pss ? 0x0804 : 0x0401;
        break;
    }
}

/* Another algorithm, re-signed with the issuer's key: one that fits it. */
int td_xm_sig_oid(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    size_t fit[COUNT(algs)], n = 0, i, k;
    int signer;

    if (!m)
        return 0;
    signer = td_xm_signer_now(st, (size_t)(m - st->certs));
    if (signer < 0)
        return 0;
    for (i = 0; i < COUNT(algs); i++)
        if (algs[i].scheme &&
            td_sig_fits_key(algs[i].scheme, TD_SIG_CURVE_FREE, &td_xm_key_at((size_t)signer)->key) &&
            !td_xm_span_eq(algs[i].alg, m->c.sig_alg.whole))
            fit[n++] = i;
    if (n == 0)
        return 0;
    k = fit[td_xm_rnd((uint32_t)n)];
    m->c.tbs_sig.whole = m->c.sig_alg.whole = algs[k].alg;
    m->scheme = algs[k].scheme;
    return td_xm_done(m);
}

/* Another algorithm in both places, the old signature kept. */
int td_xm_sig_oid_nosign(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    size_t k = td_xm_rnd(COUNT(algs));

    if (!m || td_xm_span_eq(algs[k].alg, m->c.sig_alg.whole))
        return 0;
    m->c.tbs_sig.whole = m->c.sig_alg.whole = algs[k].alg;
    m->no_resign = 1;
    return td_xm_done(m);
}

/* signatureAlgorithm alone changed (RFC 5280 4.1.1.2 mismatch); the TBS
 * and its signature stay. */
int td_xm_sig_oid_mismatch(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    size_t k = td_xm_rnd(COUNT(algs));

    if (!m || td_xm_span_eq(algs[k].alg, m->c.sig_alg.whole))
        return 0;
    m->c.sig_alg.whole = algs[k].alg;
    m->no_resign = 1;
    return td_xm_done(m);
}
