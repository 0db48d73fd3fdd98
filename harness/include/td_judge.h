/*
 * td_judge: the failure rule of the differential engine in one place. Two
 * observations of the same case (the reference's and wolfSSL's) are the
 * same, differ in a way vectors/divergences records (known: reported, not
 * a failure), or differ in a way it does not (new: a failure).
 */
#ifndef TD_JUDGE_H
#define TD_JUDGE_H

#include "td_divergence.h"
#include "td_observe.h"

typedef enum td_judgement { TD_JUDGE_SAME, TD_JUDGE_KNOWN, TD_JUDGE_NEW } td_judgement;

/* Compare ref and wolf (td_obs_compare: line gets the first difference),
 * then match (message, edit, profile, both outcomes, the differing field)
 * against d. *hit (may be NULL) gets the matching entry. */
td_judgement td_judge(td_divergences *d, const char *message, const char *edit,
                      const char *profile, const td_observation *ref,
                      const td_observation *wolf, char *line, size_t cap,
                      const td_divergence **hit);

const char *td_judgement_name(td_judgement j); /* "same", "known", "new" */

#endif
