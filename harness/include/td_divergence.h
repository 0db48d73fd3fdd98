/*
 * td_divergence: the reviewed list of known differences between the
 * reference and wolfSSL (vectors/divergences). Data only; one entry per
 * block:
 *
 *     divergence ID
 *       message   what was under test, a glob (certificate, client_hello,
 *                 @(client|server)_*)
 *       edit      the case or edit class it applies to (a glob with
 *                 bash's extglob @(a|b): "case v1-intermediate",
 *                 "case host-@(a|b)", "mutation drop-extension", "*")
 *       observed  reference=OUTCOME wolfssl=OUTCOME (each a glob over the
 *                 outcome text: "accept", "reject:not_ca", "reject:*")
 *       profile   optional: a glob over the profile the case ran under
 *       field     optional: a glob over the first differing field the
 *                 comparator names (td_obs_compare: the text before ':',
 *                 e.g. "encrypted_extensions.server_name"); without it
 *                 the entry matches whatever field differs
 *       clause    the RFC clause that decides it
 *       right     reference | wolfssl | both (the RFC leaves a choice)
 *       note      one line of explanation
 *
 * Lines starting with '#' and blank lines separate nothing and are
 * ignored. A difference that matches an entry is known; one that matches
 * none is a failure (DESIGN.md "Divergences"). The parser names the file
 * and line of anything it cannot read.
 */
#ifndef TD_DIVERGENCE_H
#define TD_DIVERGENCE_H

#include "td_err.h"

#include <stddef.h>

#define TD_DIV_MAX 512u
#define TD_DIV_FIELD 160u

typedef struct td_divergence {
    char id[64];
    char message[64];
    char edit[3 * TD_DIV_FIELD];
    char reference[TD_DIV_FIELD]; /* the outcome glob for the reference */
    char wolfssl[TD_DIV_FIELD];
    char clause[2 * TD_DIV_FIELD];
    char field[64];
    char profile[64];
    char right[16];
    char note[2 * TD_DIV_FIELD];
    size_t line; /* where the entry starts */
    size_t hits; /* matched so far (for "unused entry" reports) */
} td_divergence;

typedef struct td_divergences {
    td_divergence e[TD_DIV_MAX];
    size_t n;
} td_divergences;

/* Read a divergences file. On a syntax error: TD_ERR_SYNTAX with "FILE:
 * line N: what" in why. */
TD_MUST_USE td_err td_divergences_load(const char *path, td_divergences *d, char *why,
                                       size_t cap);
/* The first entry matching (message, edit, reference outcome, wolfSSL
 * outcome, and the differing field when the entry names one; field NULL:
 * only entries without one), its hit count raised; NULL when none does. */
td_divergence *td_divergences_match_field(td_divergences *d, const char *message,
                                          const char *edit, const char *reference,
                                          const char *wolfssl, const char *field);
/* The same with the profile (NULL: only entries without one). */
td_divergence *td_divergences_match_case(td_divergences *d, const char *message,
                                         const char *edit, const char *profile,
                                         const char *reference, const char *wolfssl,
                                         const char *field);
/* The same without a field (outcomes differ). */
td_divergence *td_divergences_match(td_divergences *d, const char *message, const char *edit,
                                    const char *reference, const char *wolfssl);

#endif
