/*
 * td_x509_mutate: a structure-aware mutator for fuzz_x509_chain inputs
 * (td_x509_input.h), in the shape of libFuzzer's LLVMFuzzerCustomMutator.
 *
 * It decodes the chain with td_x509_decode, applies one to three edits
 * chosen from the seed (extensions, validity, names, subjectAltName, the
 * key, the signature algorithm, basicConstraints, keyUsage, extKeyUsage,
 * nameConstraints, the chain's order and members, the flags), re-encodes
 * with td_x509_encode and re-signs every certificate whose TBS changed
 * (or whose issuer's key did) with the test key matching its issuer:
 * the *.key.pem of vectors/pki and the keys of vectors/x509/keys, matched to their
 * certificates' SubjectPublicKeyInfo at start-up by a test signature. A
 * certificate whose issuer key is unknown keeps its old signature.
 *
 * No allocation: every new value lives in fixed static buffers reset on
 * each call, so the mutator is not reentrant (libFuzzer calls it from one
 * thread). Deterministic: the same input, max_size and seed give the same
 * output (RSA-PSS salts come from the seed; ECDSA is RFC 6979).
 */
#ifndef TD_X509_MUTATE_H
#define TD_X509_MUTATE_H

#include "td_err.h"

#include <stddef.h>
#include <stdint.h>

/* Load the test keys and the certificate pool (once; later calls return
 * at once). td_x509_mutate calls it itself if needed. TD_ERR_IO when the
 * vectors cannot be read. */
TD_MUST_USE td_err td_x509_mutate_init(void);

/* Mutate data[0..size) in place into at most max_size bytes; returns the
 * new size. An input whose chain does not decode (or one call in 16)
 * goes to the byte-level fallback (below); without one, it is returned
 * unchanged. */
size_t td_x509_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

/* The class of the last edit applied ("ext-drop", "validity-move", ...;
 * "bytes" for the fallback, "none" when nothing changed). */
const char *td_x509_mutate_last_class(void);

/* The byte-level mutator for inputs the structure-aware one cannot take
 * (libFuzzer's LLVMFuzzerMutate in the fuzz build); NULL: none. */
void td_x509_mutate_set_fallback(size_t (*fn)(uint8_t *data, size_t size, size_t max_size));

/* Signatures made so far, and signatures taken from the cache instead
 * (the same key, scheme, salt and TBS signed before). */
void td_x509_mutate_sign_stats(size_t *made, size_t *cached);

/* The class names, for reports and tests: n_classes entries. */
size_t td_x509_mutate_n_classes(void);
const char *td_x509_mutate_class_name(size_t i);

#endif
