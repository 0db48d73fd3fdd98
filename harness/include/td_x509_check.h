/*
 * The single checks of path validation (td_x509_verify.c,
 * td_x509_match.c), one reason each, exposed for the tests that exercise
 * them one at a time. td_x509_verify is the only caller in the product.
 */
#ifndef TD_X509_CHECK_H
#define TD_X509_CHECK_H

#include "td_x509.h"

/* RFC 6125 6.4.1 / 6.4.3: does the presented DNS identifier (a dNSName
 * SAN or, without any SAN, the CN) name host? ASCII case-insensitive; a
 * trailing dot on the host is ignored (the absolute form), one on the
 * presented name never matches (RFC 5280 4.2.1.6); a
 * wildcard only as the whole left-most label ("*"), never partial
 * ("f*.example.com"), matching exactly one label, and only with at least
 * two labels after it: "*.com" never matches (the reference's
 * public-suffix rule; with no public-suffix list "*.co.uk" passes it). */
int td_x509_dns_match(td_span presented, const char *host);

/* 1 when host is an IPv4 or IPv6 literal; its 4 or 16 octets into ip. */
int td_x509_ip_parse(const char *host, uint8_t ip[16], size_t *len);

/* The server name (RFC 6125 6, RFC 8446 4.4.2.2 for the role): an IP
 * literal host against the iPAddress SANs; a DNS host against the dNSName
 * SANs, or against the CN when the certificate has no subjectAltName at
 * all (RFC 6125 6.4.4; the reference's rule: any SAN, of any type, turns
 * the CN fallback off). TD_X509_NAME_MISMATCH otherwise. */
td_x509_reason td_x509_check_host(const td_x509_cert *leaf, const char *host);

/* RFC 5280 4.2.1.10 / 6.1.3 (b), (c): the names of sub (dNSName and
 * iPAddress SANs; without any SAN the CN, as a DNS name) within ca's
 * permitted subtrees and outside its excluded ones; its directory names
 * (the subject, directoryName SANs) likewise, a base matching the first
 * RDNs. TD_X509_NAME_CONSTRAINTS otherwise, and also when ca constrains a
 * name form the reference does not evaluate (rfc822Name, URI, ...) and
 * sub has a name of that form (6.1.3: "process the constraint or
 * reject"). */
td_x509_reason td_x509_check_name_constraints(const td_x509_cert *ca, const td_x509_cert *sub);

/* RFC 5280 4.1.2.5: notBefore <= now <= notAfter (both inclusive). */
td_x509_reason td_x509_check_validity(const td_x509_cert *c, int64_t now);

/* The signature of c made by issuer's key, with c's algorithm fitting
 * that key (RFC 4055 1.2, RFC 5758 3.2, RFC 8410 3):
 *   UNSUPPORTED_SIG   an algorithm (or PSS parameters) not verified here
 *   UNSUPPORTED_KEY   the issuer's key is not one verified here
 *   SIG_KEY_MISMATCH  algorithm family and key type differ (an RSA-PSS
 *                     key restricted to PSS signing PKCS#1 too)
 *   BAD_SIGNATURE     it does not verify */
td_x509_reason td_x509_check_signature(const td_x509_cert *c, const td_x509_cert *issuer);

#endif
