/*
 * What every subject implementation shares: the common header of
 * struct td_subject and its operations table.
 * Only harness/subject/ includes this.
 */
#ifndef TD_SUBJECT_IMPL_H
#define TD_SUBJECT_IMPL_H

#include "td_buf.h"
#include "td_subject.h"

typedef struct td_subject_ops {
    td_err (*feed)(td_subject *s, const uint8_t *data, size_t len);
    td_err (*feed_eof)(td_subject *s);
    td_err (*write_app)(td_subject *s, const uint8_t *data, size_t len);
    td_err (*export_session)(td_subject *s, uint8_t *out, size_t cap, size_t *len);
    td_err (*set_session)(td_subject *s, const uint8_t *blob, size_t len);
    void (*free)(td_subject *s);
    /* NULL: no snapshots (td_subject_snapshot_size) */
    size_t (*snapshot_size)(const td_subject *s);
    void (*snapshot_save)(const td_subject *s, uint8_t *buf);
    td_err (*snapshot_restore)(td_subject *s, const uint8_t *buf, size_t len);
} td_subject_ops;

struct td_subject {
    const td_subject_ops *ops;
    td_impl impl;
    td_role role;
    td_world *world;
    td_profile profile;
    td_buf out;    /* bytes for the other side */
    td_buf app_in; /* application data received */
    td_state st;
};

/* The party a role draws randomness as. */
static inline td_party td_subject_party(const td_subject *s)
{
    return s->role == TD_ROLE_CLIENT ? TD_PARTY_CLIENT : TD_PARTY_SERVER;
}

/* Set the one-line reason td_subject_last_error() returns. */
void td_subject_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

TD_MUST_USE td_err td_subject_ref_new(td_role role, const td_profile *profile,
                                      td_world *world, td_subject **out);
TD_MUST_USE td_err td_subject_wolfssl_new(td_role role, const td_profile *profile,
                                          td_world *world, td_subject **out);

#endif
