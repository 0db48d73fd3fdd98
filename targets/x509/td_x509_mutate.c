/*
 * td_x509_mutate (td_x509_mutate.h): the driver. It has the test keys
 * and the certificate pool loaded once (td_x509_mutate_keys.c), turns an
 * input into a td_xm_state (each
 * certificate decoded, with the test key that signed it), applies the
 * edits of td_x509_mutate_edit.c and td_x509_mutate_chain.c, re-signs
 * and writes the result back.
 *
 * Which key signs a certificate: the one that signed it originally (the
 * issuer found by name among the chain and the pool, confirmed by its
 * signature when names are ambiguous), unless its issuer name was edited
 * or the issuer's key swapped; then the key of the first certificate
 * with that subject, the chain before the pool. Re-signed are the
 * certificates whose TBS changed and those whose signer changed, unless
 * an edit asked to keep the old signature (sig-oid-nosign).
 */
#include "td_x509_mutate_impl.h"

#include "td_x509_check.h"

#include <stdio.h>
#include <string.h>

#define MAX_CANDIDATES (TD_XIN_MAX_CERTS + 32u)
#define SCRATCH (256u * 1024u)
#define MAX_INPUT (1u + TD_XIN_MAX_CERTS * (2u + TD_X509_MAX_CERT_LEN))

/* ---- the seed's stream and scratch storage ------------------------------ */

static uint64_t rng_state;
static uint8_t scratch[SCRATCH];
static size_t scratch_used;

static uint64_t splitmix(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

uint32_t td_xm_rnd(uint32_t n)
{
    return n ? (uint32_t)(splitmix() % n) : 0;
}

uint8_t *td_xm_alloc(size_t n)
{
    uint8_t *p;

    if (n > SCRATCH - scratch_used)
        return NULL;
    p = scratch + scratch_used;
    scratch_used += n;
    return p;
}

void td_xm_begin(td_wr *w)
{
    td_wr_init(w, scratch + scratch_used, SCRATCH - scratch_used);
}

td_err td_xm_commit(td_wr *w, td_span *out)
{
    TRY(td_wr_finish(w, out));
    scratch_used += out->len;
    return TD_OK;
}

static size_t (*fallback)(uint8_t *, size_t, size_t);

td_err td_x509_mutate_init(void)
{
    return td_xm_keys_load();
}

void td_x509_mutate_set_fallback(size_t (*fn)(uint8_t *data, size_t size, size_t max_size))
{
    fallback = fn;
}

/* ---- one state ------------------------------------------------------------ */

td_err td_xm_refresh(td_xm_cert *m)
{
    static td_x509_cert t;
    td_wr w;
    td_span der;
    td_x509_reason r;

    td_xm_begin(&w);
    TRY(td_x509_encode(&w, &m->c));
    TRY(td_xm_commit(&w, &der));
    m->der = der;
    m->dirty = 1;
    r = td_x509_decode(der, &t);
    /* raw parts complete when they encode back to the same bytes */
    td_xm_begin(&w);
    if (td_x509_encode(&w, &t) == TD_OK && td_wr_len(&w) == der.len &&
        memcmp(scratch + scratch_used, der.p, der.len) == 0) {
        m->c = t;
        m->meaning = r == TD_X509_OK;
    } else {
        m->meaning = 0;
    }
    return TD_OK;
}

/* The candidates for c's issuer: chain certificates, then the pool. */
typedef struct cand {
    const td_x509_cert *c;
    int spki_changed;
} cand;

static size_t issuer_candidates(const td_xm_state *st, const td_x509_cert *c, cand *out,
                                size_t max)
{
    size_t i, n = 0;

    for (i = 0; i < st->n && n < max; i++)
        if (st->certs[i].editable && td_xm_span_eq(st->certs[i].c.subject.whole, c->issuer.whole))
            out[n++] = (cand){&st->certs[i].c, st->certs[i].spki_changed};
    for (i = 0; i < td_xm_n_pool() && n < max; i++)
        if (td_xm_span_eq(td_xm_pool_at(i)->subject.whole, c->issuer.whole))
            out[n++] = (cand){td_xm_pool_at(i), 0};
    return n;
}

/* The original signer: the first candidate with a known key, or, when
 * candidates have different keys, the first whose key verifies it. */
int td_xm_original_signer(const td_xm_state *st, const td_x509_cert *c)
{
    cand cands[MAX_CANDIDATES];
    size_t n = issuer_candidates(st, c, cands, sizeof cands / sizeof cands[0]), i;
    int first = -1, ambiguous = 0;

    for (i = 0; i < n; i++) {
        int k = td_xm_key_for_spki(cands[i].c->spki);

        if (k < 0)
            continue;
        if (first < 0)
            first = k;
        else if (k != first)
            ambiguous = 1;
    }
    if (!ambiguous)
        return first;
    for (i = 0; i < n; i++) {
        int k = td_xm_key_for_spki(cands[i].c->spki);

        if (k >= 0 && td_x509_check_signature(c, cands[i].c) == TD_X509_OK)
            return k;
    }
    return first;
}

int td_xm_signer_now(const td_xm_state *st, size_t i)
{
    const td_xm_cert *m = &st->certs[i];
    cand cands[MAX_CANDIDATES];
    size_t n = issuer_candidates(st, &m->c, cands, sizeof cands / sizeof cands[0]), j;
    int swapped = 0;

    for (j = 0; j < n; j++)
        swapped |= cands[j].spki_changed;
    if (!m->issuer_touched && !swapped)
        return m->signer;
    /* a swapped key first: "re-signing accordingly" */
    for (j = 0; j < n; j++)
        if (cands[j].spki_changed && td_xm_key_for_spki(cands[j].c->spki) >= 0)
            return td_xm_key_for_spki(cands[j].c->spki);
    for (j = 0; j < n; j++)
        if (td_xm_key_for_spki(cands[j].c->spki) >= 0)
            return td_xm_key_for_spki(cands[j].c->spki);
    return m->signer;
}

void td_xm_load(td_xm_cert *m, td_span der)
{
    static uint8_t buf[TD_X509_MAX_CERT_LEN + 64];
    td_x509_reason r;
    td_wr w;

    memset(m, 0, sizeof *m);
    m->der = der;
    m->signer = -1;
    r = td_x509_decode(der, &m->c);
    td_wr_init(&w, buf, sizeof buf);
    m->editable = der.len > 0 && td_x509_encode(&w, &m->c) == TD_OK &&
                  td_wr_len(&w) == der.len && memcmp(buf, der.p, der.len) == 0;
    m->meaning = m->editable && r == TD_X509_OK;
}

static void load_state(td_xm_state *st, const td_xin *in, td_span intermediate)
{
    size_t i;

    st->flags = in->flags & (uint8_t)~TD_XIN_RAW;
    st->n = 0;
    for (i = 0; i < in->n; i++)
        td_xm_load(&st->certs[st->n++], in->certs[i]);
    if ((in->flags & TD_XIN_RAW) && intermediate.len > 0)
        td_xm_load(&st->certs[st->n++], intermediate);
    for (i = 0; i < st->n; i++)
        if (st->certs[i].editable)
            st->certs[i].signer = td_xm_original_signer(st, &st->certs[i].c);
}

/* ---- signing -------------------------------------------------------------- */

static uint16_t scheme_of(const td_x509_alg *a)
{
    switch (a->sig) {
    case TD_X509_SIG_RSA_PKCS1_SHA256:
        return 0x0401;
    case TD_X509_SIG_RSA_PKCS1_SHA384:
        return 0x0501;
    case TD_X509_SIG_RSA_PKCS1_SHA512:
        return 0x0601;
    case TD_X509_SIG_RSA_PSS:
        /* td_sig_sign: MGF1 with the same hash, salt as long as the hash */
        if (a->pss_mgf_hash_len != a->pss_hash_len || a->pss_salt_len != a->pss_hash_len)
            return 0;
        return a->pss_hash_len == 32 ? 0x0804 : a->pss_hash_len == 48 ? 0x0805
               : a->pss_hash_len == 64 ? 0x0806 : 0;
    case TD_X509_SIG_ECDSA_SHA256:
        return 0x0403;
    case TD_X509_SIG_ECDSA_SHA384:
        return 0x0503;
    case TD_X509_SIG_ECDSA_SHA512:
        return 0x0603;
    case TD_X509_SIG_ED25519:
        return 0x0807;
    default:
        return 0;
    }
}

static size_t salt_len(uint16_t scheme)
{
    return scheme == 0x0804 ? 32 : scheme == 0x0805 ? 48 : scheme == 0x0806 ? 64 : 0;
}

/* Sign m's TBS with key k (the algorithm switched to the key's default
 * when the current one does not fit it). */
static td_err resign(td_xm_cert *m, int k)
{
    const td_xm_key *key = td_xm_key_at((size_t)k);
    uint16_t scheme = m->scheme ? m->scheme : scheme_of(&m->c.sig_alg);
    uint8_t salt[64], *sig;
    size_t sig_len = 0, i;
    td_span tbs, alg;
    td_wr w;

    if (scheme == 0 || !td_sig_fits_key(scheme, TD_SIG_CURVE_FREE, &key->key)) {
        td_xm_default_alg(key, &alg, &scheme);
        m->c.tbs_sig.whole = alg;
        m->c.sig_alg.whole = alg;
    }
    for (i = 0; i < salt_len(scheme); i++)
        salt[i] = (uint8_t)td_xm_rnd(256);
    td_xm_begin(&w);
    TRY(td_x509_encode_tbs(&w, &m->c));
    TRY(td_xm_commit(&w, &tbs));
    ENSURE((sig = td_xm_alloc(TD_SIG_MAX_LEN)) != NULL, TD_ERR_NOSPACE);
    TRY(td_xm_sign(k, scheme, tbs, (td_span){salt, salt_len(scheme)}, sig, &sig_len));
    m->c.signature = (td_span){sig, sig_len};
    td_xm_begin(&w);
    TRY(td_x509_encode(&w, &m->c));
    return td_xm_commit(&w, &m->der);
}

/* Re-sign what needs it, then write the input. */
static td_err finish(td_xm_state *st, uint8_t *out, size_t cap, size_t *len)
{
    td_span certs[TD_XIN_MAX_CERTS];
    int keys[TD_XIN_MAX_CERTS];
    size_t i;

    /* signers first: a re-signed issuer does not change its SPKI */
    for (i = 0; i < st->n; i++)
        keys[i] = st->certs[i].editable ? td_xm_signer_now(st, i) : -1;
    for (i = 0; i < st->n; i++) {
        td_xm_cert *m = &st->certs[i];

        if (m->editable && !m->no_resign && keys[i] >= 0 &&
            (m->dirty || keys[i] != m->signer))
            TRY(resign(m, keys[i]));
        certs[i] = m->der;
    }
    return td_xin_write(st->flags, certs, st->n, out, cap, len);
}

/* ---- the classes ---------------------------------------------------------- */

static const struct {
    const char *name;
    td_xm_edit_fn fn;
    unsigned weight;
} classes[] = {
    {"ext-add", td_xm_ext_add, 6},
    {"ext-drop", td_xm_ext_drop, 6},
    {"ext-dup", td_xm_ext_dup, 2},
    {"ext-crit", td_xm_ext_crit, 4},
    {"validity-move", td_xm_validity_move, 6},
    {"validity-tag", td_xm_validity_tag, 2},
    {"name-link", td_xm_name_link, 3},
    {"name-break", td_xm_name_break, 3},
    {"name-issuer", td_xm_name_issuer, 2},
    {"san-add", td_xm_san_add, 5},
    {"san-drop", td_xm_san_drop, 3},
    {"san-replace", td_xm_san_replace, 6},
    {"key-swap", td_xm_key_swap, 4},
    {"sig-oid", td_xm_sig_oid, 4},
    {"sig-oid-nosign", td_xm_sig_oid_nosign, 2},
    {"sig-oid-mismatch", td_xm_sig_oid_mismatch, 1},
    {"bc-pathlen", td_xm_bc_pathlen, 4},
    {"bc-ca", td_xm_bc_ca, 4},
    {"ku-bits", td_xm_ku_bits, 5},
    {"eku", td_xm_eku, 5},
    {"nc-add", td_xm_nc_add, 5},
    {"chain-reorder", td_xm_chain_reorder, 3},
    {"chain-drop", td_xm_chain_drop, 2},
    {"chain-dup", td_xm_chain_dup, 2},
    {"chain-add", td_xm_chain_add, 3},
    {"flags", td_xm_flags, 3},
};
#define N_CLASSES (sizeof classes / sizeof classes[0])

size_t td_x509_mutate_n_classes(void)
{
    return N_CLASSES;
}

const char *td_x509_mutate_class_name(size_t i)
{
    return i < N_CLASSES ? classes[i].name : NULL;
}

static const char *last_class = "none";

const char *td_x509_mutate_last_class(void)
{
    return last_class;
}

static size_t pick_class(void)
{
    unsigned total = 0, r;
    size_t i;

    for (i = 0; i < N_CLASSES; i++)
        total += classes[i].weight;
    r = td_xm_rnd(total);
    for (i = 0; i < N_CLASSES; i++) {
        if (r < classes[i].weight)
            return i;
        r -= classes[i].weight;
    }
    return 0;
}

static size_t bytes_fallback(uint8_t *data, size_t size, size_t max_size)
{
    last_class = fallback ? "bytes" : "none";
    return fallback ? fallback(data, size, max_size) : size;
}

size_t td_x509_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    static uint8_t in_copy[MAX_INPUT], out[MAX_INPUT];
    static td_xm_state st;
    td_xin in;
    size_t attempt, i, len, editable = 0;

    if (td_x509_mutate_init() != TD_OK)
        return bytes_fallback(data, size, max_size);
    rng_state = (uint64_t)seed * 0x2545f4914f6cdd1du + 1;
    if (size > sizeof in_copy || td_xm_rnd(16) == 0)
        return bytes_fallback(data, size, max_size);
    memcpy(in_copy, data, size);
    if (td_xin_parse(in_copy, size, &in) != TD_OK)
        return bytes_fallback(data, size, max_size);
    for (attempt = 0; attempt < 8; attempt++) {
        size_t edits = 1 + (td_xm_rnd(4) == 0 ? 1 + td_xm_rnd(2) : 0), applied = 0, e;

        scratch_used = 0;
        load_state(&st, &in, td_xm_pki_intermediate());
        if (attempt == 0) {
            for (i = 0; i < st.n; i++)
                editable += st.certs[i].editable;
            /* nothing decodes: the structure-aware edits have no hold */
            if (editable == 0)
                return bytes_fallback(data, size, max_size);
        }
        for (e = 0; e < 16 && applied < edits; e++) {
            size_t c = pick_class();

            if (classes[c].fn(&st)) {
                applied++;
                last_class = classes[c].name;
            }
        }
        if (applied == 0 || finish(&st, out, sizeof out, &len) != TD_OK || len > max_size)
            continue;
        memcpy(data, out, len);
        return len;
    }
    return bytes_fallback(data, size, max_size);
}
