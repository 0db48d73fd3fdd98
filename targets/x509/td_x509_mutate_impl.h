/*
 * Internal to the mutator: td_x509_mutate.c (the driver: state, signing,
 * output, the class table), td_x509_mutate_keys.c (the test keys and the
 * certificate pool), td_x509_mutate_edit.c (validity, names, key,
 * signature algorithm, and the helpers of every certificate edit),
 * td_x509_mutate_ext.c (extensions and their values),
 * td_x509_mutate_chain.c (the chain and the flags).
 */
#ifndef TD_X509_MUTATE_IMPL_H
#define TD_X509_MUTATE_IMPL_H

#include "td_crypto.h"
#include "td_x509.h"
#include "td_x509_input.h"
#include "td_x509_mutate.h"

/* One certificate of the chain being edited. */
typedef struct td_xm_cert {
    td_x509_cert c; /* raw parts: what is encoded; meanings: see `meaning` */
    td_span der;    /* the current encoding */
    int editable;   /* decode gave complete raw parts (encode reproduces der) */
    int meaning;    /* c's meaning fields describe its raw parts (decode OK) */
    int dirty;      /* the TBS changed: re-sign */
    int no_resign;  /* an edit wants the old signature kept */
    int issuer_touched; /* the issuer name was edited: find the signer again */
    int spki_changed;   /* the key was swapped: re-sign what it issued */
    uint16_t scheme;    /* set with the algorithm from the table; 0: from sig_alg */
    int signer;         /* the test key that signed it originally, or -1 */
} td_xm_cert;

typedef struct td_xm_state {
    uint8_t flags;
    size_t n;
    td_xm_cert certs[TD_XIN_MAX_CERTS];
} td_xm_state;

/* A test key and the SubjectPublicKeyInfo forms it appears under. */
typedef struct td_xm_key {
    td_key key;
    char name[48];
    size_t n_spki;
    td_span spki[2];
    uint8_t spki_buf[2][TD_KEY_MAX_DER];
} td_xm_key;

/* ---- td_x509_mutate.c -------------------------------------------------- */

/* The seed's stream: a value in [0, n) (0 when n is 0). */
uint32_t td_xm_rnd(uint32_t n);
/* Scratch storage, reset per call: n bytes, NULL when full. */
uint8_t *td_xm_alloc(size_t n);
/* A writer over the free scratch; td_xm_commit keeps what it wrote. */
void td_xm_begin(td_wr *w);
TD_MUST_USE td_err td_xm_commit(td_wr *w, td_span *out);
/* Re-encode m->c (raw parts) into m->der, decode it again (meanings), and
 * mark the TBS changed. TD_OK or the encoder's error (nothing changed). */
TD_MUST_USE td_err td_xm_refresh(td_xm_cert *m);
/* der decoded into slot m (signer unknown: -1). */
void td_xm_load(td_xm_cert *m, td_span der);

/* ---- td_x509_mutate_keys.c ---------------------------------------------- */

TD_MUST_USE td_err td_xm_keys_load(void);
size_t td_xm_n_keys(void);
const td_xm_key *td_xm_key_at(size_t i);
/* The key whose SubjectPublicKeyInfo is spki, or -1. */
int td_xm_key_for_spki(td_span spki);
/* The key that signed c, found among the issuers by name in the chain
 * and the pool (confirmed by the signature when they differ), or -1. */
int td_xm_original_signer(const td_xm_state *st, const td_x509_cert *c);
/* The key that would sign state certificate i now, or -1. */
int td_xm_signer_now(const td_xm_state *st, size_t i);

/* The pool: vectors/pki certificates (chain-add) and the anchors. */
size_t td_xm_n_pool(void);
const td_x509_cert *td_xm_pool_at(size_t i);
int td_xm_pool_is_pki(size_t i);
/* The DER of vectors/pki/intermediate-ca (raw mode), or empty. */
td_span td_xm_pki_intermediate(void);
/* The key's private part made this signature (cached, td_sig_sign). */
TD_MUST_USE td_err td_xm_sign(int k, uint16_t scheme, td_span tbs, td_span salt, uint8_t *sig,
                              size_t *sig_len);

/* ---- td_x509_mutate_edit.c: helpers of the certificate edits ------------- */

int td_xm_span_eq(td_span a, td_span b);
/* A certificate to edit: editable (and with current meaning if asked);
 * CAs first (3 in 4) when ca_bias. NULL when there is none. */
td_xm_cert *td_xm_pick(td_xm_state *st, int need_meaning, int ca_bias);
int td_xm_ext_find(const td_x509_cert *c, td_span oid);
void td_xm_ext_remove(td_x509_cert *c, size_t i);
int td_xm_ext_append(td_x509_cert *c, td_x509_ext e);
int td_xm_ext_set(td_x509_cert *c, td_span oid, int critical, td_span value);
/* td_xm_refresh; 1 when it worked (the edit counts as applied). */
int td_xm_done(td_xm_cert *m);

/* ---- td_x509_mutate_edit.c, td_x509_mutate_chain.c ---------------------- */

/* One edit: 1 when applied. */
typedef int (*td_xm_edit_fn)(td_xm_state *st);

int td_xm_ext_add(td_xm_state *st);
int td_xm_ext_drop(td_xm_state *st);
int td_xm_ext_dup(td_xm_state *st);
int td_xm_ext_crit(td_xm_state *st);
int td_xm_validity_move(td_xm_state *st);
int td_xm_validity_tag(td_xm_state *st);
int td_xm_name_link(td_xm_state *st);
int td_xm_name_break(td_xm_state *st);
int td_xm_name_issuer(td_xm_state *st);
int td_xm_san_add(td_xm_state *st);
int td_xm_san_drop(td_xm_state *st);
int td_xm_san_replace(td_xm_state *st);
int td_xm_key_swap(td_xm_state *st);
int td_xm_sig_oid(td_xm_state *st);
int td_xm_sig_oid_nosign(td_xm_state *st);
int td_xm_sig_oid_mismatch(td_xm_state *st);
int td_xm_bc_pathlen(td_xm_state *st);
int td_xm_bc_ca(td_xm_state *st);
int td_xm_ku_bits(td_xm_state *st);
int td_xm_eku(td_xm_state *st);
int td_xm_nc_add(td_xm_state *st);
int td_xm_chain_reorder(td_xm_state *st);
int td_xm_chain_drop(td_xm_state *st);
int td_xm_chain_dup(td_xm_state *st);
int td_xm_chain_add(td_xm_state *st);
int td_xm_flags(td_xm_state *st);

/* The AlgorithmIdentifier a key type signs with by default (its
 * encoding and scheme), for a child whose issuer's key changed type. */
void td_xm_default_alg(const td_xm_key *k, td_span *alg, uint16_t *scheme);

#endif
