/* The reference engine's configuration from a profile (td_ref_config.c). */
#ifndef TD_REF_CONFIG_H
#define TD_REF_CONFIG_H

#include "td_conn.h"
#include "td_profile.h"

/* Every PEM certificate in text, as DER, in order. TD_ERR_SYNTAX when
 * there is none or one is broken; TD_ERR_NOSPACE past the list's limits. */
TD_MUST_USE td_err td_pem_certs(const char *text, td_cert_list *out);

/* The side `role` of profile p, with its files loaded. On error, why gets
 * a one-line reason naming the file. */
TD_MUST_USE td_err td_ref_config_from_profile(const td_profile *p, td_role role,
                                              uint64_t now, td_conn_config *cfg,
                                              char *why, size_t why_cap);

#endif
