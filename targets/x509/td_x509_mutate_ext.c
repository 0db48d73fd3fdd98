/*
 * The edits of one certificate's extensions (td_x509_mutate_impl.h):
 * add (a copy from another certificate, or one of a table of extensions
 * wolfSSL or nobody knows), drop, duplicate, toggle criticality; and the
 * values of subjectAltName (dNSName with wildcard forms, iPAddress v4 and
 * v6, a URI or e-mail), basicConstraints (cA, pathLenConstraint),
 * keyUsage, extKeyUsage and nameConstraints (permitted / excluded
 * dNSName, iPAddress, directoryName), each rebuilt with the
 * td_x509_encode_* helpers.
 */
#include "td_x509_mutate_impl.h"

#include <string.h>

#define SPAN(a) ((td_span){(const uint8_t *)(a), sizeof(a)})
#define TEXT(s) ((td_span){(const uint8_t *)(s), sizeof(s) - 1})
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Other extensions (OID contents, value), known to wolfSSL or to nobody. */
static const uint8_t oid_private[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xb2, 0x03, 0x01, 0x01};
static const uint8_t oid_crldp[] = {0x55, 0x1d, 0x1f}, oid_inhibit[] = {0x55, 0x1d, 0x36},
                     oid_polcons[] = {0x55, 0x1d, 0x24}, oid_polmap[] = {0x55, 0x1d, 0x21},
                     oid_ian[] = {0x55, 0x1d, 0x12};
static const uint8_t oid_aia[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01};
static const uint8_t oid_tlsfeature[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18};
static const uint8_t oid_nscert[] = {0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x01};
static const uint8_t val_null[] = {0x05, 0x00};
static const uint8_t val_crldp[] = {0x30, 0x26, 0x30, 0x24, 0xa0, 0x22, 0xa0, 0x20, 0x86, 0x1e,
                                    'h',  't',  't',  'p',  ':',  '/',  '/',  'c',  'r',  'l',
                                    '.',  't',  'l',  's',  'd',  'i',  'f',  'f',  '.',  't',
                                    'e',  's',  't',  '/',  'c',  'a',  '.',  'c',  'r',  'l'};
static const uint8_t val_aia[] = {0x30, 0x26, 0x30, 0x24, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05,
                                  0x05, 0x07, 0x30, 0x01, 0x86, 0x18, 'h',  't',  't',  'p',
                                  ':',  '/',  '/',  'o',  'c',  's',  'p',  '.',  't',  'l',
                                  's',  'd',  'i',  'f',  'f',  '.',  't',  'e',  's',  't'};
static const uint8_t val_any_policy[] = {0x30, 0x08, 0x30, 0x06, 0x06, 0x04, 0x55, 0x1d, 0x20, 0x00};
static const uint8_t val_int0[] = {0x02, 0x01, 0x00};
static const uint8_t val_polcons[] = {0x30, 0x03, 0x80, 0x01, 0x00};
static const uint8_t val_polmap[] = {0x30, 0x1a, 0x30, 0x18, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
                                     0x01, 0x83, 0xb2, 0x03, 0x02, 0x01, 0x06, 0x0a, 0x2b, 0x06,
                                     0x01, 0x04, 0x01, 0x83, 0xb2, 0x03, 0x02, 0x02};
static const uint8_t val_ian[] = {0x30, 0x0e, 0x82, 0x0c, 't', 'l', 's', 'd',
                                  'i',  'f',  'f',  '.',  't', 'e', 's', 't'};
static const uint8_t val_tlsfeature[] = {0x30, 0x03, 0x02, 0x01, 0x05};
static const uint8_t val_nscert[] = {0x03, 0x02, 0x06, 0x40};
static const uint8_t val_ski[] = {0x04, 0x14, 1, 2,  3,  4,  5,  6,  7,  8,  9,  10,
                                  11,   12,   13, 14, 15, 16, 17, 18, 19, 20};
static const uint8_t val_aki[] = {0x30, 0x16, 0x80, 0x14, 1,  2,  3,  4,  5,  6,  7,  8,
                                  9,    10,   11,   12,   13, 14, 15, 16, 17, 18, 19, 20};

static const struct {
    td_span oid, value;
} other_exts[] = {
    {SPAN(oid_private), SPAN(val_null)},
    {SPAN(oid_crldp), SPAN(val_crldp)},
    {SPAN(oid_aia), SPAN(val_aia)},
    {SPAN(oid_inhibit), SPAN(val_int0)},
    {SPAN(oid_polcons), SPAN(val_polcons)},
    {SPAN(oid_polmap), SPAN(val_polmap)},
    {SPAN(oid_ian), SPAN(val_ian)},
    {SPAN(oid_tlsfeature), SPAN(val_tlsfeature)},
    {SPAN(oid_nscert), SPAN(val_nscert)},
};

/* An extension from another certificate of the chain or the pool that
 * m lacks; 0 when none was found. */
static int ext_copy_from_other(td_xm_state *st, td_xm_cert *m, td_x509_ext *out)
{
    size_t tries;

    for (tries = 0; tries < 8; tries++) {
        const td_x509_cert *src;
        size_t which = td_xm_rnd((uint32_t)(st->n + td_xm_n_pool()));

        if (which < st->n) {
            if (!st->certs[which].editable)
                continue;
            src = &st->certs[which].c;
        } else {
            src = td_xm_pool_at(which - st->n);
        }
        if (src->n_exts == 0)
            continue;
        *out = src->exts[td_xm_rnd((uint32_t)src->n_exts)];
        if (td_xm_ext_find(&m->c, out->oid) < 0)
            return 1;
    }
    return 0;
}

int td_xm_ext_add(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    td_x509_ext e;

    if (!m)
        return 0;
    memset(&e, 0, sizeof e);
    switch (td_xm_rnd(4)) {
    case 0:
        if (!ext_copy_from_other(st, m, &e))
            return 0;
        break;
    case 1:
        e.oid = td_x509_oid_certificate_policies;
        e.value = SPAN(val_any_policy);
        if (td_xm_rnd(2)) {
            e.oid = td_xm_rnd(2) ? td_x509_oid_subject_key_id : td_x509_oid_authority_key_id;
            e.value = td_xm_span_eq(e.oid, td_x509_oid_subject_key_id) ? SPAN(val_ski) : SPAN(val_aki);
        }
        break;
    default: {
        size_t k = td_xm_rnd(COUNT(other_exts));

        e.oid = other_exts[k].oid;
        e.value = other_exts[k].value;
        break;
    }
    }
    e.critical = e.critical_field = td_xm_rnd(2);
    if (td_xm_ext_find(&m->c, e.oid) >= 0 || !td_xm_ext_append(&m->c, e))
        return 0;
    return td_xm_done(m);
}

int td_xm_ext_drop(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);

    if (!m || m->c.n_exts == 0)
        return 0;
    td_xm_ext_remove(&m->c, td_xm_rnd((uint32_t)m->c.n_exts));
    return td_xm_done(m);
}

int td_xm_ext_dup(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    size_t at, from;

    if (!m || m->c.n_exts == 0 || m->c.n_exts >= TD_X509_MAX_EXTS)
        return 0;
    from = td_xm_rnd((uint32_t)m->c.n_exts);
    at = td_xm_rnd((uint32_t)m->c.n_exts + 1);
    memmove(&m->c.exts[at + 1], &m->c.exts[at], (m->c.n_exts - at) * sizeof m->c.exts[0]);
    m->c.exts[at] = m->c.exts[from < at ? from : from + 1];
    m->c.n_exts++;
    return td_xm_done(m);
}

int td_xm_ext_crit(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 0, 0);
    td_x509_ext *e;

    if (!m || m->c.n_exts == 0)
        return 0;
    e = &m->c.exts[td_xm_rnd((uint32_t)m->c.n_exts)];
    /* DER: FALSE is the DEFAULT and is left out (X.690 11.5) */
    e->critical = !e->critical;
    e->critical_field = e->critical;
    return td_xm_done(m);
}

/* ---- subjectAltName ------------------------------------------------------------- */

static const char *const dns_values[] = {
    "server.tlsdiff.test", "*.tlsdiff.test", "s*.tlsdiff.test", "*server.tlsdiff.test",
    "server.*.test",       "*",              "*.test",          "tlsdiff.test",
    "SERVER.TLSDIFF.TEST", "server.tlsdiff.test.", "*.*.tlsdiff.test", "127.0.0.1",
    "::1",                 "other.example",  "xn--srver-1ra.tlsdiff.test", "localhost",
};
static const uint8_t ip4_loop[] = {127, 0, 0, 1}, ip4_loop2[] = {127, 0, 0, 2},
                     ip4_zero[] = {0, 0, 0, 0}, ip6_loop[16] = {[15] = 1},
                     ip6_mapped[16] = {[10] = 0xff, [11] = 0xff, [12] = 127, [15] = 1};
static const char uri_value[] = "https://server.tlsdiff.test/", email_value[] = "admin@tlsdiff.test";

static td_x509_gname some_san(void)
{
    static const struct {
        const uint8_t *p;
        size_t len;
    } ips[] = {{ip4_loop, 4}, {ip4_loop2, 4}, {ip4_zero, 4}, {ip6_loop, 16}, {ip6_mapped, 16}};
    td_x509_gname g;
    uint32_t r = td_xm_rnd(16);

    if (r < 10) {
        const char *s = dns_values[td_xm_rnd(COUNT(dns_values))];

        g.type = TD_X509_GN_DNS;
        g.value = (td_span){(const uint8_t *)s, strlen(s)};
    } else if (r < 14) {
        size_t k = td_xm_rnd(COUNT(ips));

        g.type = TD_X509_GN_IP;
        g.value = (td_span){ips[k].p, ips[k].len};
    } else if (r == 14) {
        g.type = TD_X509_GN_URI;
        g.value = TEXT(uri_value);
    } else {
        g.type = TD_X509_GN_EMAIL;
        g.value = TEXT(email_value);
    }
    return g;
}

/* The SAN extension of m set to names[0..n) (dropped when n is 0). */
static int san_write(td_xm_cert *m, const td_x509_gname *names, size_t n)
{
    td_wr w;
    td_span v;
    int at = td_xm_ext_find(&m->c, td_x509_oid_subject_alt_name);

    if (n == 0) {
        if (at >= 0)
            td_xm_ext_remove(&m->c, (size_t)at);
        return td_xm_done(m);
    }
    td_xm_begin(&w);
    if (td_x509_encode_general_names(&w, names, n) != TD_OK || td_xm_commit(&w, &v) != TD_OK)
        return 0;
    /* RFC 5280 4.2.1.6: critical when the subject is empty */
    return td_xm_ext_set(&m->c, td_x509_oid_subject_alt_name, m->c.subject.whole.len <= 2, v) &&
           td_xm_done(m);
}

int td_xm_san_add(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 1, 0);
    td_x509_gname names[TD_X509_MAX_SAN];
    size_t n, at;

    if (!m || m->c.n_san >= TD_X509_MAX_SAN)
        return 0;
    n = m->c.has_san ? m->c.n_san : 0;
    memcpy(names, m->c.san, n * sizeof names[0]);
    at = td_xm_rnd((uint32_t)n + 1);
    memmove(&names[at + 1], &names[at], (n - at) * sizeof names[0]);
    names[at] = some_san();
    return san_write(m, names, n + 1);
}

int td_xm_san_drop(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 1, 0);
    td_x509_gname names[TD_X509_MAX_SAN];
    size_t n, at;

    if (!m || !m->c.has_san || m->c.n_san == 0)
        return 0;
    n = m->c.n_san;
    memcpy(names, m->c.san, n * sizeof names[0]);
    at = td_xm_rnd((uint32_t)n);
    memmove(&names[at], &names[at + 1], (n - at - 1) * sizeof names[0]);
    return san_write(m, names, n - 1);
}

int td_xm_san_replace(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 1, 0);
    td_x509_gname names[TD_X509_MAX_SAN];
    size_t n;

    if (!m)
        return 0;
    if (!m->c.has_san || m->c.n_san == 0) {
        names[0] = some_san();
        return san_write(m, names, 1);
    }
    n = m->c.n_san;
    memcpy(names, m->c.san, n * sizeof names[0]);
    names[td_xm_rnd((uint32_t)n)] = some_san();
    return san_write(m, names, n);
}

/* ---- basicConstraints, keyUsage, extKeyUsage ------------------------------------ */

static int bc_write(td_xm_cert *m, int ca, int has_len, uint64_t len)
{
    td_wr w;
    td_span v;

    td_xm_begin(&w);
    if (td_x509_encode_basic_constraints(&w, ca, has_len, len) != TD_OK ||
        td_xm_commit(&w, &v) != TD_OK)
        return 0;
    return td_xm_ext_set(&m->c, td_x509_oid_basic_constraints, td_xm_rnd(4) != 0, v) && td_xm_done(m);
}

int td_xm_bc_pathlen(td_xm_state *st)
{
    static const uint64_t lens[] = {0, 1, 2, 3, 5, 8, 127, 128, 255, 256, 65535,
                                    UINT64_C(2147483647), UINT64_C(4294967296)};
    td_xm_cert *m = td_xm_pick(st, 1, 1);

    if (!m)
        return 0;
    if (m->c.has_basic_constraints && m->c.has_path_len && td_xm_rnd(3) == 0)
        return bc_write(m, m->c.ca, 0, 0);
    return bc_write(m, m->c.has_basic_constraints ? m->c.ca : 1, 1,
                    lens[td_xm_rnd(COUNT(lens))]);
}

int td_xm_bc_ca(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 1, 0);
    int ca;

    if (!m)
        return 0;
    ca = !(m->c.has_basic_constraints && m->c.ca);
    return bc_write(m, ca, m->c.has_path_len && td_xm_rnd(2), m->c.path_len);
}

static int ku_write(td_xm_cert *m, unsigned ku)
{
    td_wr w;
    td_span v;
    int at = td_xm_ext_find(&m->c, td_x509_oid_key_usage);

    if (ku == 0) {
        if (at >= 0)
            td_xm_ext_remove(&m->c, (size_t)at);
        return td_xm_done(m);
    }
    td_xm_begin(&w);
    if (td_x509_encode_key_usage(&w, ku) != TD_OK || td_xm_commit(&w, &v) != TD_OK)
        return 0;
    return td_xm_ext_set(&m->c, td_x509_oid_key_usage, td_xm_rnd(4) != 0, v) && td_xm_done(m);
}

int td_xm_ku_bits(td_xm_state *st)
{
    static const unsigned sets[] = {
        TD_X509_KU_DIGITAL_SIGNATURE,
        TD_X509_KU_DIGITAL_SIGNATURE | TD_X509_KU_KEY_ENCIPHERMENT,
        TD_X509_KU_KEY_ENCIPHERMENT,
        TD_X509_KU_KEY_AGREEMENT,
        TD_X509_KU_KEY_CERT_SIGN,
        TD_X509_KU_KEY_CERT_SIGN | TD_X509_KU_CRL_SIGN,
        TD_X509_KU_CRL_SIGN,
        TD_X509_KU_DIGITAL_SIGNATURE | TD_X509_KU_KEY_CERT_SIGN,
        TD_X509_KU_KEY_AGREEMENT | TD_X509_KU_DECIPHER_ONLY,
    };
    td_xm_cert *m = td_xm_pick(st, 1, 0);

    if (!m)
        return 0;
    if (m->c.has_key_usage && td_xm_rnd(4) != 0)
        return ku_write(m, m->c.key_usage ^ (1u << td_xm_rnd(9)));
    return ku_write(m, sets[td_xm_rnd(COUNT(sets))]);
}

static const uint8_t oid_kp_code[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03},
                     oid_kp_email[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04},
                     oid_kp_time[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08},
                     oid_kp_ocsp[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09};

int td_xm_eku(td_xm_state *st)
{
    const td_span purposes[] = {td_x509_oid_server_auth, td_x509_oid_client_auth,
                                td_x509_oid_any_eku,     SPAN(oid_kp_code),
                                SPAN(oid_kp_email),      SPAN(oid_kp_time),
                                SPAN(oid_kp_ocsp)};
    td_xm_cert *m = td_xm_pick(st, 1, 0);
    td_span list[TD_X509_MAX_EKU], v, p;
    size_t n = 0, i;
    int found = -1, at;
    td_wr w;

    if (!m)
        return 0;
    if (m->c.has_eku) {
        n = m->c.n_eku;
        memcpy(list, m->c.eku, n * sizeof list[0]);
    }
    p = purposes[td_xm_rnd(COUNT(purposes))];
    for (i = 0; i < n; i++)
        if (td_xm_span_eq(list[i], p))
            found = (int)i;
    if (found >= 0) {
        memmove(&list[found], &list[found + 1], (n - (size_t)found - 1) * sizeof list[0]);
        n--;
    } else if (n < TD_X509_MAX_EKU) {
        list[n++] = p;
    }
    at = td_xm_ext_find(&m->c, td_x509_oid_ext_key_usage);
    if (n == 0) {
        if (at < 0)
            return 0;
        td_xm_ext_remove(&m->c, (size_t)at);
        return td_xm_done(m);
    }
    td_xm_begin(&w);
    if (td_x509_encode_eku(&w, list, n) != TD_OK || td_xm_commit(&w, &v) != TD_OK)
        return 0;
    return td_xm_ext_set(&m->c, td_x509_oid_ext_key_usage, td_xm_rnd(8) == 0, v) && td_xm_done(m);
}

/* ---- nameConstraints ------------------------------------------------------------- */

static const char *const nc_dns[] = {"tlsdiff.test", "server.tlsdiff.test", ".tlsdiff.test",
                                     "example.net",  "test",                "TLSDIFF.TEST",
                                     "localhost",    "eviltlsdiff.test"};
/* address and mask */
static const uint8_t nc_ip4_127[] = {127, 0, 0, 0, 255, 0, 0, 0},
                     nc_ip4_host[] = {127, 0, 0, 1, 255, 255, 255, 255},
                     nc_ip4_10[] = {10, 0, 0, 0, 255, 0, 0, 0}, nc_ip4_all[8] = {0},
                     nc_ip6_loop[32] = {[15] = 1, [16] = 0xff, [17] = 0xff, [18] = 0xff,
                                        [19] = 0xff, [20] = 0xff, [21] = 0xff, [22] = 0xff,
                                        [23] = 0xff, [24] = 0xff, [25] = 0xff, [26] = 0xff,
                                        [27] = 0xff, [28] = 0xff, [29] = 0xff, [30] = 0xff,
                                        [31] = 0xff};
/* directoryName O=tlsdiff */
static const uint8_t nc_dir_o[] = {0x30, 0x12, 0x31, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04,
                                   0x0a, 0x13, 0x07, 't',  'l',  's',  'd',  'i',  'f',  'f'};

static td_x509_gname some_subtree(void)
{
    static const struct {
        const uint8_t *p;
        size_t len;
    } ips[] = {{nc_ip4_127, 8}, {nc_ip4_host, 8}, {nc_ip4_10, 8}, {nc_ip4_all, 8},
               {nc_ip6_loop, 32}};
    td_x509_gname g;
    uint32_t r = td_xm_rnd(8);

    if (r < 5) {
        const char *s = nc_dns[td_xm_rnd(COUNT(nc_dns))];

        g.type = TD_X509_GN_DNS;
        g.value = (td_span){(const uint8_t *)s, strlen(s)};
    } else if (r < 7) {
        size_t k = td_xm_rnd(COUNT(ips));

        g.type = TD_X509_GN_IP;
        g.value = (td_span){ips[k].p, ips[k].len};
    } else {
        g.type = TD_X509_GN_DIR;
        g.value = SPAN(nc_dir_o);
    }
    return g;
}

int td_xm_nc_add(td_xm_state *st)
{
    td_xm_cert *m = td_xm_pick(st, 1, 1);
    td_x509_gname perm[TD_X509_MAX_SUBTREES], excl[TD_X509_MAX_SUBTREES];
    size_t np = 0, ne = 0;
    td_wr w;
    td_span v;

    if (!m)
        return 0;
    /* add to the lists there are (3 in 4) or start afresh */
    if (m->c.has_name_constraints && td_xm_rnd(4) != 0) {
        np = m->c.n_permitted;
        ne = m->c.n_excluded;
        memcpy(perm, m->c.permitted, np * sizeof perm[0]);
        memcpy(excl, m->c.excluded, ne * sizeof excl[0]);
    }
    if (td_xm_rnd(2)) {
        if (np >= TD_X509_MAX_SUBTREES)
            return 0;
        perm[np++] = some_subtree();
    } else {
        if (ne >= TD_X509_MAX_SUBTREES)
            return 0;
        excl[ne++] = some_subtree();
    }
    td_xm_begin(&w);
    if (td_x509_encode_name_constraints(&w, perm, np, excl, ne) != TD_OK ||
        td_xm_commit(&w, &v) != TD_OK)
        return 0;
    return td_xm_ext_set(&m->c, td_x509_oid_name_constraints, td_xm_rnd(8) != 0, v) && td_xm_done(m);
}
