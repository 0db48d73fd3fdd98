/*
 * The input of fuzz_x509_chain (targets/x509/fuzz_x509_chain.c has the
 * full description), shared by the target and its mutator:
 *
 *     byte 0   flags (TD_XIN_*)
 *     then     normal mode: up to TD_XIN_MAX_CERTS certificates, each a
 *              2-byte big-endian length and that many DER bytes; parsing
 *              stops at the first record that does not fit in what is
 *              left (those bytes are ignored);
 *              raw mode (TD_XIN_RAW): the rest is one DER certificate.
 *
 * Also the files the target and the mutator read from vectors/ (the test
 * PKI, the crafted chains' anchors and keys), in fixed storage.
 */
#ifndef TD_X509_INPUT_H
#define TD_X509_INPUT_H

#include "td_bytes.h"
#include "td_err.h"

#include <stddef.h>
#include <stdint.h>

#define TD_XIN_MAX_CERTS 8u /* TD_X509_MAX_CHAIN */

enum {
    TD_XIN_CLIENT = 1u << 0, /* purpose client (id-kp-clientAuth) */
    TD_XIN_HOST = 1u << 1,   /* check the host name (server purpose) */
    TD_XIN_KEYENC = 1u << 2, /* the leaf key transports the premaster secret */
    TD_XIN_RAW = 1u << 3,    /* one raw DER certificate, the pki intermediate after it */
};
/* bits 4-5: the extra trust anchor (0 none, 1 intermediate-ca,
 * 2 pinned-leaf, 3 selfsigned-server); bits 6-7: the host name */
#define TD_XIN_ANCHOR(flags) (((flags) >> 4) & 3u)
#define TD_XIN_HOST_INDEX(flags) (((flags) >> 6) & 3u)

/* The host names bits 6-7 select. */
const char *td_xin_host(uint8_t flags);

typedef struct td_xin {
    uint8_t flags;
    size_t n;
    td_span certs[TD_XIN_MAX_CERTS]; /* into the input */
} td_xin;

/* Split an input; TD_ERR_SYNTAX when it is empty (no flags byte). */
TD_MUST_USE td_err td_xin_parse(const uint8_t *data, size_t size, td_xin *out);
/* Write flags and certificates in normal mode; TD_ERR_NOSPACE past cap
 * or for a certificate over 65535 bytes. */
TD_MUST_USE td_err td_xin_write(uint8_t flags, const td_span *certs, size_t n, uint8_t *out,
                                size_t cap, size_t *len);

/* A file under the vectors directory, whole, into buf. */
TD_MUST_USE td_err td_xin_read_file(const char *rel, uint8_t *buf, size_t cap, size_t *len);
/* The certificates of a file under vectors/: every CERTIFICATE block of
 * a PEM file, or the file itself as one DER certificate, decoded into
 * store[*used..cap) (advancing *used) and appended to certs[*n..max). */
TD_MUST_USE td_err td_xin_load_certs(const char *rel, uint8_t *store, size_t cap, size_t *used,
                                     td_span *certs, size_t max, size_t *n);

#endif
