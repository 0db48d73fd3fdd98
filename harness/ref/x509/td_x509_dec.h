/*
 * Internal to the certificate decoder (td_x509_decode.c, td_x509_alg.c,
 * td_x509_name.c, td_x509_ext.c): the pieces one file reads for another.
 *
 * TRY and ENSURE (td_err.h) are used on td_x509_reason as on td_err:
 * both are plain returns and 0 is OK in both.
 */
#ifndef TD_X509_DEC_H
#define TD_X509_DEC_H

#include "td_x509.h"

/* td_x509_alg.c: one AlgorithmIdentifier element from rd, its signature
 * algorithm classified (sig UNKNOWN when not one the reference
 * verifies). BAD_DER when the element (parameters included) is not DER. */
td_x509_reason td_x509_alg_read(td_rd *rd, td_x509_alg *alg);
/* The key type of a SubjectPublicKeyInfo algorithm into *key (filling
 * the PSS fields of alg when it has RSASSA-PSS-params); unused: the
 * subjectPublicKey's unused bits (a key we know is whole octets).
 * BAD_DER only for a DEFAULT written out in RSASSA-PSS-params. */
td_x509_reason td_x509_key_classify(td_x509_alg *alg, unsigned unused, td_x509_key *key);

/* td_x509_name.c: one Name element from rd (BAD_DER, LIMIT). */
td_x509_reason td_x509_name_read(td_rd *rd, td_x509_name *out);
/* One GeneralName from rd. An iPAddress must have ip_a or ip_b octets
 * (4/16 in subjectAltName, 8/32 in nameConstraints). BAD_EXTENSION
 * (it only occurs in extensions) or LIMIT. */
td_x509_reason td_x509_gname_read(td_rd *rd, size_t ip_a, size_t ip_b,
                                  td_x509_gname *out);

/* td_x509_ext.c: the Extensions of [3] (structure only, into c->exts);
 * BAD_DER, LIMIT. */
td_x509_reason td_x509_ext_list_read(td_span exts, td_x509_cert *c);
/* After the whole certificate decoded: duplicates, the known extensions'
 * values into the meaning fields, unknown critical ones, in that
 * order. */
td_x509_reason td_x509_ext_check(td_x509_cert *c);

#endif
