/*
 * The failure rule (td_judge.h).
 */
#include "td_judge.h"

#include <stdio.h>
#include <string.h>

td_judgement td_judge(td_divergences *d, const char *message, const char *edit,
                      const char *profile, const td_observation *ref,
                      const td_observation *wolf, char *line, size_t cap,
                      const td_divergence **hit)
{
    char ro[96], wo[96], field[64];
    const char *colon;
    const td_divergence *e;
    size_t n;

    if (hit)
        *hit = NULL;
    if (td_obs_compare(ref, wolf, line, cap) == 0)
        return TD_JUDGE_SAME;
    td_obs_outcome(ref, ro, sizeof ro);
    td_obs_outcome(wolf, wo, sizeof wo);
    /* the field is what the line names before its first ':' */
    colon = strchr(line, ':');
    n = colon ? (size_t)(colon - line) : strlen(line);
    if (n >= sizeof field)
        n = sizeof field - 1;
    memcpy(field, line, n);
    field[n] = '\0';
    e = td_divergences_match_case(d, message, edit, profile, ro, wo, field);
    if (hit)
        *hit = e;
    return e ? TD_JUDGE_KNOWN : TD_JUDGE_NEW;
}

const char *td_judgement_name(td_judgement j)
{
    return j == TD_JUDGE_SAME ? "same" : j == TD_JUDGE_KNOWN ? "known" : "new";
}
