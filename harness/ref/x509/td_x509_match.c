/*
 * Name matching in path validation: the server name (RFC 6125 6) and name
 * constraints (RFC 5280 4.2.1.10, 6.1.3 (b), (c)). td_x509_check.h has
 * the rules; the choices the RFCs leave open are these:
 *   - a trailing dot: the host may carry one (the absolute form of the
 *     same name, RFC 1034 3.1); a presented dNSName with one is not in
 *     the preferred name syntax (RFC 5280 4.2.1.6) and matches nothing;
 *   - CN fallback: the subject's last commonName is a DNS identifier only
 *     when the certificate has no subjectAltName at all (RFC 6125 6.4.4:
 *     "only if the presented identifiers do not include a DNS-ID");
 *   - wildcards: only "*" as the whole left-most label, one label, at
 *     least two labels after it (RFC 6125 6.4.3 leaves partial wildcards
 *     to the client: refused here); no public-suffix list, so
 *     "*.co.uk" passes the two-label rule;
 *   - dNSName constraints (4.2.1.10: "any DNS name that can be constructed
 *     by simply adding zero or more labels to the left-hand side"); a
 *     leading dot ("." + domain) admits subdomains only (RFC 5280 4.2.1.10
 *     describes this form for URIs and mail; the common reading for DNS);
 *   - without any SAN, the CN of a non-CA certificate is checked as a
 *     dNSName against DNS constraints (the rule, as browsers do).
 */
#include "td_x509_check.h"

#include <string.h>

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

/* ASCII case-insensitive equality of a[0..an) and b[0..bn). */
static int ieq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    size_t i;

    if (an != bn)
        return 0;
    for (i = 0; i < an; i++)
        if (lower(a[i]) != lower(b[i]))
            return 0;
    return 1;
}

/* A single trailing dot is the absolute form of the same name. */
static size_t trim_dot(const uint8_t *p, size_t n)
{
    return n > 0 && p[n - 1] == '.' ? n - 1 : n;
}

/* Only printable ASCII other than space belongs in a DNS identifier; a NUL
 * or a control octet in a certificate never matches (the classic
 * "www.bank.com\0.evil.com"). */
static int dns_chars_ok(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] <= 0x20 || p[i] >= 0x7f)
            return 0;
    return 1;
}

int td_x509_dns_match(td_span presented, const char *host)
{
    const uint8_t *p = presented.p, *h = (const uint8_t *)host;
    size_t pn, hn;
    const uint8_t *dot;

    if (!host || !p)
        return 0;
    /* the host may be absolute ("name."); a dNSName may not (RFC 5280
     * 4.2.1.6: "preferred name syntax", no trailing dot) */
    pn = presented.len;
    hn = trim_dot(h, strlen(host));
    if (pn == 0 || hn == 0 || !dns_chars_ok(p, pn) || !dns_chars_ok(h, hn) ||
        memchr(h, '*', hn))
        return 0;
    if (pn >= 2 && p[0] == '*' && p[1] == '.') {
        const uint8_t *rest = p + 2;
        size_t rn = pn - 2;

        /* RFC 6125 6.4.3: the wildcard is the left-most label and the
         * only one; at least two labels follow it */
        if (rn == 0 || memchr(rest, '*', rn) || !memchr(rest, '.', rn) || rest[0] == '.')
            return 0;
        dot = memchr(h, '.', hn);
        if (!dot || dot == h) /* the wildcard stands for one whole label */
            return 0;
        return ieq(dot + 1, hn - (size_t)(dot + 1 - h), rest, rn);
    }
    if (memchr(p, '*', pn)) /* partial or inner wildcards never match */
        return 0;
    return ieq(p, pn, h, hn);
}

/* ---- IP literals -------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Dotted quad, four decimal octets without leading zeros. */
static int parse_v4(const char *s, uint8_t ip[4])
{
    int part;

    for (part = 0; part < 4; part++) {
        unsigned v = 0, digits = 0;

        while (*s >= '0' && *s <= '9') {
            if (digits == 1 && v == 0)
                return 0; /* "01" */
            v = v * 10 + (unsigned)(*s++ - '0');
            if (++digits > 3 || v > 255)
                return 0;
        }
        if (digits == 0)
            return 0;
        ip[part] = (uint8_t)v;
        if (part < 3 && *s++ != '.')
            return 0;
    }
    return *s == '\0';
}

/* RFC 4291 2.2 forms 1 and 2 (hex groups, one "::"); the embedded IPv4
 * form 3 is not taken. */
static int parse_v6(const char *s, uint8_t ip[16])
{
    uint16_t groups[8];
    int n = 0, gap = -1, i;

    if (s[0] == ':') {
        if (s[1] != ':')
            return 0;
        gap = 0;
        s += 2;
    }
    while (*s) {
        unsigned v = 0, digits = 0;
        int d;

        if (n == 8)
            return 0;
        while ((d = hexval((unsigned char)*s)) >= 0) {
            v = v * 16 + (unsigned)d;
            if (++digits > 4)
                return 0;
            s++;
        }
        if (digits == 0)
            return 0;
        groups[n++] = (uint16_t)v;
        if (*s == '\0')
            break;
        if (*s++ != ':')
            return 0;
        if (*s == ':') {
            if (gap >= 0)
                return 0; /* one "::" at most */
            gap = n;
            s++;
        } else if (*s == '\0') {
            return 0; /* a trailing single colon */
        }
    }
    if ((gap < 0 && n != 8) || (gap >= 0 && n > 7))
        return 0;
    memset(ip, 0, 16);
    for (i = 0; i < n; i++) {
        int at = gap >= 0 && i >= gap ? i + (8 - n) : i;
        ip[2 * at] = (uint8_t)(groups[i] >> 8);
        ip[2 * at + 1] = (uint8_t)groups[i];
    }
    return 1;
}

int td_x509_ip_parse(const char *host, uint8_t ip[16], size_t *len)
{
    if (!host)
        return 0;
    if (parse_v4(host, ip)) {
        *len = 4;
        return 1;
    }
    if (strchr(host, ':') && parse_v6(host, ip)) {
        *len = 16;
        return 1;
    }
    return 0;
}

/* ---- the server name ---------------------------------------------------- */

td_x509_reason td_x509_check_host(const td_x509_cert *leaf, const char *host)
{
    uint8_t ip[16];
    size_t ip_len, i;

    if (td_x509_ip_parse(host, ip, &ip_len)) {
        /* RFC 6125 1.7.2 / RFC 5280 4.2.1.6: an IP address is an
         * iPAddress SAN, never a DNS name or the CN */
        for (i = 0; i < leaf->n_san; i++)
            if (leaf->san[i].type == TD_X509_GN_IP && leaf->san[i].value.len == ip_len &&
                memcmp(leaf->san[i].value.p, ip, ip_len) == 0)
                return TD_X509_OK;
        return TD_X509_NAME_MISMATCH;
    }
    for (i = 0; i < leaf->n_san; i++)
        if (leaf->san[i].type == TD_X509_GN_DNS && td_x509_dns_match(leaf->san[i].value, host))
            return TD_X509_OK;
    if (!leaf->has_san && td_x509_dns_match(leaf->subject.cn, host))
        return TD_X509_OK;
    return TD_X509_NAME_MISMATCH;
}

/* ---- name constraints --------------------------------------------------- */

/* RFC 5280 4.2.1.10 for dNSName: name is base or ends in "." + base; a
 * base with a leading dot admits only names below it. */
static int dns_within(td_span name, td_span base)
{
    size_t nn = trim_dot(name.p, name.len), bn = trim_dot(base.p, base.len);

    if (bn == 0)
        return 1; /* the empty base: every name */
    if (base.p[0] == '.')
        return nn > bn && ieq(name.p + nn - bn, bn, base.p, bn);
    if (nn == bn)
        return ieq(name.p, nn, base.p, bn);
    return nn > bn && name.p[nn - bn - 1] == '.' && ieq(name.p + nn - bn, bn, base.p, bn);
}

/* RFC 5280 4.2.1.10: an iPAddress constraint is the address then the mask
 * (8 octets for IPv4, 32 for IPv6). */
static int ip_within(td_span ip, td_span base)
{
    size_t i;

    if (base.len != 2 * ip.len)
        return 0;
    for (i = 0; i < ip.len; i++) {
        uint8_t mask = base.p[ip.len + i];
        if ((ip.p[i] & mask) != (base.p[i] & mask))
            return 0;
    }
    return 1;
}

/* RFC 5280 4.2.1.10 / 7.1 for directoryName: name (a Name element) lies
 * within base (a Name element) when base's RDNs are the first RDNs of
 * name, each compared as DER bytes. */
static int dir_within(td_span name, td_span base)
{
    td_rd n, b;
    td_span nbody, bbody;

    td_rd_init_span(&n, name);
    td_rd_init_span(&b, base);
    if (td_der_expect(&n, TD_DER_SEQUENCE, &nbody, NULL) != TD_DER_OK ||
        td_der_expect(&b, TD_DER_SEQUENCE, &bbody, NULL) != TD_DER_OK)
        return 0;
    td_rd_init_span(&n, nbody);
    td_rd_init_span(&b, bbody);
    while (td_rd_left(&b) > 0) {
        td_span nr, br, contents;

        if (td_der_expect(&b, TD_DER_SET, &contents, &br) != TD_DER_OK ||
            td_der_expect(&n, TD_DER_SET, &contents, &nr) != TD_DER_OK || nr.len != br.len ||
            memcmp(nr.p, br.p, br.len) != 0)
            return 0;
    }
    return 1;
}

/* Does sub have a name of this GeneralName form? (For directoryName: a
 * non-empty subject, 6.1.3 (b) applies constraints to it.) */
static int has_form(const td_x509_cert *sub, uint8_t type)
{
    size_t i;

    if (type == TD_X509_GN_DIR && sub->subject.n_attrs > 0)
        return 1;
    for (i = 0; i < sub->n_san; i++)
        if (sub->san[i].type == type)
            return 1;
    return 0;
}

/* The DNS names sub is judged by: its dNSName SANs, or without any SAN
 * the CN of a certificate that is not a CA. */
static size_t dns_names(const td_x509_cert *sub, td_span *out, size_t cap)
{
    size_t i, n = 0;

    for (i = 0; i < sub->n_san && n < cap; i++)
        if (sub->san[i].type == TD_X509_GN_DNS)
            out[n++] = sub->san[i].value;
    if (!sub->has_san && sub->subject.cn.len > 0 && !sub->ca && n < cap)
        out[n++] = sub->subject.cn;
    return n;
}

/* The directory names of sub: its subject when not empty, and its
 * directoryName SANs (6.1.3 (b)). */
static size_t dir_names(const td_x509_cert *sub, td_span *out, size_t cap)
{
    size_t i, n = 0;

    if (sub->subject.n_attrs > 0 && n < cap)
        out[n++] = sub->subject.whole;
    for (i = 0; i < sub->n_san && n < cap; i++)
        if (sub->san[i].type == TD_X509_GN_DIR)
            out[n++] = sub->san[i].value;
    return n;
}

static size_t ip_names(const td_x509_cert *sub, td_span *out, size_t cap)
{
    size_t i, n = 0;

    for (i = 0; i < sub->n_san && n < cap; i++)
        if (sub->san[i].type == TD_X509_GN_IP)
            out[n++] = sub->san[i].value;
    return n;
}

static int within(uint8_t form, td_span name, td_span base)
{
    return form == TD_X509_GN_DNS  ? dns_within(name, base)
           : form == TD_X509_GN_IP ? ip_within(name, base)
                                   : dir_within(name, base);
}

/* Every name within some permitted subtree of its form (when there are
 * any of that form), and none within an excluded one. */
static int names_ok(const td_span *names, size_t n, const td_x509_gname *permitted,
                    size_t n_permitted, const td_x509_gname *excluded, size_t n_excluded,
                    uint8_t form)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        int constrained = 0, inside = 0;

        for (j = 0; j < n_excluded; j++)
            if (excluded[j].type == form && within(form, names[i], excluded[j].value))
                return 0;
        for (j = 0; j < n_permitted; j++) {
            if (permitted[j].type != form)
                continue;
            constrained = 1;
            inside |= within(form, names[i], permitted[j].value);
        }
        if (constrained && !inside)
            return 0;
    }
    return 1;
}

td_x509_reason td_x509_check_name_constraints(const td_x509_cert *ca, const td_x509_cert *sub)
{
    td_span dns[TD_X509_MAX_SAN + 1], ips[TD_X509_MAX_SAN], dirs[TD_X509_MAX_SAN + 1];
    size_t n_dns, n_ips, n_dirs, i;

    if (!ca->has_name_constraints)
        return TD_X509_OK;
    /* 6.1.3: a form we do not evaluate, which sub has: reject */
    for (i = 0; i < ca->n_permitted + ca->n_excluded; i++) {
        const td_x509_gname *g =
            i < ca->n_permitted ? &ca->permitted[i] : &ca->excluded[i - ca->n_permitted];
        if (g->type != TD_X509_GN_DNS && g->type != TD_X509_GN_IP &&
            g->type != TD_X509_GN_DIR && has_form(sub, g->type))
            return TD_X509_NAME_CONSTRAINTS;
    }
    n_dns = dns_names(sub, dns, sizeof dns / sizeof dns[0]);
    n_ips = ip_names(sub, ips, sizeof ips / sizeof ips[0]);
    n_dirs = dir_names(sub, dirs, sizeof dirs / sizeof dirs[0]);
    if (!names_ok(dns, n_dns, ca->permitted, ca->n_permitted, ca->excluded, ca->n_excluded,
                  TD_X509_GN_DNS) ||
        !names_ok(ips, n_ips, ca->permitted, ca->n_permitted, ca->excluded, ca->n_excluded,
                  TD_X509_GN_IP) ||
        !names_ok(dirs, n_dirs, ca->permitted, ca->n_permitted, ca->excluded, ca->n_excluded,
                  TD_X509_GN_DIR))
        return TD_X509_NAME_CONSTRAINTS;
    return TD_X509_OK;
}
