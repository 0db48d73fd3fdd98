/*
 * td_pump: two subjects talking to each other in memory, for the handshake
 * matrix and the determinism tests. Every byte that crosses is appended to
 * a transcript, so two runs can be compared byte for byte.
 */
#ifndef TD_PUMP_H
#define TD_PUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "td_subject.h"

/* A transcript is a sequence of chunks: who sent them, and the bytes. */
typedef struct td_chunk {
    td_role from;
    size_t off, len; /* into td_transcript.bytes */
} td_chunk;

typedef struct td_transcript {
    uint8_t *bytes; /* every byte that crossed, in order */
    size_t len, cap;
    td_chunk *chunks;
    size_t n_chunks, chunk_cap;
} td_transcript;

void td_transcript_free(td_transcript *t);
bool td_transcript_equal(const td_transcript *a, const td_transcript *b);
/* First chunk of `from` whose bytes begin with content type 22 and the
 * handshake type msg_type (RFC 8446 5.1, 4): the plaintext Hello messages. */
const uint8_t *td_transcript_find_handshake(const td_transcript *t, td_role from,
                                            uint8_t msg_type, size_t *len);

/* What one connection (one client/server pair) ended with. */
typedef struct td_conn_result {
    td_state client, server;
    bool app_ok; /* application data went both ways and arrived intact */
} td_conn_result;

/* A profile run: the first connection, and the resumed one if the profile
 * asks for resumption. */
typedef struct td_run_result {
    td_conn_result first, resumed;
    bool has_resumed;
    bool ok;           /* everything the profile asked for happened */
    char why[768];     /* one line when !ok */
} td_run_result;

/* Exchange bytes until both sides are done, one side stops, or nothing
 * moves. Returns TD_OK unless the harness itself failed. */
TD_MUST_USE td_err td_pump_run(td_subject *client, td_subject *server, td_transcript *t);

/* Run profile p with client_impl against server_impl in world w: handshake,
 * application data both ways, and resumption if p->resume asks for it. */
TD_MUST_USE td_err td_pump_profile(td_impl client_impl, td_impl server_impl, const td_profile *p,
                                   td_world *w, td_transcript *t, td_run_result *r);

#endif
